import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../log/logger';
import { openDatabase, type KioskDatabase } from '../../store/database';
import { MemoryTransport } from '../../transports/memory-transport';
import { encodeDocument, ReceiptLayout } from './encoder/receipt-document';
import { PrintJobStore } from './print-job-store';
import { PrintJobService, type JobStateChange } from './print-jobs';
import { ReceiptPrinter } from './receipt-printer';
import { VirtualPrinter } from './simulator/virtual-printer';

function receipt(title: string): Uint8Array {
  const layout = new ReceiptLayout().text(title, { align: 'center' });
  for (let i = 1; i <= 6; i += 1) layout.pair(`第${i}行 Line ${i}`, `${title}-${i}`);
  const encoded = encodeDocument(layout.cut().ops);
  if (!encoded.ok) throw new Error(encoded.error.message);
  return encoded.value;
}

interface Rig {
  sim: VirtualPrinter;
  printer: ReceiptPrinter;
  db: KioskDatabase;
  store: PrintJobStore;
  jobs: PrintJobService;
  changes: JobStateChange[];
}

let dataDir = '';
const rigs: Rig[] = [];

function rig(sim = new VirtualPrinter('sim'), dir = dataDir): Rig {
  const printer = new ReceiptPrinter({
    name: 'receiptPrinter',
    simulated: true,
    createTransport: () => new MemoryTransport(sim.port, 'memory sim'),
    statusPollMs: 500,
    statusTimeoutMs: 200,
    openTimeoutMs: 1_000,
    jobTimeoutMs: 60_000,
    autoStatusBack: false,
    backoff: { initialMs: 100, maxMs: 1_000, factor: 2, jitter: 0 },
    information: { modelName: 'test', serialNumber: '', revisionNumber: '', modelDescription: '' },
    log: silentLogger(),
  });
  const opened = openDatabase(dir);
  if (!opened.ok) throw new Error(opened.error);
  const store = new PrintJobStore(opened.value);
  const jobs = new PrintJobService(printer, store, silentLogger(), { confirmTimeoutMs: 5_000, graceMs: 2_000, maxAttempts: 3 });
  const changes: JobStateChange[] = [];
  jobs.subscribe((c) => changes.push(c));
  printer.open();
  jobs.start();
  const r = { sim, printer, db: opened.value, store, jobs, changes };
  rigs.push(r);
  return r;
}

async function stopRig(r: Rig): Promise<void> {
  await r.jobs.stop();
  await r.printer.close();
  r.db.close();
}

const states = (changes: JobStateChange[], jobId: string): string[] => changes.filter((c) => c.jobId === jobId).map((c) => (c.reason ? `${c.state}:${c.reason}` : c.state));
const count = (lines: readonly string[], text: string): number => lines.filter((l) => l.includes(text)).length;

describe('durable print jobs on the virtual printer', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    dataDir = join(mkdtempSync(join(tmpdir(), 'kiosk-jobs-')), 'data');
  });
  afterEach(async () => {
    for (const r of rigs.splice(0)) await stopRig(r);
    vi.useRealTimers();
  });

  it('stores a job, prints it, and keeps the record without the bytes', async () => {
    const r = rig();
    await vi.advanceTimersByTimeAsync(0);
    const job = r.jobs.submit('test', receipt('A'));
    expect(r.store.bytes(job.id)?.length).toBeGreaterThan(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(r.store.get(job.id)?.state).toBe('printed');
    expect(r.store.bytes(job.id)).toBeUndefined();
    expect(states(r.changes, job.id)).toEqual(['printing', 'printed']);
    expect(count(r.sim.lines, 'A-6')).toBe(1);
  });

  it('leaves a job pending when the paper runs out mid-job, and completes it from the buffer after the refill', async () => {
    const r = rig();
    await vi.advanceTimersByTimeAsync(0);
    r.sim.control({ action: 'paperRunsOut', afterLines: 3 });
    const job = r.jobs.submit('test', receipt('B'));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(r.store.get(job.id)).toMatchObject({ state: 'pending', reason: 'paperOut' });
    expect(r.printer.status().printer?.paper).toBe('out');
    expect(count(r.sim.lines, 'B-6')).toBe(0);
    r.sim.control({ action: 'paper', paper: 'full' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(r.store.get(job.id)?.state).toBe('printed');
    // Finished from the printer's buffer: printed once, not reprinted.
    expect(count(r.sim.lines, 'B-6')).toBe(1);
    expect(count(r.sim.lines, '重打')).toBe(0);
    expect(states(r.changes, job.id)).toEqual(['printing', 'pending:paperOut', 'printed']);
  });

  it('waits with a job while the cover is open, then prints it once', async () => {
    const r = rig();
    await vi.advanceTimersByTimeAsync(0);
    r.sim.control({ action: 'cover', open: true });
    await vi.advanceTimersByTimeAsync(600);
    const job = r.jobs.submit('test', receipt('C'));
    await vi.advanceTimersByTimeAsync(100);
    expect(r.store.get(job.id)).toMatchObject({ state: 'pending', reason: 'coverOpen' });
    r.sim.control({ action: 'cover', open: false });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(r.store.get(job.id)?.state).toBe('printed');
    expect(count(r.sim.lines, 'C-6')).toBe(1);
    expect(count(r.sim.lines, '重打')).toBe(0);
  });

  it('holds a job while the printer does not answer status requests, and prints it when it does', async () => {
    const r = rig();
    await vi.advanceTimersByTimeAsync(0);
    r.sim.control({ action: 'responsive', on: false });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(r.printer.status().common.device).toBe('offline');
    const job = r.jobs.submit('test', receipt('O'));
    await vi.advanceTimersByTimeAsync(100);
    expect(r.store.get(job.id)).toMatchObject({ state: 'pending', reason: 'offline' });
    r.sim.control({ action: 'responsive', on: true });
    await vi.advanceTimersByTimeAsync(1_500);
    expect(r.store.get(job.id)?.state).toBe('printed');
    expect(count(r.sim.lines, 'O-6')).toBe(1);
  });

  it('reprints a job whole, marked, when the printer is unplugged in the middle of it', async () => {
    const r = rig();
    await vi.advanceTimersByTimeAsync(0);
    r.sim.control({ action: 'hold' });
    const job = r.jobs.submit('test', receipt('D'));
    await vi.advanceTimersByTimeAsync(100);
    expect(r.store.get(job.id)?.state).toBe('printing');
    r.sim.control({ action: 'unplug' });
    r.sim.control({ action: 'release' });
    await vi.advanceTimersByTimeAsync(100);
    expect(r.store.get(job.id)).toMatchObject({ state: 'pending', reprint: true });
    r.sim.control({ action: 'plug' });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(r.store.get(job.id)).toMatchObject({ state: 'printed', reprint: true, attempts: 2 });
    // The printer finished its buffer with the cable out, unconfirmed; the second copy carries the mark.
    expect(count(r.sim.lines, 'D-6')).toBe(2);
    const mark = r.sim.lines.findIndex((l) => l.includes('重打 REPRINT'));
    expect(r.sim.lines.findIndex((l) => l.includes('D-6'))).toBeLessThan(mark);
    expect(r.sim.lines.slice(mark).filter((l) => l.includes('D-6'))).toHaveLength(1);
    expect(count(r.sim.lines, '重打 REPRINT')).toBe(1);
  });

  it('prints jobs in the order they came, after a fault that held them all', async () => {
    const r = rig();
    await vi.advanceTimersByTimeAsync(0);
    r.sim.control({ action: 'paper', paper: 'out' });
    await vi.advanceTimersByTimeAsync(600);
    const ids = ['E', 'F', 'G'].map((t) => r.jobs.submit('test', receipt(t)).id);
    await vi.advanceTimersByTimeAsync(100);
    r.sim.control({ action: 'paper', paper: 'full' });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(ids.map((id) => r.store.get(id)?.state)).toEqual(['printed', 'printed', 'printed']);
    const order = r.sim.lines.filter((l) => /^第6行/.test(l)).map((l) => l.slice(-3));
    expect(order).toEqual(['E-6', 'F-6', 'G-6']);
  });

  it('reprints, marked, a job the daemon was printing when it stopped', async () => {
    const sim = new VirtualPrinter('sim');
    const first = rig(sim);
    await vi.advanceTimersByTimeAsync(0);
    sim.control({ action: 'hold' });
    const job = first.jobs.submit('test', receipt('H'));
    await vi.advanceTimersByTimeAsync(100);
    expect(first.store.get(job.id)?.state).toBe('printing');
    // The daemon dies: nothing is cleaned up; its store says 'printing'.
    rigs.splice(rigs.indexOf(first), 1);
    await first.printer.close();
    first.db.close();
    sim.control({ action: 'release' });
    const second = rig(sim);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(second.store.get(job.id)).toMatchObject({ state: 'printed', reprint: true });
    expect(count(sim.lines, '重打 REPRINT')).toBe(1);
    await first.jobs.stop();
  });

  it('gives a never-confirmed job up as failed after its attempts, kept and reported', async () => {
    const r = rig();
    await vi.advanceTimersByTimeAsync(0);
    r.sim.control({ action: 'hold' });
    const job = r.jobs.submit('test', receipt('I'));
    for (let i = 0; i < 4; i += 1) await vi.advanceTimersByTimeAsync(5_100);
    expect(r.store.get(job.id)).toMatchObject({ state: 'failed', reason: 'noConfirmation', attempts: 3 });
    expect(states(r.changes, job.id).at(-1)).toBe('failed:noConfirmation');
  });
});
