import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { runKioskctl } from './kioskctl';

let server: Server | undefined;

afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

const REPORT = {
  terminal: { id: 'gz-0042', site: '某某镇便民服务中心', region: '330106001' },
  build: { version: '0.1.0', revision: 'abc1234' },
  uptimeSeconds: 4000,
  ready: true,
  uiConnections: 1,
  devices: {
    receiptPrinter: {
      deviceClass: 'printer',
      simulated: true,
      status: { deviceClass: 'printer', common: { device: 'online', devicePosition: 'inPosition' }, printer: { paper: 'full', cover: 'closed' } },
      lastHealth: null,
    },
  },
};

const METRICS = `# TYPE kiosk_device_info gauge
kiosk_device_info{device="receiptPrinter",model="TM-T88VI",serial="X5E1234",firmware="30.01",simulated="false"} 1
kiosk_device_info{device="documentCamera",model="高拍仪 Pro document",serial="",firmware="",simulated="false"} 1
kiosk_printer_paper_state{device="receiptPrinter",state="full"} 1
kiosk_printer_paper_state{device="receiptPrinter",state="low"} 0
kiosk_outbox_messages{kind="submission",state="pending"} 2
kiosk_outbox_messages{kind="rating",state="pending"} 1
kiosk_outbox_messages{kind="submission",state="delivered"} 40
kiosk_outbox_messages{kind="submission",state="rejected"} 0
kiosk_outbox_oldest_pending_seconds 185
kiosk_payment_orders{state="CREATED"} 0
kiosk_payment_orders{state="PAYING"} 1
kiosk_payment_orders{state="SUCCESS"} 12
kiosk_payment_orders_confirming 1
kiosk_payment_oldest_open_seconds 42
kiosk_journeys_started_total{journey="J4"} 9
kiosk_journeys_completed_total{journey="J4"} 7
kiosk_journeys_abandoned_total{journey="J4"} 2
kiosk_journey_last_completed_timestamp_seconds{journey="J1"} 1772352000
kiosk_journey_last_completed_timestamp_seconds{journey="J4"} 1772352600
kiosk_face_service_state{state="ready"} 1
kiosk_face_service_state{state="loading"} 0
kiosk_photo_service_state{state="ready"} 1
kiosk_daemon_starts_total 5
kiosk_daemon_unclean_starts_total 1
kiosk_catalogue_stale 0
`;

/** An ops listener: /v1/status answers `body`, /metrics answers `metrics` (404 when null). */
async function opsStub(body: unknown, token = 'right-token', metrics: string | null = METRICS): Promise<string> {
  server = createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401).end();
      return;
    }
    if (req.url === '/metrics') {
      if (metrics === null) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(metrics);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await runKioskctl(args, (line) => lines.push(line));
  return { code, out: lines.join('\n') };
}

describe('kioskctl status', () => {
  it('prints a fleet operator\'s summary of the terminal from /v1/status and /metrics', async () => {
    const url = await opsStub(REPORT);
    const { code, out } = await run(['status', '--remote', url, '--token', 'right-token']);
    expect(code).toBe(0);
    expect(out).toContain('terminal gz-0042  site 某某镇便民服务中心  region 330106001');
    expect(out).toContain('daemon 0.1.0 (abc1234)  up 67 min  ready  ui connections 1');
    expect(out).toMatch(/^receiptPrinter +printer +online +simulated +paper full, cover closed$/m);
    expect(out).toContain('outbox    3 pending (oldest 3 min), 0 rejected, 40 delivered');
    expect(out).toContain('payments  PAYING 1, SUCCESS 12; 1 confirming; oldest open 42 s');
    expect(out).toContain('journeys  9 started, 7 completed, 2 abandoned since start; last completed J4 at 2026-03-01T08:10:00.000Z');
    expect(out).toContain('models    face ready, photo ready');
    expect(out).toContain('restarts  5 starts, 1 unclean (crash, watchdog, power)');
    expect(out).toMatch(/^receiptPrinter +TM-T88VI +X5E1234 +30\.01$/m);
    // A CJK model name takes two cells a character: the next column still lines up.
    expect(out).toContain('DEVICE          MODEL                SERIAL   FIRMWARE\nreceiptPrinter  TM-T88VI             X5E1234  30.01\ndocumentCamera  高拍仪 Pro document  -        -');
    expect(out).toMatch(/^attention: none$/m);
  });

  it('flags what needs attention and exits 3: paper, a device gone, outbox, payments, models, no screen', async () => {
    const degraded = structuredClone(REPORT);
    degraded.devices.receiptPrinter.status.printer.paper = 'low';
    degraded.uiConnections = 0;
    const metrics = METRICS.replace('kiosk_outbox_oldest_pending_seconds 185', 'kiosk_outbox_oldest_pending_seconds 2700')
      .replace('kiosk_payment_oldest_open_seconds 42', 'kiosk_payment_oldest_open_seconds 1200')
      .replace('kiosk_outbox_messages{kind="submission",state="rejected"} 0', 'kiosk_outbox_messages{kind="submission",state="rejected"} 2')
      .replace('kiosk_photo_service_state{state="ready"} 1', 'kiosk_photo_service_state{state="unavailable"} 1');
    const url = await opsStub(degraded, 'right-token', metrics);
    const { code, out } = await run(['status', '--remote', url, '--token', 'right-token']);
    expect(code).toBe(3);
    expect(out.slice(out.indexOf('attention:')).split('\n')).toEqual([
      'attention:',
      '  ! receiptPrinter paper low',
      '  ! no screen connected: the kiosk UI is not running or cannot reach the daemon',
      '  ! photo service unavailable (its models did not load)',
      '  ! outbox backing up: 3 waiting, the oldest for 45 min',
      '  ! outbox: 2 refused by the backend, need an operator',
      '  ! payments stuck: an order open for 20 min (1 confirming)',
    ]);
  });

  it('prints the report with the metrics summary as JSON, and exits 3 when a device is not online', async () => {
    const degraded = structuredClone(REPORT);
    degraded.devices.receiptPrinter.status.common.device = 'noDevice';
    const url = await opsStub(degraded);
    const { code, out } = await run(['status', '--json', '--remote', url, '--token', 'right-token']);
    expect(code).toBe(3);
    const json = JSON.parse(out);
    expect(json.devices.receiptPrinter.status.common.device).toBe('noDevice');
    expect(json.metrics.payments).toEqual({ byState: { PAYING: 1, SUCCESS: 12 }, confirming: 1, oldestOpenSeconds: 42 });
    expect(json.metrics.journeys.lastCompleted).toEqual({ journey: 'J4', at: '2026-03-01T08:10:00.000Z' });
    expect(json.attention).toEqual(['receiptPrinter is noDevice']);
  });

  it('still shows the devices when /metrics cannot be read, and says why', async () => {
    const url = await opsStub(REPORT, 'right-token', null);
    const { code, out } = await run(['status', '--remote', url, '--token', 'right-token']);
    expect(code).toBe(0);
    expect(out).toMatch(/^receiptPrinter +printer +online/m);
    expect(out).toContain(`metrics unavailable: ${url}/metrics answered 404`);
  });

  it('explains a refused token, an unreachable daemon and a foreign answer', async () => {
    const url = await opsStub(REPORT);
    expect(await run(['status', '--remote', url, '--token', 'wrong'])).toEqual({ code: 1, out: `kioskctl status: ${url} refused the token (401): pass --token or set KIOSK_OPS_TOKEN` });
    expect((await run(['status', '--remote', 'http://127.0.0.1:1', '--token', 't'])).out).toMatch(/^kioskctl status: cannot reach http:\/\/127\.0\.0\.1:1/);
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    const other = await opsStub({ something: 'else' });
    expect(await run(['status', '--remote', other, '--token', 'right-token'])).toEqual({ code: 1, out: `kioskctl status: ${other} answered something that is not a kiosk status report` });
  });

  it('answers usage errors with exit code 2', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['status', '--bogus'])).code).toBe(2);
    expect((await run(['help'])).code).toBe(0);
  });
});
