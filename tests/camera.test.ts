// Cameras and codes end to end: ffmpeg encodes the simulated scenes and a looped fixture picture,
// the daemon splits the MJPEG and serves the preview; a camera that stops sending goes offline and
// comes back; stills are served once; Scanner.Read takes codes from the HID scanner and from frames.
import { request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import qrcode from 'qrcode-generator';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WsTestClient } from '../device-daemon/src/testing/ws-test-client';
import { startDaemon, stopAllDaemons, TEST_SITE, waitUntil, type DaemonProcess } from './support/daemon-process';

let daemon: DaemonProcess;
let client: WsTestClient;
const work = mkdtempSync(join(tmpdir(), 'kiosk-camera-e2e-'));
const FIXTURE_TEXT = 'https://zwfw.example.cn/track?n=ZJ2026-000417';

/** A printed slip's QR code on a grey desk, as a PNG the fixture camera loops. */
async function slipPicture(path: string): Promise<void> {
  const qr = qrcode(0, 'M');
  qr.addData(FIXTURE_TEXT, 'Byte');
  qr.make();
  const svg = qr.createSvgTag({ cellSize: 6, margin: 4, scalable: false });
  const card = await sharp(Buffer.from(svg)).png().toBuffer();
  await sharp({ create: { width: 800, height: 600, channels: 3, background: '#9a9590' } })
    .composite([{ input: card, left: 250, top: 150 }])
    .png()
    .toFile(path);
}

beforeAll(async () => {
  const fixture = join(work, 'slip.png');
  await slipPicture(fixture);
  daemon = await startDaemon({
    site: {
      ...TEST_SITE,
      devices: {
        ...TEST_SITE.devices,
        fixtureCamera: {
          driver: 'uvc',
          simulated: true,
          role: 'document',
          preview: { width: 640, height: 480, fps: 10 },
          still: { width: 800, height: 600 },
          frameTimeoutMs: 2_000,
          reconnect: { initialMs: 50, maxMs: 200, jitter: 0 },
          simulator: { source: { kind: 'file', path: fixture } },
        },
      },
      codes: { cameras: ['documentCamera', 'fixtureCamera'] },
    },
  });
  client = await WsTestClient.connect(`${daemon.wsUrl}?token=${daemon.uiToken}`);
});

afterAll(async () => {
  expect(client.malformed).toEqual([]);
  client.close();
  expect(await daemon.stop()).toBe(0);
  await stopAllDaemons();
});

/** Reads `parts` JPEG parts from a multipart/x-mixed-replace stream, then hangs up. */
function readStream(path: string, parts: number): Promise<{ status: number; type: string; jpegs: Buffer[] }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: daemon.uiPort, path }, (response) => {
      const type = String(response.headers['content-type'] ?? '');
      const jpegs: Buffer[] = [];
      let buffer = Buffer.alloc(0);
      if (response.statusCode !== 200) {
        response.resume();
        resolve({ status: response.statusCode ?? 0, type, jpegs });
        return;
      }
      response.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (;;) {
          const head = buffer.indexOf('\r\n\r\n');
          if (head < 0) break;
          const length = Number(/content-length: (\d+)/i.exec(buffer.subarray(0, head).toString('latin1'))?.[1]);
          if (buffer.length < head + 4 + length + 2) break;
          jpegs.push(buffer.subarray(head + 4, head + 4 + length));
          buffer = buffer.subarray(head + 4 + length + 2);
        }
        if (jpegs.length >= parts) {
          req.destroy();
          resolve({ status: 200, type, jpegs: jpegs.slice(0, parts) });
        }
      });
    });
    req.on('error', (error) => (error.message.includes('aborted') || error.message.includes('socket hang up') ? undefined : reject(error)));
    req.end();
  });
}

const deviceState = async (name: string): Promise<string> => {
  const status = (await (await daemon.ops('/v1/status')).json()) as { devices: Record<string, { status: { common: { device: string } } }> };
  return status.devices[name]?.status.common.device ?? 'missing';
};

describe('camera preview', () => {
  it('streams JPEG frames of the configured size to a token holder only', async () => {
    const { status, type, jpegs } = await readStream(`/camera/faceCamera/stream?token=${daemon.uiToken}`, 3);
    expect(status).toBe(200);
    expect(type).toBe('multipart/x-mixed-replace; boundary=kioskframe');
    for (const jpeg of jpegs) await expect(sharp(jpeg).metadata()).resolves.toMatchObject({ format: 'jpeg', width: 640, height: 480 });
    expect((await readStream('/camera/faceCamera/stream?token=wrong', 1)).status).toBe(401);
    expect((await readStream('/camera/faceCamera/stream', 1)).status).toBe(401);
    expect((await readStream(`/camera/nothing/stream?token=${daemon.uiToken}`, 1)).status).toBe(404);
  });

  it('takes a camera that stops sending offline, says so, and brings it back when frames return', async () => {
    const mark = client.messages.length;
    await daemon.simulate('faceCamera', { action: 'pause' });
    await client.waitFor((m) => client.messages.indexOf(m) >= mark && m.header.name === 'Common.StatusChangedEvent' && m.payload?.['device'] === 'faceCamera' && (m.payload['camera'] as { stream?: string } | undefined)?.stream === 'stalled', 15_000, 'stalled camera');
    await client.waitFor((m) => client.messages.indexOf(m) >= mark && m.header.name === 'Common.ErrorEvent' && m.payload?.['device'] === 'faceCamera', 15_000, 'camera fault');
    expect(await deviceState('faceCamera')).not.toBe('online');
    const frozen = await client.completion(client.command('Face.Verify', { reference: { kind: 'card', readId: 'x' } }));
    expect([frozen.header.completionCode, frozen.payload['errorCode']]).toEqual(['commandErrorCode', 'cameraNotReady']);
    await daemon.simulate('faceCamera', { action: 'resume' });
    await waitUntil(async () => (await deviceState('faceCamera')) === 'online', 20_000, 'camera back online');
    const metrics = await (await daemon.ops('/metrics')).text();
    expect(metrics).toMatch(/kiosk_camera_frames_total\{device="faceCamera"\} [1-9]/);
    expect(metrics).toMatch(/kiosk_device_errors_total\{device="faceCamera",action="suspend"\} [1-9]/);
  });
});

describe('stills', () => {
  it('takes a full-resolution still from the document camera, served once', async () => {
    const done = await client.completion(client.command('Camera.TakePicture', {}), 30_000);
    expect(done.header.completionCode).toBe('success');
    expect(done.payload).toMatchObject({ width: 1920, height: 1440 });
    const url = `http://127.0.0.1:${daemon.uiPort}${String(done.payload.url)}?token=${daemon.uiToken}`;
    const first = await fetch(url);
    expect(first.status).toBe(200);
    await expect(sharp(Buffer.from(await first.arrayBuffer())).metadata()).resolves.toMatchObject({ width: 1920, height: 1440 });
    expect((await fetch(url)).status).toBe(404);
    // The preview resumes after the capture.
    await waitUntil(async () => (await deviceState('documentCamera')) === 'online', 20_000, 'document camera preview back');
  });

  it('takes a still from a camera reading a fixture picture', async () => {
    const done = await client.completion(client.command('Camera.TakePicture', { device: 'fixtureCamera' }), 30_000);
    expect(done.payload).toMatchObject({ width: 800, height: 600 });
  });
});

describe('Scanner.Read', () => {
  it('reads a payment code from the HID scanner', async () => {
    const id = client.command('Scanner.Read', { devices: ['scanner'] });
    await waitUntil(async () => {
      const status = (await (await daemon.ops('/v1/status')).json()) as { devices: { scanner: { status: { barcodeReader: { scanning: boolean } } } } };
      return status.devices.scanner.status.barcodeReader.scanning;
    }, 10_000, 'scanner armed');
    await daemon.simulate('scanner', { action: 'scan', text: '134567890123456789', symbology: 'qr' });
    const done = await client.completion(id);
    expect(done.payload).toEqual({ text: '134567890123456789', symbology: 'qr', source: 'hid', device: 'scanner' });
  });

  it('reads a bill barcode held up to the document camera', async () => {
    await daemon.simulate('documentCamera', { action: 'code', format: 'ean13', text: '6901234567892' });
    const done = await client.completion(client.command('Scanner.Read', { devices: ['documentCamera'] }), 30_000);
    expect(done.payload).toEqual({ text: '6901234567892', symbology: 'ean13', source: 'camera', device: 'documentCamera' });
    await daemon.simulate('documentCamera', { action: 'leave' });
  });

  it('reads a slip QR code from a camera looping a fixture picture', async () => {
    const done = await client.completion(client.command('Scanner.Read', { devices: ['fixtureCamera'], symbologies: ['qr'] }), 30_000);
    expect(done.payload).toEqual({ text: FIXTURE_TEXT, symbology: 'qr', source: 'camera', device: 'fixtureCamera' });
  });

  it('refuses an unknown source and times out cleanly when nothing is shown', async () => {
    const unknown = await client.completion(client.command('Scanner.Read', { devices: ['printer9'] }));
    expect([unknown.header.completionCode, unknown.header.errorDescription]).toEqual(['invalidData', 'not a code source: printer9']);
    const nothing = await client.completion(client.command('Scanner.Read', { devices: ['scanner'] }, { timeout: 300 }));
    expect(nothing.header.completionCode).toBe('timeOut');
  });
});
