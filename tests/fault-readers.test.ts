// Fault matrix, readers and cameras: the ID card reader unplugged mid-read and answering garbage,
// stray bytes, split frames, bad checksums or nothing; the HID scanner unplugged while a read
// waits; a camera that stops sending during the preview and during a still. For each: the
// resident's completion and events over the WebSocket, the operator's /metrics and /v1/status,
// recovery, and no partial card data or second completion.
import { z } from 'zod';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WsTestClient } from '../device-daemon/src/testing/ws-test-client';
import { startDaemon, stopAllDaemons, waitUntil, type DaemonProcess } from './support/daemon-process';
import { commandErrors, completionsOf, deviceReport, deviceStateAfter, metricDeviceState, metricValue, scrape, unsolicitedAfter } from './support/fault-probes';

let daemon: DaemonProcess;
let client: WsTestClient;

beforeAll(async () => {
  daemon = await startDaemon();
  client = await WsTestClient.connect(`${daemon.wsUrl}?token=${daemon.uiToken}`);
  await client.completion(client.command('Common.Status', {}));
});

afterAll(async () => {
  expect(client.malformed).toEqual([]);
  client.close();
  expect(await daemon.stop()).toBe(0);
  await stopAllDaemons();
});

// A case that fails must not leave its fault behind for the next one.
afterEach(async () => {
  await daemon.simulate('idCardReader', { action: 'clearFaults' });
  await daemon.simulate('idCardReader', { action: 'plug' });
  await daemon.simulate('scanner', { action: 'plug' });
  for (const camera of ['faceCamera', 'documentCamera']) await daemon.simulate(camera, { action: 'resume' });
});

const mediaOf = async (): Promise<string | undefined> => z.object({ media: z.string() }).safeParse((await deviceReport(daemon, 'idCardReader')).status.idCardReader).data?.media;

/** Takes any card away, then presents `card` anew and waits until the reader has seen it. */
async function presentCard(card: string): Promise<void> {
  await daemon.simulate('idCardReader', { action: 'remove' });
  await waitUntil(async () => (await mediaOf()) === 'notPresent', 20_000, 'reader empty');
  const mark = client.messages.length;
  await daemon.simulate('idCardReader', { action: 'place', card });
  await unsolicitedAfter(client, mark, 'IdCard.CardInserted');
}

/** A read that must succeed, once, with the masked card and nothing more. */
async function readsOnce(): Promise<void> {
  const requestId = client.command('IdCard.Read', {});
  const read = await client.completion(requestId, 20_000);
  expect(read.header.completionCode).toBe('success');
  expect(read.payload).toMatchObject({ card: { name: '张**', idNumber: '330***********1230' } });
  expect(completionsOf(client, requestId)).toHaveLength(1);
}

const readerOnline = (): Promise<void> => waitUntil(async () => (await deviceReport(daemon, 'idCardReader')).status.common.device === 'online', 20_000, 'reader online');

describe('fault matrix: ID card reader', () => {
  it('unplugged mid-read and replugged: one completion with a clear code, noDevice for the operator, one read after replug', async () => {
    await presentCard('resident-zhang');
    const before = await scrape(daemon);
    // A slow reader, so that the read is still on the wire when the cable goes.
    await daemon.simulate('idCardReader', { action: 'latency', ms: 250 });
    const mark = client.messages.length;
    const requestId = client.command('IdCard.Read', {});
    await daemon.simulate('idCardReader', { action: 'unplug' });
    const failed = await client.completion(requestId, 20_000);
    expect([failed.header.completionCode, failed.payload]).toEqual(['deviceNotReady', { errorCode: 'notConnected' }]);
    await deviceStateAfter(client, mark, 'idCardReader', 'noDevice');
    await unsolicitedAfter(client, mark, 'Common.ErrorEvent', (p) => p.device === 'idCardReader' && p.action === 'suspend');

    const during = await scrape(daemon);
    expect(metricDeviceState(during, 'idCardReader')).toBe('noDevice');
    expect(metricValue(during, 'kiosk_device_disconnects_total', { device: 'idCardReader' })).toBe(metricValue(before, 'kiosk_device_disconnects_total', { device: 'idCardReader' }) + 1);
    expect(commandErrors(during, 'IdCard.Read', 'deviceNotReady')).toBe(commandErrors(before, 'IdCard.Read', 'deviceNotReady') + 1);
    expect((await deviceReport(daemon, 'idCardReader')).status.common.device).toBe('noDevice');

    await daemon.simulate('idCardReader', { action: 'clearFaults' });
    const back = client.messages.length;
    await daemon.simulate('idCardReader', { action: 'plug' });
    await deviceStateAfter(client, back, 'idCardReader', 'online');
    await presentCard('resident-zhang');
    await readsOnce();
    expect(completionsOf(client, requestId)).toHaveLength(1);
    expect(metricDeviceState(await scrape(daemon), 'idCardReader')).toBe('online');
  });

  // The decoder finds the frame again: the read goes through as if nothing had happened.
  it.each(['strayBytes', 'splitFrames'] as const)('%s on the line: the decoder resyncs and the read succeeds once', async (fault) => {
    await presentCard('resident-zhang');
    await daemon.simulate('idCardReader', { action: 'fault', fault, on: true });
    await readsOnce();
    expect((await deviceReport(daemon, 'idCardReader')).status.common.device).toBe('online');
    await daemon.simulate('idCardReader', { action: 'clearFaults' });
  });

  // Replies the driver cannot trust: the read fails with a clear code and no card data, the polls
  // fail too so the reader goes offline with a fault, and it comes back when the line is clean.
  it.each([
    { fault: 'garbage', completionCode: 'hardwareError', errorCode: 'noResponse' },
    { fault: 'badChecksum', completionCode: 'hardwareError', errorCode: 'checksumError' },
    { fault: 'silent', completionCode: 'hardwareError', errorCode: 'noResponse' },
  ] as const)('$fault: $completionCode/$errorCode with no card data, offline for the operator, back online after', async ({ fault, completionCode, errorCode }) => {
    await presentCard('resident-zhang');
    const before = await scrape(daemon);
    const mark = client.messages.length;
    await daemon.simulate('idCardReader', { action: 'fault', fault, on: true });
    await deviceStateAfter(client, mark, 'idCardReader', 'offline');
    await unsolicitedAfter(client, mark, 'Common.ErrorEvent', (p) => p.device === 'idCardReader' && p.action === 'suspend');
    const requestId = client.command('IdCard.Read', {});
    const failed = await client.completion(requestId, 20_000);
    expect([failed.header.completionCode, failed.payload]).toEqual([completionCode, { errorCode }]);

    const during = await scrape(daemon);
    expect(metricDeviceState(during, 'idCardReader')).toBe('offline');
    expect(metricValue(during, 'kiosk_command_errors_total', { command: 'IdCard.Read', completion_code: completionCode, error_code: errorCode })).toBe(
      metricValue(before, 'kiosk_command_errors_total', { command: 'IdCard.Read', completion_code: completionCode, error_code: errorCode }) + 1,
    );
    expect(metricValue(during, 'kiosk_device_errors_total', { device: 'idCardReader', action: 'suspend' })).toBeGreaterThan(metricValue(before, 'kiosk_device_errors_total', { device: 'idCardReader', action: 'suspend' }));
    expect((await deviceReport(daemon, 'idCardReader')).status.common.device).toBe('offline');

    const clean = client.messages.length;
    await daemon.simulate('idCardReader', { action: 'clearFaults' });
    await deviceStateAfter(client, clean, 'idCardReader', 'online');
    await presentCard('resident-zhang');
    await readsOnce();
    expect(completionsOf(client, requestId)).toHaveLength(1);
  });

  it('card pulled mid-read: commandErrorCode/readFailed with no card data, the reader empty on screen, the next card read once', async () => {
    await presentCard('resident-zhang');
    const before = await scrape(daemon);
    await daemon.simulate('idCardReader', { action: 'fault', fault: 'pullMidRead', on: true });
    const mark = client.messages.length;
    const requestId = client.command('IdCard.Read', {});
    const failed = await client.completion(requestId, 20_000);
    expect([failed.header.completionCode, failed.payload]).toEqual(['commandErrorCode', { errorCode: 'readFailed' }]);
    await unsolicitedAfter(client, mark, 'Common.StatusChangedEvent', (p) => p.device === 'idCardReader' && z.object({ media: z.string() }).safeParse(p.idCardReader).data?.media === 'notPresent');
    const during = await scrape(daemon);
    expect(metricValue(during, 'kiosk_command_errors_total', { command: 'IdCard.Read', error_code: 'readFailed' })).toBe(metricValue(before, 'kiosk_command_errors_total', { command: 'IdCard.Read', error_code: 'readFailed' }) + 1);
    expect(metricDeviceState(during, 'idCardReader')).toBe('online');
    await daemon.simulate('idCardReader', { action: 'clearFaults' });
    await readerOnline();
    await presentCard('resident-zhang');
    await readsOnce();
    expect(completionsOf(client, requestId)).toHaveLength(1);
  });
});

const scanning = async (): Promise<boolean> => z.object({ scanning: z.boolean() }).parse((await deviceReport(daemon, 'scanner')).status.barcodeReader).scanning;

describe('fault matrix: HID scanner', () => {
  it('unplugged while Scanner.Read waits, replugged: one completion, noDevice for the operator, the next scan read once', async () => {
    const before = await scrape(daemon);
    const requestId = client.command('Scanner.Read', { devices: ['scanner'] });
    await waitUntil(scanning, 20_000, 'scanner armed');
    const mark = client.messages.length;
    await daemon.simulate('scanner', { action: 'unplug' });
    const failed = await client.completion(requestId, 20_000);
    expect(failed.header.completionCode).toBe('deviceNotReady');
    await deviceStateAfter(client, mark, 'scanner', 'noDevice');
    const during = await scrape(daemon);
    expect(metricDeviceState(during, 'scanner')).toBe('noDevice');
    expect(commandErrors(during, 'Scanner.Read', 'deviceNotReady')).toBe(commandErrors(before, 'Scanner.Read', 'deviceNotReady') + 1);
    expect(metricValue(during, 'kiosk_device_disconnects_total', { device: 'scanner' })).toBe(metricValue(before, 'kiosk_device_disconnects_total', { device: 'scanner' }) + 1);
    expect(await scanning()).toBe(false);

    const back = client.messages.length;
    await daemon.simulate('scanner', { action: 'plug' });
    await deviceStateAfter(client, back, 'scanner', 'online');
    const again = client.command('Scanner.Read', { devices: ['scanner'] });
    await waitUntil(scanning, 20_000, 'scanner armed again');
    await daemon.simulate('scanner', { action: 'scan', text: '6901234567892', symbology: 'ean13' });
    const read = await client.completion(again, 20_000);
    expect(read.payload).toEqual({ text: '6901234567892', symbology: 'ean13', source: 'hid', device: 'scanner' });
    expect([completionsOf(client, requestId), completionsOf(client, again)].map((c) => c.length)).toEqual([1, 1]);
  });
});

describe('fault matrix: cameras', () => {
  it('face camera stops mid-preview: stalled and offline for both sides, Face.Verify refused at once, back on resume', async () => {
    const before = await scrape(daemon);
    const mark = client.messages.length;
    await daemon.simulate('faceCamera', { action: 'pause' });
    await unsolicitedAfter(client, mark, 'Common.StatusChangedEvent', (p) => p.device === 'faceCamera' && z.object({ stream: z.string() }).safeParse(p.camera).data?.stream === 'stalled');
    await unsolicitedAfter(client, mark, 'Common.ErrorEvent', (p) => p.device === 'faceCamera');
    const requestId = client.command('Face.Verify', { reference: { kind: 'card', readId: 'none' } });
    const refused = await client.completion(requestId, 20_000);
    expect([refused.header.completionCode, refused.payload.errorCode]).toEqual(['commandErrorCode', 'cameraNotReady']);
    const during = await scrape(daemon);
    expect(metricDeviceState(during, 'faceCamera')).toBe('offline');
    expect(metricValue(during, 'kiosk_device_errors_total', { device: 'faceCamera', action: 'suspend' })).toBeGreaterThan(metricValue(before, 'kiosk_device_errors_total', { device: 'faceCamera', action: 'suspend' }));
    expect(commandErrors(during, 'Face.Verify', 'commandErrorCode')).toBe(commandErrors(before, 'Face.Verify', 'commandErrorCode') + 1);
    expect((await deviceReport(daemon, 'faceCamera')).status).toMatchObject({ common: { device: 'offline' }, camera: { stream: 'stalled' } });

    const back = client.messages.length;
    await daemon.simulate('faceCamera', { action: 'resume' });
    await deviceStateAfter(client, back, 'faceCamera', 'online');
    expect(completionsOf(client, requestId)).toHaveLength(1);
  });

  it('document camera stops as a still is asked for: one completion, then cameraNotReady while stalled, one picture after resume', async () => {
    const before = await scrape(daemon);
    const mark = client.messages.length;
    const inFlight = client.command('Camera.TakePicture', {});
    await daemon.simulate('documentCamera', { action: 'pause' });
    const first = await client.completion(inFlight, 30_000);
    // The still may have been taken before the frames stopped; either way it ends once, clearly.
    expect(first.header.completionCode === 'success' || first.payload.errorCode === 'cameraNotReady').toBe(true);
    await deviceStateAfter(client, mark, 'documentCamera', 'offline', 30_000);
    const refusedId = client.command('Camera.TakePicture', {});
    const refused = await client.completion(refusedId, 20_000);
    expect([refused.header.completionCode, refused.payload.errorCode]).toEqual(['commandErrorCode', 'cameraNotReady']);
    const during = await scrape(daemon);
    expect(metricDeviceState(during, 'documentCamera')).toBe('offline');
    expect(metricValue(during, 'kiosk_command_errors_total', { command: 'Camera.TakePicture', error_code: 'cameraNotReady' })).toBeGreaterThan(metricValue(before, 'kiosk_command_errors_total', { command: 'Camera.TakePicture', error_code: 'cameraNotReady' }));

    const back = client.messages.length;
    await daemon.simulate('documentCamera', { action: 'resume' });
    await deviceStateAfter(client, back, 'documentCamera', 'online', 30_000);
    const retryId = client.command('Camera.TakePicture', {});
    const picture = await client.completion(retryId, 30_000);
    expect(picture.header.completionCode).toBe('success');
    expect([inFlight, refusedId, retryId].map((id) => completionsOf(client, id).length)).toEqual([1, 1, 1]);
  });
});
