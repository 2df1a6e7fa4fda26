import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { err, ok } from '../core/result';
import { DeviceRegistry } from '../devices/device-registry';
import { ReceiptPrinter } from '../devices/receipt-printer/receipt-printer';
import { VirtualPrinter } from '../devices/receipt-printer/simulator/virtual-printer';
import { silentLogger } from '../log/logger';
import { sha256Hex, tokenChecker } from '../server/secrets';
import { MemoryTransport } from '../transports/memory-transport';
import { createMetrics } from './metrics';
import { startOpsServer, type OpsServer } from './ops-server';

const TOKEN = 'ops-token-for-tests-abcdef';
let server: OpsServer;
let base: string;
let printer: ReceiptPrinter;
let sim: VirtualPrinter;
let ready = false;

beforeEach(async () => {
  sim = new VirtualPrinter('sim');
  printer = new ReceiptPrinter({
    name: 'receiptPrinter',
    simulated: true,
    createTransport: () => new MemoryTransport(sim.port, 'memory sim'),
    statusPollMs: 60_000,
    statusTimeoutMs: 500,
    openTimeoutMs: 1_000,
    jobTimeoutMs: 60_000,
    autoStatusBack: true,
    backoff: { initialMs: 100, maxMs: 1_000, factor: 2, jitter: 0 },
    information: { modelName: 'test', serialNumber: '', revisionNumber: '', modelDescription: '' },
    log: silentLogger(),
  });
  const devices = new DeviceRegistry();
  devices.add(printer);
  const metrics = createMetrics({ devices, build: { version: '1.2.3', revision: 'abc1234' }, uiConnections: () => 2 });
  metrics.commandCompleted('Common.Status', 'success', 0.002);
  metrics.commandCompleted('Printer.Explode', 'unsupportedCommand', 0.001);
  metrics.commandCompleted('Printer.PrintForm', 'commandErrorCode', 0.2, 'paperOut');
  const started = await startOpsServer({
    host: '127.0.0.1',
    port: 0,
    checkToken: tokenChecker(sha256Hex(TOKEN)),
    isLive: () => true,
    isReady: () => ready,
    metrics: metrics.registry,
    status: () => ({ hello: 'status' }),
    simulators: new Map([
      [
        'receiptPrinter',
        {
          apply: (body: unknown) => (body && typeof body === 'object' && 'action' in body ? ok({ applied: body.action }) : err('action required')),
          state: () => ({ paper: 'full' }),
        },
      ],
    ]),
    log: silentLogger(),
  });
  if (!started.ok) throw new Error(started.error);
  server = started.value;
  base = `http://127.0.0.1:${server.port}`;
  printer.open();
  await vi.waitFor(() => expect(printer.status().common.device).toBe('online'));
});

afterEach(async () => {
  await printer.close();
  await server.close();
});

const auth = { authorization: `Bearer ${TOKEN}` };

describe('ops listener', () => {
  it('answers /healthz and /readyz without auth and without detail', async () => {
    const live = await fetch(`${base}/healthz`);
    expect([live.status, await live.text()]).toEqual([200, 'ok\n']);
    const notReady = await fetch(`${base}/readyz`);
    expect([notReady.status, await notReady.text()]).toEqual([503, 'not ok\n']);
    ready = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it('refuses /metrics, /v1/status and the simulator without the bearer token', async () => {
    for (const path of ['/metrics', '/v1/status', '/v1/simulator/receiptPrinter']) {
      const bare = await fetch(`${base}${path}`);
      expect(bare.status).toBe(401);
      expect(bare.headers.get('www-authenticate')).toBe('Bearer realm="kiosk-ops"');
      expect((await fetch(`${base}${path}`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      expect((await fetch(`${base}${path}`, { headers: { authorization: TOKEN } })).status).toBe(401);
    }
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
  });

  it('exports the device state set with exactly one state at 1', async () => {
    const response = await fetch(`${base}/metrics`, { headers: auth });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const states = [...text.matchAll(/^kiosk_device_state\{device="receiptPrinter",state="(\w+)"\} (\d)$/gm)].map((m) => [m[1], m[2]]);
    expect(states).toHaveLength(8);
    expect(states.filter(([, v]) => v === '1')).toEqual([['online', '1']]);
    expect(text).toMatch(/^kiosk_printer_paper_state\{device="receiptPrinter",state="full"\} 1$/m);
    expect(text).toMatch(/^kiosk_build_info\{version="1\.2\.3",revision="abc1234",nodejs="[\d.]+"\} 1$/m);
    expect(text).toMatch(/^kiosk_commands_total\{command="Common\.Status",completion_code="success"\} 1$/m);
    expect(text).toMatch(/^kiosk_commands_total\{command="unknown",completion_code="unsupportedCommand"\} 1$/m);
    expect(text).toMatch(/^kiosk_command_errors_total\{command="unknown",completion_code="unsupportedCommand",error_code=""\} 1$/m);
    expect(text).toMatch(/^kiosk_command_errors_total\{command="Printer\.PrintForm",completion_code="commandErrorCode",error_code="paperOut"\} 1$/m);
    expect(text).not.toMatch(/^kiosk_command_errors_total\{command="Common\.Status"/m);
    expect(text).toMatch(/^kiosk_device_info\{device="receiptPrinter",model="test",serial="",firmware="",simulated="true"\} 1$/m);
    // prom-client's gauges named _total would fail `promtool check metrics`: they are not exported.
    expect(text).not.toMatch(/^nodejs_active_(handles|requests|resources)_total/m);
    expect(text).toMatch(/^nodejs_active_handles\{/m);
    expect(text).toMatch(/^kiosk_command_duration_seconds_bucket\{le="0\.005",command="Common\.Status"\} 1$/m);
    expect(text).toMatch(/^kiosk_ui_connections 2$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  it('follows the device on every scrape', async () => {
    sim.control({ action: 'unplug' });
    await vi.waitFor(() => expect(printer.status().common.device).toBe('noDevice'));
    const text = await (await fetch(`${base}/metrics`, { headers: auth })).text();
    expect(text).toMatch(/^kiosk_device_state\{device="receiptPrinter",state="noDevice"\} 1$/m);
    expect(text).toMatch(/^kiosk_device_state\{device="receiptPrinter",state="online"\} 0$/m);
    expect(text).toMatch(/^kiosk_device_disconnects_total\{device="receiptPrinter"\} 1$/m);
    expect(text).toMatch(/^kiosk_device_errors_total\{device="receiptPrinter",action="suspend"\} 1$/m);
  });

  it('serves /v1/status and drives simulators with validated JSON', async () => {
    expect(await (await fetch(`${base}/v1/status`, { headers: auth })).json()).toEqual({ hello: 'status' });
    const post = (body: string) => fetch(`${base}/v1/simulator/receiptPrinter`, { method: 'POST', headers: auth, body });
    expect(await (await post('{"action":"hold"}')).json()).toEqual({ applied: 'hold' });
    const bad = await post('{}');
    expect([bad.status, await bad.json()]).toEqual([400, { error: 'action required' }]);
    expect((await post('not json')).status).toBe(400);
    expect((await fetch(`${base}/v1/simulator/nothing`, { headers: auth })).status).toBe(404);
    expect(await (await fetch(`${base}/v1/simulator/receiptPrinter`, { headers: auth })).json()).toEqual({ paper: 'full' });
  });
});
