// Fault matrix, crashes: the daemon SIGKILLed at seeded points of the journeys crash.test.ts does not
// cover (a card read, receipts, ratings, certificate prints), restarted on the same data directory
// each time. Kill points are protocol facts (a command sent, its acknowledge, its completion, a job
// event, a reader command), never a timed sleep. The platform sandbox lives in this process, so it
// outlives every crash; the virtual receipt printer lives in the daemon, so each run has a new roll.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { seededRandom } from '../device-daemon/src/testing/seeded-random';
import { WsTestClient } from '../device-daemon/src/testing/ws-test-client';
import { metricValue, scrape } from './support/fault-probes';
import { startDaemon, stopAllDaemons, waitUntil, type DaemonProcess } from './support/daemon-process';
import { HOLDER_CARD, siteFor, startSandboxes, type Sandboxes } from './support/sandboxes';

const random = seededRandom(20_261_207);
const pick = <T>(options: readonly T[]): T => options[Math.floor(random() * options.length)] as T;
let sandboxes: Sandboxes;
let site: Record<string, unknown>;
const dataDir = join(mkdtempSync(join(tmpdir(), 'kiosk-fault-crash-')), 'data');
let kills = 0;

interface Session {
  daemon: DaemonProcess;
  client: WsTestClient;
}
let session: Session;

beforeAll(async () => {
  sandboxes = await startSandboxes();
  site = siteFor(sandboxes, { lean: true });
  session = await boot();
});

afterAll(async () => {
  session.client.close();
  await stopAllDaemons();
  await sandboxes.gateway.close();
  await sandboxes.platform.close();
  rmSync(dirname(dataDir), { recursive: true, force: true });
});

async function boot(): Promise<Session> {
  const daemon = await startDaemon({ site, dataDir });
  const client = await WsTestClient.connect(`${daemon.wsUrl}?token=${daemon.uiToken}`);
  await client.completion(client.command('Common.Status', {}));
  return { daemon, client };
}

/** SIGKILL, then a new daemon on the same data directory; the operator counts one more unclean start. */
async function crash(whileDown: () => void = () => undefined): Promise<void> {
  session.client.close();
  session.daemon.child.kill('SIGKILL');
  await session.daemon.exited;
  kills += 1;
  whileDown();
  session = await boot();
  expect(metricValue(await scrape(session.daemon), 'kiosk_daemon_unclean_starts_total')).toBe(kills);
}

async function readCard(): Promise<string> {
  const { daemon, client } = session;
  await daemon.simulate('idCardReader', { action: 'place', card: 'holder' });
  await client.unsolicited('IdCard.CardInserted', () => true, 20_000);
  const read = await client.completion(client.command('IdCard.Read', {}), 20_000);
  expect(read.header.completionCode).toBe('success');
  return String(read.payload.readId);
}

/** The receipt jobs the database holds, read while no daemon runs. */
function storedJobs(): Array<{ id: string; state: string }> {
  const db = new Database(join(dataDir, 'kiosk.sqlite'), { readonly: true });
  try {
    return z.array(z.object({ id: z.string(), state: z.string() })).parse(db.prepare('SELECT id, state FROM print_jobs').all());
  } finally {
    db.close();
  }
}

/** Every file under the data dir, as bytes (the database, its WAL, spools, tokens). */
function dataFiles(dir: string): Array<{ path: string; bytes: Buffer }> {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? dataFiles(path) : [{ path, bytes: readFileSync(path) }];
  });
}

describe('fault matrix: the daemon killed at random points of each journey', () => {
  it('J1 card read: killed mid-read, nothing of the card is on disk, and the card is read again after restart', { timeout: 60_000 }, async () => {
    for (let round = 0; round < 2; round += 1) {
      const { daemon, client } = session;
      // A slow reader, so the read is still on the wire at the kill point.
      await daemon.simulate('idCardReader', { action: 'latency', ms: 250 });
      await daemon.simulate('idCardReader', { action: 'place', card: 'holder' });
      await client.unsolicited('IdCard.CardInserted', () => true, 20_000);
      const samState = async (): Promise<{ commands: number }> => z.object({ commands: z.number() }).parse(await (await daemon.ops('/v1/simulator/idCardReader')).json());
      const base = (await samState()).commands;
      const id = client.command('IdCard.Read', {});
      // Kill after the reader has received its 1st or 2nd command of the read.
      const after = 1 + Math.floor(random() * 2);
      await waitUntil(async () => (await samState()).commands >= base + after, 20_000, `reader command ${after}`);
      expect(client.about(id).some((m) => m.header.type === 'completion')).toBe(false);
      await crash();
      for (const file of dataFiles(dataDir)) {
        for (const secret of [HOLDER_CARD.idNumber, HOLDER_CARD.name, HOLDER_CARD.address]) expect(file.bytes.includes(Buffer.from(secret, 'utf8')), `${secret.length}-char card field in ${file.path}`).toBe(false);
      }
      await readCard();
      await session.daemon.simulate('idCardReader', { action: 'remove' });
    }
  });

  it('receipts: killed after send, mid-job (held in the printer) or after printing; each job is on paper whole exactly once', { timeout: 90_000 }, async () => {
    const paper = async (d: DaemonProcess): Promise<{ lines: string[]; cuts: number }> => {
      const s = z.object({ lastLines: z.array(z.string()), cuts: z.number() }).parse(await (await d.ops('/v1/simulator/receiptPrinter')).json());
      return { lines: s.lastLines, cuts: s.cuts };
    };
    const points = ['sent', 'acknowledged', 'printing', 'printed'] as const;
    const outcomes: string[] = [];
    const known = new Set<string>();
    for (let job = 0; job < 6; job += 1) {
      const number = `K${401 + job}`;
      const point = job < points.length ? points[job]! : pick(points);
      const { daemon, client } = session;
      // Held: the bytes reach the printer and stay in its buffer, so nothing of this run's copy is cut.
      if (point !== 'printed') await daemon.simulate('receiptPrinter', { action: 'hold' });
      const id = client.command('Printer.PrintForm', { template: 'queue-ticket', data: { number, service: '户籍', waiting: job, issuedAt: '2026-12-07T09:00:00+08:00' } });
      let jobId: string | undefined;
      if (point === 'acknowledged') await client.acknowledge(id);
      if (point === 'printing') jobId = String((await client.unsolicited('Printer.JobStateChanged', (p) => p.state === 'printing', 20_000)).payload?.jobId);
      if (point === 'printed') {
        const done = await client.completion(id, 20_000);
        expect(done.payload).toMatchObject({ state: 'printed', reprint: false });
        jobId = String(done.payload.jobId);
      }
      const first = await paper(daemon);
      const firstCopies = first.lines.filter((l) => l === number).length;
      expect(firstCopies).toBe(point === 'printed' ? 1 : 0);
      let stored: { id: string; state: string } | undefined;
      await crash(() => {
        const now = storedJobs();
        stored = now.find((j) => !known.has(j.id));
        for (const j of now) known.add(j.id);
      });
      if (jobId !== undefined) expect(stored?.id).toBe(jobId);
      if (point === 'printed') expect(stored?.state).toBe('printed');
      if (point === 'printing') expect(stored?.state).toBe('printing');
      // A job left open is resumed at start; wait for it, then the roll of this run shows what it printed.
      if (stored) {
        const storedId = stored.id;
        await waitUntil(async () => (await session.client.completion(session.client.command('Printer.GetJob', { jobId: storedId }))).payload.state === 'printed', 20_000, `${number} printed after restart`);
      }
      const second = await paper(session.daemon);
      const secondCopies = second.lines.filter((l) => l === number).length;
      expect(second.cuts).toBe(secondCopies);
      if (point === 'printed' || !stored) {
        // The first copy was completed, or the job never stored: nothing now.
        expect(secondCopies).toBe(0);
      } else {
        // Stored, its copy never left the printer's buffer: exactly one whole copy now. Caught while
        // printing it is marked 重打 REPRINT; still queued it is not (nothing of it was on paper).
        const job = await session.client.completion(session.client.command('Printer.GetJob', { jobId: stored.id }));
        expect(secondCopies).toBe(1);
        const reprinted = second.lines.includes('重打 REPRINT');
        expect(job.payload).toMatchObject({ state: 'printed', reprint: reprinted });
        if (stored.state === 'printing') expect(reprinted).toBe(true);
        if (reprinted) expect(second.lines.indexOf('重打 REPRINT')).toBeLessThan(second.lines.indexOf(number));
      }
      outcomes.push(`${point}:${stored?.state ?? 'notStored'}->${firstCopies + secondCopies}${second.lines.includes('重打 REPRINT') ? 'R' : ''}`);
      expect(firstCopies + secondCopies).toBeLessThanOrEqual(1);
      if (point === 'printing' || point === 'printed' || stored) expect(firstCopies + secondCopies).toBe(1);
    }
    console.log(`fault-crash receipts: ${outcomes.join(', ')}`);
  });

  it('ratings: killed right after sending or after the acknowledge; every rating the resident got an id for reaches the platform once, none twice', { timeout: 60_000 }, async () => {
    const acked = new Set<string>();
    const unacked: string[] = [];
    let sent = 0;
    for (let round = 0; round < 5; round += 1) {
      const { client } = session;
      // A few ratings completed, then one in flight at the kill.
      const before = Math.floor(random() * 3);
      for (let i = 0; i < before; i += 1) {
        const transactionId = `RATE-${round}-${i}`;
        sent += 1;
        const done = await client.completion(client.command('Platform.Rate', { transactionId, level: 1 + Math.floor(random() * 5), reasons: ['other'] }));
        expect(done.payload).toMatchObject({ state: 'queued' });
        acked.add(transactionId);
      }
      const transactionId = `RATE-${round}-x`;
      sent += 1;
      const id = client.command('Platform.Rate', { transactionId, level: 5 });
      if (random() < 0.5) await client.acknowledge(id);
      if (client.about(id).some((m) => m.header.type === 'completion')) acked.add(transactionId);
      else unacked.push(transactionId);
      await crash();
    }
    // The UI never got these completions, so after the restart the resident rates again (a rating
    // stored before the kill must not be sent a second time beside the new one).
    for (const t of unacked) {
      const again = await session.client.completion(session.client.command('Platform.Rate', { transactionId: t, level: 4 }));
      expect(again.payload).toMatchObject({ state: 'queued' });
    }
    await waitUntil(() => [...acked, ...unacked].every((t) => sandboxes.platform.ratings().some((r) => r.transactionId === t)), 30_000, 'every rated transaction at the platform');
    await waitUntil(async () => metricValue(await scrape(session.daemon), 'kiosk_outbox_messages', { kind: 'rating', state: 'pending' }) === 0, 30_000, 'rating outbox empty');
    const atPlatform = sandboxes.platform.ratings().map((r) => r.transactionId);
    const doubled = atPlatform.filter((t, i) => atPlatform.indexOf(t) !== i);
    expect(doubled).toEqual([]);
    for (const t of acked) expect(atPlatform.filter((a) => a === t)).toHaveLength(1);
    for (const t of unacked) expect(atPlatform.filter((a) => a === t)).toHaveLength(1);
    expect(metricValue(await scrape(session.daemon), 'kiosk_outbox_messages', { kind: 'rating', state: 'rejected' })).toBe(0);
    console.log(`fault-crash ratings: ${sent} sent, ${acked.size} acknowledged, ${unacked.length} in flight at a kill and rated again after the restart; ${atPlatform.length} at the platform, one per transaction`);
  });

  it('certificate print: killed after send, acknowledge or completion; never spooled twice for one request', { timeout: 90_000 }, async () => {
    const spool = join(dataDir, 'a4Printer-spool');
    const spooled = (): number => (existsSync(spool) ? readdirSync(spool) : []).filter((f) => f.endsWith('.pdf')).length;
    const points = ['sent', 'acknowledged', 'completed'] as const;
    const seen: string[] = [];
    for (let round = 0; round < 4; round += 1) {
      const point = round < points.length ? points[round]! : pick(points);
      const readId = await readCard();
      const { client } = session;
      await waitUntil(async () => (await client.completion(client.command('Platform.Certificates', { readId }))).header.completionCode === 'success', 20_000, 'certificates listed');
      const list = await client.completion(client.command('Platform.Certificates', { readId }));
      const certificateId = z.object({ certificates: z.array(z.object({ id: z.string() })).min(1) }).parse(list.payload).certificates[0]?.id ?? '';
      const before = spooled();
      const id = client.command('Platform.PrintCertificate', { readId, certificateId });
      if (point === 'acknowledged') await client.acknowledge(id);
      if (point === 'completed') expect((await client.completion(id, 30_000)).header.completionCode).toBe('success');
      const completed = client.about(id).some((m) => m.header.type === 'completion');
      await crash();
      const afterCrash = spooled();
      // A new request after the restart: spooled exactly once, and nothing of the killed one again.
      const again = await readCard();
      await waitUntil(async () => (await session.client.completion(session.client.command('Platform.Certificates', { readId: again }))).header.completionCode === 'success', 20_000, 'certificates listed');
      const fresh = await session.client.completion(session.client.command('Platform.PrintCertificate', { readId: again, certificateId }), 30_000);
      expect(fresh.header.completionCode).toBe('success');
      expect(spooled()).toBe(afterCrash + 1);
      expect(afterCrash - before).toBeLessThanOrEqual(1);
      if (completed) expect(afterCrash - before).toBe(1);
      seen.push(`${point}:${afterCrash - before}`);
      await session.daemon.simulate('idCardReader', { action: 'remove' });
    }
    console.log(`fault-crash certificates: PDFs spooled by the killed request per kill point ${seen.join(', ')}; ${spooled()} PDFs spooled; ${kills} kills in all`);
  });
});
