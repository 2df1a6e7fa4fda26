// Technicians' self-tests against the built daemon in simulation, at each UnifiedPOS level: over the
// ops listener (what kioskctl uses), through kioskctl itself, and over the WebSocket for a technician
// logged in with a scrypt PIN; a printer out of paper and a stopped A4 queue fail with their reason.
// Then sd_notify over a real unix datagram socket: READY after enumeration, WATCHDOG, STOPPING.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { selfTestReportSchema, statusReportSchema, type StatusReport } from '../device-daemon/src/ops/status-report';
import { DatagramReceiver, loadLibc } from '../device-daemon/src/ops/unix-datagram';
import { hashPinScrypt } from '../device-daemon/src/server/pin-hash';
import { evalFace, evalFacesPresent, EVAL_FACES_SKIP_REASON } from '../device-daemon/src/testing/eval-faces';
import { WsTestClient } from '../device-daemon/src/testing/ws-test-client';
import { OPS_TOKEN, ROOT, startDaemon, stopAllDaemons, waitUntil, type DaemonProcess } from './support/daemon-process';
import { siteFor, startSandboxes, type Sandboxes } from './support/sandboxes';

const PIN = '470215';

let sandboxes: Sandboxes;
let daemon: DaemonProcess;
const clients: WsTestClient[] = [];

type Result = z.infer<typeof selfTestReportSchema>;
const resultsSchema = z.object({ results: z.array(selfTestReportSchema) });
const printerStateSchema = z.object({ cuts: z.number(), lastLines: z.array(z.string()) });

async function selfTest(body: Record<string, unknown>): Promise<Result[]> {
  const response = await daemon.ops('/v1/selftest', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  expect(response.status).toBe(200);
  return resultsSchema.parse(await response.json()).results;
}

async function status(of: DaemonProcess = daemon): Promise<StatusReport> {
  return statusReportSchema.parse(await (await of.ops('/v1/status')).json());
}

async function virtualPrinter(): Promise<z.infer<typeof printerStateSchema>> {
  return printerStateSchema.parse(await (await daemon.ops('/v1/simulator/receiptPrinter')).json());
}

/** The printer's status is polled: wait until the daemon has seen the paper state the simulator was given. */
async function paperSeen(paper: string): Promise<void> {
  await waitUntil(async () => (await status()).devices.receiptPrinter?.status.printer?.paper === paper, 10_000, `paper ${paper}`);
}

const byDevice = (results: Result[]): Record<string, [string, string]> => Object.fromEntries(results.map((r) => [r.device, [r.outcome, r.text]]));

beforeAll(async () => {
  sandboxes = await startSandboxes();
  daemon = await startDaemon({ site: siteFor(sandboxes, { extra: { technician: { pinSha256: null, pinScrypt: await hashPinScrypt(PIN), selfTestWaitMs: 20_000 } } }) });
}, 60_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await stopAllDaemons();
  await sandboxes?.gateway.close();
  await sandboxes?.platform.close();
});

describe('self-tests through the ops listener', { timeout: 60_000 }, () => {
  it('internal: every device, the database and the face models, nothing physical; the results show in /v1/status', async () => {
    const before = await virtualPrinter();
    const results = await selfTest({ level: 'internal' });
    const outcomes = byDevice(results);
    expect(Object.keys(outcomes)).toEqual(['receiptPrinter', 'idCardReader', 'faceCamera', 'documentCamera', 'scanner', 'a4Printer', 'database', 'faceService']);
    for (const [device, [outcome, text]] of Object.entries(outcomes)) expect(outcome, `${device}: ${text}`).toBe('passed');
    expect(outcomes.database?.[1]).toMatch(/quick_check ok/);
    const after = await virtualPrinter();
    expect(after.cuts).toBe(before.cuts);
    const report = await status();
    expect((report.selfTests ?? []).filter((r) => r.level === 'internal').map((r) => r.device).sort()).toEqual(['a4Printer', 'database', 'documentCamera', 'faceCamera', 'faceService', 'idCardReader', 'receiptPrinter', 'scanner']);
  });

  it('external: the printer prints the test slip, the reader answers, the cameras send a frame, CUPS answers', async () => {
    const before = await virtualPrinter();
    const results = await selfTest({ level: 'external' });
    const outcomes = byDevice(results);
    for (const device of ['receiptPrinter', 'idCardReader', 'faceCamera', 'documentCamera', 'scanner', 'a4Printer']) expect(outcomes[device]?.[0], `${device}: ${outcomes[device]?.[1]}`).toBe('passed');
    expect(outcomes.receiptPrinter?.[1]).toMatch(/test slip printed/);
    expect(outcomes.faceCamera?.[1]).toMatch(/a new frame arrived/);
    expect(outcomes.a4Printer?.[1]).toMatch(/queue A4 idle/);
    expect(outcomes.database?.[0]).toBe('skipped');
    // The self-test slip's lines, one cut.
    const printer = await virtualPrinter();
    expect(printer.cuts).toBe(before.cuts + 1);
    const slip = printer.lastLines.join('\n');
    expect(slip).toMatch(/^状态 Status +online, paper full, cover closed$/m);
    expect(slip).toMatch(/^已打印 Printed slips +0$/m);
    expect(slip).toContain('政务服务自助终端打印测试');
  });

  it('external: a printer out of paper fails with the reason and no slip is queued; a stopped A4 queue fails with its reason', async () => {
    await daemon.simulate('receiptPrinter', { action: 'paper', paper: 'out' });
    await daemon.simulate('a4Printer', { action: 'stop', reason: 'Media empty or out of paper' });
    const jobsBefore = (await status()).devices.receiptPrinter?.printJobs;
    await paperSeen('out');
    expect(byDevice(await selfTest({ device: 'receiptPrinter', level: 'internal' })).receiptPrinter?.[0]).toBe('failed');
    const printer = byDevice(await selfTest({ device: 'receiptPrinter', level: 'external' }));
    expect(printer.receiptPrinter).toEqual(['failed', expect.stringMatching(/paper out; .*no test slip sent$/)]);
    const a4 = byDevice(await selfTest({ device: 'a4Printer', level: 'external' }));
    expect(a4.a4Printer).toEqual(['failed', expect.stringContaining('Media empty or out of paper')]);
    const jobsAfter = (await status()).devices.receiptPrinter?.printJobs;
    expect(jobsAfter).toEqual(jobsBefore);
    await daemon.simulate('receiptPrinter', { action: 'paper', paper: 'full' });
    await daemon.simulate('a4Printer', { action: 'start' });
    await paperSeen('full');
  });

  it('refuses an unknown device and a bad level', async () => {
    const unknown = await daemon.ops('/v1/selftest', { method: 'POST', body: JSON.stringify({ device: 'printer9', level: 'internal' }) });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: expect.stringMatching(/^no device or service named printer9 \(known: receiptPrinter, idCardReader/) });
    expect((await daemon.ops('/v1/selftest', { method: 'POST', body: JSON.stringify({ level: 'deep' }) })).status).toBe(400);
    expect((await fetch(`http://127.0.0.1:${daemon.opsPort}/v1/selftest`, { method: 'POST', body: '{"level":"internal"}' })).status).toBe(401);
  });

  it.skipIf(!evalFacesPresent)(`interactive: the face camera waits for one face in front of it (${evalFacesPresent ? 'eval faces present' : EVAL_FACES_SKIP_REASON})`, async () => {
    await daemon.simulate('faceCamera', { action: 'leave' });
    const pending = selfTest({ device: 'faceCamera', level: 'interactive' });
    await daemon.simulate('faceCamera', { action: 'show', image: evalFace('penny_1.png') });
    expect(byDevice(await pending).faceCamera).toEqual(['passed', 'Interactive CheckHealth: one face found in a live frame']);
    await daemon.simulate('faceCamera', { action: 'leave' });
  });
});

describe('kioskctl selftest', { timeout: 60_000 }, () => {
  function kioskctl(args: string[], onLine: (line: string) => void = () => undefined): Promise<{ code: number | null; lines: string[] }> {
    const child = spawn(process.execPath, [join(ROOT, 'device-daemon', 'dist', 'kioskctl.js'), 'selftest', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', KIOSK_OPS_PORT: String(daemon.opsPort), KIOSK_OPS_TOKEN: OPS_TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      onLine(line);
    });
    createInterface({ input: child.stderr }).on('line', (line) => lines.push(`stderr: ${line}`));
    return new Promise((resolve) => child.once('exit', (code) => resolve({ code, lines })));
  }

  it('internal: one line per device, exit 0', async () => {
    const { code, lines } = await kioskctl([]);
    expect(lines.join('\n')).toMatch(/^ok +receiptPrinter +internal +Internal CheckHealth: OK; connected over memory receiptPrinter; state online; paper full; cover closed$/m);
    expect(code, lines.join('\n')).toBe(0);
  });

  it('interactive: prompts for a card, and the card presented is read', async () => {
    await daemon.simulate('idCardReader', { action: 'remove' });
    const { code, lines } = await kioskctl(['--level', 'interactive', '--device', 'idCardReader', '--yes'], (line) => {
      if (line.startsWith('Hold a test ID card')) void daemon.simulate('idCardReader', { action: 'place', card: 'holder' });
    });
    expect(lines).toContain('Hold a test ID card on the reader idCardReader.');
    expect(lines.join('\n')).toMatch(/^ok +idCardReader +interactive +Interactive CheckHealth: read a resident card$/m);
    expect(code).toBe(0);
    // External, with a card on the reader: the SAM answers and the card is read.
    expect(byDevice(await selfTest({ device: 'idCardReader', level: 'external' })).idCardReader).toEqual(['passed', expect.stringMatching(/^External CheckHealth: SAM answered OK \(.*\); read the resident card on the reader$/)]);
    await daemon.simulate('idCardReader', { action: 'remove' });
  });

  it('external with the printer out of paper: FAIL and exit 3', async () => {
    await daemon.simulate('receiptPrinter', { action: 'paper', paper: 'out' });
    await paperSeen('out');
    const { code, lines } = await kioskctl(['--device', 'receiptPrinter', '--level', 'external']);
    expect(lines.join('\n')).toMatch(/^FAIL +receiptPrinter +external +External CheckHealth: printer answered; state \w+; paper out; cover closed; no test slip sent$/m);
    expect(code).toBe(3);
    await daemon.simulate('receiptPrinter', { action: 'paper', paper: 'full' });
    await paperSeen('full');
  });
});

describe('Technician.SelfTest over the WebSocket', { timeout: 60_000 }, () => {
  async function client(): Promise<WsTestClient> {
    const c = await WsTestClient.connect(`${daemon.wsUrl}?token=${daemon.uiToken}`);
    clients.push(c);
    return c;
  }

  it('needs the technician logged in on that connection (scrypt PIN), then runs the tests and shows the counters', async () => {
    const ui = await client();
    const refused = await ui.completion(ui.command('Technician.SelfTest', { level: 'internal' }));
    expect(refused.header.completionCode).toBe('authorisationRequired');
    const wrong = await ui.completion(ui.command('Technician.Login', { pin: '111111' }));
    expect(wrong.payload).toMatchObject({ errorCode: 'wrongPin' });
    const login = await ui.completion(ui.command('Technician.Login', { pin: PIN }));
    expect(login.header.completionCode).toBe('success');
    expect(Date.parse(String(login.payload?.expiresAt))).toBeGreaterThan(Date.now());
    const ran = await ui.completion(ui.command('Technician.SelfTest', { level: 'external', device: 'receiptPrinter' }), 30_000);
    expect(ran.header.completionCode).toBe('success');
    expect(ran.payload).toMatchObject({ results: [{ device: 'receiptPrinter', level: 'external', outcome: 'passed', text: expect.stringContaining('test slip printed') }] });
    const counters = await ui.completion(ui.command('Technician.Counters', {}));
    const printers = z.object({ printers: z.array(z.object({ device: z.string(), printed: z.number(), printerCounter: z.null() })) }).parse(counters.payload).printers;
    // Two test slips so far: the external run over HTTP, and this one.
    expect(printers).toEqual([{ device: 'receiptPrinter', printed: 2, printerCounter: null }]);

    const other = await client();
    expect((await other.completion(other.command('Technician.SelfTest', { level: 'internal' }))).header.completionCode).toBe('authorisationRequired');

    await ui.completion(ui.command('Technician.Logout', {}));
    expect((await ui.completion(ui.command('Technician.SelfTest', { level: 'internal' }))).header.completionCode).toBe('authorisationRequired');
    expect(ui.malformed).toEqual([]);
  });
});

describe('sd_notify to a real unix datagram socket', { timeout: 60_000 }, () => {
  it('READY once the devices are enumerated, then WATCHDOG, and STOPPING on SIGTERM', async () => {
    const libc = await loadLibc();
    if (!libc.ok) throw new Error(libc.error);
    const address = `@kiosk-e2e-notify-${process.pid}`;
    const bound = DatagramReceiver.bind(libc.value, address);
    if (!bound.ok) throw new Error(bound.error);
    const receiver = bound.value;
    try {
      const notified = await startDaemon({ site: siteFor(sandboxes, { lean: true }), env: { NOTIFY_SOCKET: address, WATCHDOG_USEC: '2000000' } });
      const messages: string[] = [];
      const next = async (): Promise<string> => {
        const message = await receiver.next();
        if (message === undefined) throw new Error('the notify socket closed');
        messages.push(message);
        return message;
      };
      let first = await next();
      // Before READY the health loop may already ping and say it is starting.
      while (first === 'WATCHDOG=1' || first.startsWith('STATUS=')) first = await next();
      expect(first).toMatch(/^READY=1\nSTATUS=\d+\/\d+ devices online/);
      const report = await status(notified);
      expect(Object.values(report.devices).every((d) => d.status.common.device !== 'starting')).toBe(true);
      let ping = await next();
      while (ping.startsWith('STATUS=')) ping = await next();
      expect(ping).toBe('WATCHDOG=1');
      const stopped = notified.stop();
      let last = await next();
      while (last === 'WATCHDOG=1' || last.startsWith('STATUS=')) last = await next();
      expect(last).toBe('STOPPING=1\nSTATUS=stopping');
      expect(await stopped).toBe(0);
    } finally {
      await receiver.close();
    }
  });
});
