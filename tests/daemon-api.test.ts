// The real daemon, as a separate process, over a real WebSocket: its simulated receipt printer is
// driven through the ops API, the way a technician's tools and the CI exercise it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WsTestClient } from '../device-daemon/src/testing/ws-test-client';
import { OPS_TOKEN, ROOT, spawnDaemon, startDaemon, stopAllDaemons, type DaemonProcess } from './support/daemon-process';

let daemon: DaemonProcess;
const clients: WsTestClient[] = [];

async function client(query?: string, origin?: string): Promise<WsTestClient> {
  const c = await WsTestClient.connect(`${daemon.wsUrl}${query ?? `?token=${daemon.uiToken}`}`, origin ? { origin } : {});
  clients.push(c);
  return c;
}

const text = (s: string): string => Buffer.from(`${s}\n`, 'utf8').toString('base64');

beforeAll(async () => {
  daemon = await startDaemon();
});

afterAll(async () => {
  for (const c of clients) {
    expect(c.malformed).toEqual([]);
    c.close();
  }
  const code = await daemon.stop();
  expect(code).toBe(0);
  await stopAllDaemons();
});

describe('the daemon over its WebSocket', () => {
  it('answers Common.Status and Common.Capabilities with the simulated printer', async () => {
    const c = await client();
    const status = await c.completion(c.command('Common.Status', {}));
    expect(status.header.completionCode).toBe('success');
    expect(status.payload).toEqual({
      devices: {
        receiptPrinter: { deviceClass: 'printer', common: { device: 'online', devicePosition: 'inPosition' }, printer: { paper: 'full', cover: 'closed' } },
        idCardReader: { deviceClass: 'idCardReader', common: { device: 'online', devicePosition: 'inPosition' }, idCardReader: { media: 'notPresent', sam: 'ok' } },
        faceCamera: { deviceClass: 'camera', common: { device: 'online', devicePosition: 'inPosition' }, camera: { role: 'face', stream: 'running' } },
        documentCamera: { deviceClass: 'camera', common: { device: 'online', devicePosition: 'inPosition' }, camera: { role: 'document', stream: 'running' } },
        scanner: { deviceClass: 'barcodeReader', common: { device: 'online', devicePosition: 'inPosition' }, barcodeReader: { scanning: false } },
        a4Printer: { deviceClass: 'documentPrinter', common: { device: 'online', devicePosition: 'inPosition' }, documentPrinter: { queue: 'idle', reason: '' } },
      },
    });
    const one = await c.completion(c.command('Common.Status', { device: 'receiptPrinter' }));
    expect(Object.keys((one.payload as { devices: object }).devices)).toEqual(['receiptPrinter']);
    const missing = await c.completion(c.command('Common.Status', { device: 'nothingHere' }));
    expect(missing.header.completionCode).toBe('invalidData');
    const caps = await c.completion(c.command('Common.Capabilities', {}));
    expect(caps.payload).toMatchObject({ devices: { receiptPrinter: { deviceClass: 'printer', printer: { type: 'receipt', paperWidthDots: 576 } } } });
  });

  it('refuses a connection without the token, with a wrong one, or from another Origin', async () => {
    const noToken = await client('');
    noToken.command('Common.Status', {});
    expect((await noToken.closed).code).toBe(4401);
    const wrong = await client('?token=guess');
    expect((await wrong.closed).code).toBe(4401);
    await expect(client(undefined, 'http://attacker.example')).rejects.toThrow('upgrade refused: 403');
    const ok = await client('', `http://127.0.0.1:${daemon.uiPort}`);
    await ok.authenticate(daemon.uiToken);
    expect((await ok.completion(ok.command('Common.Status', {}))).header.completionCode).toBe('success');
  });

  it('answers bad input with the XFS4IoT codes and keeps the connection and its other commands', async () => {
    const c = await client();
    await daemon.simulate('receiptPrinter', { action: 'hold' });
    const job = c.command('Printer.PrintRaw', { data: text('survives bad input') });
    c.sendRaw('{not json');
    c.command('Printer.Nope', {});
    c.command('Printer.PrintRaw', { data: 'not base64!' });
    c.command('Common.Status', {}, { requestId: job });
    c.sendRaw(JSON.stringify({ header: { name: 'Common.Status', requestId: 777, type: 'command' }, payload: { pad: 'x'.repeat(1_100_000) } }));
    const refusals = await c.waitFor((m) => m.header.type === 'acknowledge' && 'errorDescription' in m.header && /exceeds/.test(m.header.errorDescription ?? ''));
    expect(refusals.header).toMatchObject({ status: 'invalidMessage' });
    const acks = c.messages.filter((m) => m.header.type === 'acknowledge' && 'status' in m.header && m.header.status);
    expect(acks.map((m) => (m.header.type === 'acknowledge' ? m.header.status : ''))).toEqual(['invalidMessage', 'invalidRequestID', 'invalidMessage']);
    const codes = c.messages.filter((m) => m.header.type === 'completion').map((m) => (m.header.type === 'completion' ? m.header.completionCode : ''));
    expect(codes).toEqual(['unsupportedCommand', 'invalidData']);
    await daemon.simulate('receiptPrinter', { action: 'release' });
    expect((await c.completion(job)).header.completionCode).toBe('success');
    expect(c.isOpen).toBe(true);
  });

  it('queues physical actions per device and completes them in order', async () => {
    const c = await client();
    await daemon.simulate('receiptPrinter', { action: 'hold' });
    const ids = ['first', 'second', 'third'].map((word) => c.command('Printer.PrintRaw', { data: text(`queue ${word}`) }));
    await Promise.all(ids.map((id) => c.acknowledge(id)));
    const status = await c.completion(c.command('Common.Status', {}));
    expect(status.header.completionCode).toBe('success');
    expect(c.messages.some((m) => m.header.type === 'completion' && ids.includes(m.header.requestId))).toBe(false);
    await daemon.simulate('receiptPrinter', { action: 'release' });
    for (const id of ids) expect((await c.completion(id)).header.completionCode).toBe('success');
    const order = c.messages.filter((m) => m.header.type === 'completion' && ids.includes(m.header.requestId)).map((m) => (m.header.type === 'completion' ? m.header.requestId : 0));
    expect(order).toEqual(ids);
    const sim = (await (await daemon.ops('/v1/simulator/receiptPrinter')).json()) as { lastLines: string[] };
    expect(sim.lastLines.filter((l) => l.startsWith('queue '))).toEqual(['queue first', 'queue second', 'queue third']);
  });

  it('cancels a queued and a running command: Common.Cancel completes first', async () => {
    const c = await client();
    await daemon.simulate('receiptPrinter', { action: 'hold' });
    const running = c.command('Printer.PrintRaw', { data: text('cancel running') });
    const queued = c.command('Printer.PrintRaw', { data: text('cancel queued') });
    await Promise.all([c.acknowledge(running), c.acknowledge(queued)]);
    const cancelQueued = c.command('Common.Cancel', { requestIds: [queued] });
    expect((await c.completion(queued)).header.completionCode).toBe('canceled');
    const cancelRunning = c.command('Common.Cancel', { requestIds: [running] });
    expect((await c.completion(running)).header.completionCode).toBe('canceled');
    const order = c.messages.filter((m) => m.header.type === 'completion').map((m) => (m.header.type === 'completion' ? m.header.requestId : 0));
    expect(order).toEqual([cancelQueued, queued, cancelRunning, running]);
    const none = await c.completion(c.command('Common.Cancel', { requestIds: [running] }));
    expect([none.header.completionCode, none.payload]).toEqual(['commandErrorCode', { errorCode: 'noMatchingRequestIDs' }]);
    await daemon.simulate('receiptPrinter', { action: 'release' });
    // The printer is free again: the next job goes through.
    expect((await c.completion(c.command('Printer.PrintRaw', { data: text('after cancel') }))).header.completionCode).toBe('success');
  });

  it('times a command out and the late reply does not complete the next one', async () => {
    const c = await client();
    await daemon.simulate('receiptPrinter', { action: 'hold' });
    const slow = c.command('Printer.PrintRaw', { data: text('too slow') }, { timeout: 300 });
    const timedOut = await c.completion(slow);
    expect(timedOut.header.completionCode).toBe('timeOut');
    expect(timedOut.header.errorDescription).toBe('Printer.PrintRaw timed out after 300 ms');
    const next = c.command('Printer.PrintRaw', { data: text('next job') });
    await c.acknowledge(next);
    await daemon.simulate('receiptPrinter', { action: 'release' });
    expect((await c.completion(next)).header.completionCode).toBe('success');
    const sim = (await (await daemon.ops('/v1/simulator/receiptPrinter')).json()) as { lastLines: string[] };
    expect(sim.lastLines.slice(-2)).toEqual(['too slow', 'next job']);
  });

  it('reports paper out as a status change, an error event and a command error', async () => {
    const c = await client();
    await c.completion(c.command('Common.Status', {}));
    await daemon.simulate('receiptPrinter', { action: 'paper', paper: 'out' });
    await c.unsolicited('Common.StatusChangedEvent', (p) => JSON.stringify(p) === JSON.stringify({ device: 'receiptPrinter', printer: { paper: 'out' } }));
    const error = await c.unsolicited('Common.ErrorEvent');
    expect(error.payload).toEqual({ device: 'receiptPrinter', eventId: 'user', action: 'clear', vendorDescription: 'receipt paper is out' });
    const refused = await c.completion(c.command('Printer.PrintRaw', { data: text('no paper') }));
    expect([refused.header.completionCode, refused.payload]).toEqual(['commandErrorCode', { errorCode: 'paperOut' }]);
    await daemon.simulate('receiptPrinter', { action: 'paper', paper: 'full' });
    await c.unsolicited('Common.StatusChangedEvent', (p) => JSON.stringify(p) === JSON.stringify({ device: 'receiptPrinter', printer: { paper: 'full' } }));
  });

  it('notices a dropped transport, reports noDevice, and reconnects when the device returns', async () => {
    const c = await client();
    await c.completion(c.command('Common.Status', {}));
    await daemon.simulate('receiptPrinter', { action: 'unplug' });
    await c.unsolicited('Common.StatusChangedEvent', (p) => JSON.stringify(p) === JSON.stringify({ device: 'receiptPrinter', common: { device: 'noDevice' } }));
    const error = await c.unsolicited('Common.ErrorEvent', (p) => p.action === 'suspend');
    expect(error.payload).toMatchObject({ device: 'receiptPrinter', eventId: 'hardware', vendorDescription: 'printer is not connected; reconnecting' });
    const refused = await c.completion(c.command('Printer.PrintRaw', { data: text('unplugged') }));
    expect(refused.header.completionCode).toBe('deviceNotReady');
    const metrics = await (await daemon.ops('/metrics')).text();
    expect(metrics).toMatch(/^kiosk_device_state\{device="receiptPrinter",state="noDevice"\} 1$/m);
    await daemon.simulate('receiptPrinter', { action: 'plug' });
    await c.unsolicited('Common.StatusChangedEvent', (p) => JSON.stringify(p) === JSON.stringify({ device: 'receiptPrinter', common: { device: 'online' } }));
    expect((await c.completion(c.command('Printer.PrintRaw', { data: text('replugged') }))).header.completionCode).toBe('success');
  });
});

describe('the ops listener and kioskctl', () => {
  it('serves the device state set to a bearer token and 401 without it', async () => {
    const bare = await fetch(`http://127.0.0.1:${daemon.opsPort}/metrics`);
    expect(bare.status).toBe(401);
    const metrics = await (await daemon.ops('/metrics')).text();
    const states = [...metrics.matchAll(/^kiosk_device_state\{device="receiptPrinter",state="(\w+)"\} ([01])$/gm)];
    expect(states).toHaveLength(8);
    expect(states.filter((m) => m[2] === '1').map((m) => m[1])).toEqual(['online']);
    expect(metrics).toMatch(/^kiosk_commands_total\{command="Printer\.PrintRaw",completion_code="success"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^kiosk_protocol_refusals_total\{reason="unauthorized"\} [1-9]\d*$/m);
  });

  it('kioskctl status reads /v1/status', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'device-daemon', 'bin', 'kioskctl.js'), 'status'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', KIOSK_OPS_PORT: String(daemon.opsPort), KIOSK_OPS_TOKEN: OPS_TOKEN },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^receiptPrinter +printer +online +simulated +paper full, cover closed$/m);
  });
});

describe('start-up', () => {
  it('stops on a bad configuration and names the key', async () => {
    const bad = spawnDaemon({ site: { ui: { port: 'eighty' }, devices: { receiptPrinter: { transport: { kind: 'tcp', host: 'printer.local' } } } }, env: { KIOSK_PORT: '' } });
    expect(await bad.exited).toBe(78);
    const message = bad.stderr.join('\n');
    expect(message).toMatch(/^ui\.port: /m);
    expect(message).toMatch(/^devices\.receiptPrinter\.transport\.port: /m);
  });
});
