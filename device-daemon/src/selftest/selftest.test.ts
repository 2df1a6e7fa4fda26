import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { KioskConfig } from '../config/schema';
import type { HealthLevel } from '../devices/device';
import { PrintJobStore } from '../devices/receipt-printer/print-job-store';
import { silentLogger } from '../log/logger';
import type { CommandName, CommandPayload } from '../protocol';
import type { CommandContext } from '../server/command-registry';
import { TechnicianAuth } from '../server/technician-auth';
import { openDatabase } from '../store/database';
import type { SelfTestTarget, TestOutcome } from './device-self-tests';
import { selfTestRoute } from './selftest-route';
import { SelfTestService } from './selftest-service';
import { SelfTestStore } from './selftest-store';
import { technicianCommands } from './technician-commands';

const work = mkdtempSync(join(tmpdir(), 'kiosk-selftest-'));
const opened = openDatabase(work);
if (!opened.ok) throw new Error(opened.error);
const db = opened.value;
const servers: Server[] = [];
afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  db.close();
  rmSync(work, { recursive: true, force: true });
});

function target(name: string, outcomes: Partial<Record<HealthLevel, TestOutcome>>, calls: string[] = []): SelfTestTarget {
  return {
    name,
    async run(level) {
      calls.push(`${name}:${level}`);
      return outcomes[level] ?? { outcome: 'skipped', text: `no ${level} test` };
    },
  };
}

let clock = Date.parse('2026-11-22T02:00:00Z');
const service = new SelfTestService({
  targets: [
    target('receiptPrinter', { internal: { outcome: 'passed', text: 'online' }, external: { outcome: 'failed', text: 'paper out; no test slip sent' } }),
    target('idCardReader', { internal: { outcome: 'passed', text: 'SAM ok' }, interactive: { outcome: 'passed', text: 'read a resident card' } }),
    target('database', { internal: { outcome: 'passed', text: 'quick_check ok' } }),
  ],
  store: new SelfTestStore(db),
  log: silentLogger(),
  now: () => new Date((clock += 1_000)),
});

describe('the self-test service', () => {
  it('runs every target at the level, stores each result with its time, and keeps the last per device and level', async () => {
    const all = await service.run({ level: 'internal' }, new AbortController().signal);
    expect(all.ok && all.value.map((r) => [r.device, r.level, r.outcome])).toEqual([
      ['receiptPrinter', 'internal', 'passed'],
      ['idCardReader', 'internal', 'passed'],
      ['database', 'internal', 'passed'],
    ]);
    const one = await service.run({ device: 'receiptPrinter', level: 'external' }, new AbortController().signal);
    expect(one.ok && one.value).toEqual([{ device: 'receiptPrinter', level: 'external', outcome: 'failed', text: 'paper out; no test slip sent', at: '2026-11-22T02:00:04.000Z', durationMs: expect.any(Number) }]);
    await service.run({ device: 'receiptPrinter', level: 'internal' }, new AbortController().signal);
    const latest = service.latest();
    expect(latest.map((r) => [r.device, r.level, r.at])).toEqual([
      ['database', 'internal', '2026-11-22T02:00:03.000Z'],
      ['idCardReader', 'internal', '2026-11-22T02:00:02.000Z'],
      ['receiptPrinter', 'external', '2026-11-22T02:00:04.000Z'],
      ['receiptPrinter', 'internal', '2026-11-22T02:00:05.000Z'],
    ]);
    expect(db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM self_tests').get()?.n).toBe(5);
  });

  it('names the known devices when asked for an unknown one', async () => {
    const ran = await service.run({ device: 'printer2', level: 'internal' }, new AbortController().signal);
    expect(ran).toEqual({ ok: false, error: 'no device or service named printer2 (known: receiptPrinter, idCardReader, database)' });
  });

  it('stops before the next device once cancelled', async () => {
    const calls: string[] = [];
    const stop = new AbortController();
    const stopping = new SelfTestService({
      targets: [
        { name: 'a', run: async () => (stop.abort(), { outcome: 'passed', text: 'ok' }) },
        target('b', { internal: { outcome: 'passed', text: 'ok' } }, calls),
      ],
      store: new SelfTestStore(db),
      log: silentLogger(),
    });
    const ran = await stopping.run({ level: 'internal' }, stop.signal);
    expect(ran.ok && ran.value.map((r) => r.device)).toEqual(['a']);
    expect(calls).toEqual([]);
  });
});

describe('POST /v1/selftest', () => {
  async function serve(): Promise<string> {
    const route = selfTestRoute(service);
    const server = createServer((request, response) => {
      void route(request, response, new URL(request.url ?? '/', 'http://ops')).then((handled) => {
        if (!handled) response.writeHead(404).end();
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1/selftest`;
  }

  it('runs the tests asked for, refuses bad requests, and answers the latest results', async () => {
    const url = await serve();
    const post = (body: string) => fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    const ran = await post(JSON.stringify({ device: 'idCardReader', level: 'interactive' }));
    expect(ran.status).toBe(200);
    expect(await ran.json()).toMatchObject({ results: [{ device: 'idCardReader', level: 'interactive', outcome: 'passed', text: 'read a resident card' }] });
    const badLevel = await post(JSON.stringify({ level: 'thorough' }));
    expect(badLevel.status).toBe(400);
    expect(await badLevel.json()).toEqual({ error: expect.stringMatching(/^level: /) });
    expect((await post('{')).status).toBe(400);
    expect((await post(JSON.stringify({ level: 'internal', extra: 1 }))).status).toBe(400);
    const unknown = await post(JSON.stringify({ device: 'nothing', level: 'internal' }));
    expect(unknown.status).toBe(404);
    const latest = await fetch(url);
    expect(await latest.json()).toMatchObject({ latest: expect.arrayContaining([expect.objectContaining({ device: 'idCardReader', level: 'interactive' })]) });
    expect((await fetch(url, { method: 'PUT' })).status).toBe(405);
  });
});

describe('Technician.SelfTest, Technician.Counters, Technician.Logout', () => {
  const technician: KioskConfig['technician'] = { pinSha256: createHash('sha256').update('246810').digest('hex'), maxAttempts: 5, lockoutMs: 300_000, sessionMs: 900_000, selfTestWaitMs: 60_000, selfTestPrintMs: 60_000 };
  const auth = new TechnicianAuth({ technician, log: silentLogger() });
  const jobs = new PrintJobStore(db);
  const [selfTest, counters, logout] = technicianCommands({ auth, selfTests: service, jobs, printers: ['receiptPrinter'] });
  function context<N extends CommandName>(payload: CommandPayload<N>, connectionId: number): CommandContext<N> {
    return { payload, signal: new AbortController().signal, connectionId, requestId: 1, emitEvent: () => undefined };
  }

  it('refuse a connection without a technician, serve the one that logged in, until it logs out', async () => {
    expect(await selfTest.handle(context<'Technician.SelfTest'>({ level: 'internal' }, 1))).toMatchObject({ completionCode: 'authorisationRequired', errorCode: 'technicianRequired' });
    expect((await auth.login('246810', 1)).ok).toBe(true);
    const ran = await selfTest.handle(context<'Technician.SelfTest'>({ level: 'internal' }, 1));
    expect(ran.completionCode === 'success' && ran.payload.results.map((r) => r.device)).toEqual(['receiptPrinter', 'idCardReader', 'database']);
    // Another connection is not the technician's.
    expect((await counters.handle(context<'Technician.Counters'>({}, 2))).completionCode).toBe('authorisationRequired');
    const unknown = await selfTest.handle(context<'Technician.SelfTest'>({ device: 'nothing', level: 'internal' }, 1));
    expect(unknown).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'unknownDevice' });
    await logout.handle(context<'Technician.Logout'>({}, 1));
    expect((await selfTest.handle(context<'Technician.SelfTest'>({ level: 'internal' }, 1))).completionCode).toBe('authorisationRequired');
  });

  it('counts the printer\'s slips from the durable print jobs, and says the printer reports no counter of its own', async () => {
    const printed = jobs.add('job-1', 'receiptPrinter', 'self-test', new Uint8Array([1]));
    jobs.printed(printed);
    jobs.add('job-2', 'receiptPrinter', 'queue-ticket', new Uint8Array([1]));
    expect((await auth.login('246810', 3)).ok).toBe(true);
    const reply = await counters.handle(context<'Technician.Counters'>({}, 3));
    expect(reply).toEqual({ completionCode: 'success', payload: { printers: [{ device: 'receiptPrinter', printed: 1, pending: 1, failed: 0, printerCounter: null }] } });
  });
});
