import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AbortReason, deadline } from '../../core/deadline';
import { silentLogger } from '../../log/logger';
import { MemoryTransport } from '../../transports/memory-transport';
import type { DeviceNotification } from '../device';
import { ReceiptPrinter } from './receipt-printer';
import { VirtualPrinter } from './simulator/virtual-printer';

const ESC_POS_TEXT = (text: string): Uint8Array => new TextEncoder().encode(`${text}\n`);

function rig(autoStatusBack = false, jobTimeoutMs = 60_000) {
  const sim = new VirtualPrinter('sim printer');
  const printer = new ReceiptPrinter({
    name: 'receiptPrinter',
    simulated: true,
    createTransport: () => new MemoryTransport(sim.port, 'memory sim'),
    statusPollMs: 1_000,
    statusTimeoutMs: 200,
    openTimeoutMs: 1_000,
    jobTimeoutMs,
    autoStatusBack,
    backoff: { initialMs: 100, maxMs: 1_000, factor: 2, jitter: 0 },
    information: { modelName: 'test', serialNumber: '', revisionNumber: '', modelDescription: 'test printer' },
    log: silentLogger(),
  });
  const notes: DeviceNotification[] = [];
  printer.subscribe((n) => notes.push(n));
  printer.open();
  return { sim, printer, notes };
}

const settle = (): Promise<void> => vi.advanceTimersByTimeAsync(0).then(() => undefined);
const errors = (notes: DeviceNotification[]) => notes.flatMap((n) => (n.kind === 'error' ? [n.event.vendorDescription] : []));
const states = (notes: DeviceNotification[]) => notes.flatMap((n) => (n.kind === 'statusChanged' && n.event.common?.device ? [n.event.common.device] : []));

describe('ReceiptPrinter against the virtual printer', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  it('connects and reports online with full paper', async () => {
    const { printer, notes } = rig();
    await settle();
    expect(printer.status()).toEqual({ deviceClass: 'printer', common: { device: 'online', devicePosition: 'inPosition' }, printer: { paper: 'full', cover: 'closed' } });
    expect(states(notes)).toEqual(['online']);
    await printer.close();
  });

  it('follows the paper from the status poll: low, then out with an error event', async () => {
    const { sim, printer, notes } = rig();
    await settle();
    sim.control({ action: 'paper', paper: 'nearEnd' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(printer.status().printer?.paper).toBe('low');
    sim.control({ action: 'paper', paper: 'out' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(printer.status().printer?.paper).toBe('out');
    expect(printer.status().common.device).toBe('online');
    expect(errors(notes)).toEqual(['receipt paper is out']);
    const job = await printer.printRaw(ESC_POS_TEXT('x'), new AbortController().signal);
    expect(job.ok ? 'printed' : job.error.code).toBe('paperOut');
    await printer.close();
  });

  it('hears Automatic Status Back at once, without waiting for a poll', async () => {
    const { sim, printer } = rig(true);
    await settle();
    sim.control({ action: 'cover', open: true });
    await settle();
    expect(printer.status().common.device).toBe('userError');
    expect(printer.status().printer?.cover).toBe('open');
    sim.control({ action: 'cover', open: false });
    await settle();
    expect(printer.status().common.device).toBe('online');
    await printer.close();
  });

  it('goes offline when the printer stops answering, and back when it answers', async () => {
    const { sim, printer, notes } = rig();
    await settle();
    sim.control({ action: 'responsive', on: false });
    await vi.advanceTimersByTimeAsync(1_200);
    expect(printer.status().common.device).toBe('offline');
    expect(errors(notes)).toContain('printer does not answer status requests');
    sim.control({ action: 'responsive', on: true });
    await vi.advanceTimersByTimeAsync(1_200);
    expect(printer.status().common.device).toBe('online');
    await printer.close();
  });

  it('reports noDevice when unplugged and reconnects with backoff when replugged', async () => {
    const { sim, printer, notes } = rig();
    await settle();
    sim.control({ action: 'unplug' });
    await settle();
    expect(printer.status().common.device).toBe('noDevice');
    expect(errors(notes)[0]).toMatch(/not connected.*reconnecting/);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(printer.status().common.device).toBe('noDevice');
    sim.control({ action: 'plug' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(printer.status().common.device).toBe('online');
    expect(printer.reconnects).toBe(1);
    expect(states(notes)).toEqual(['online', 'noDevice', 'online']);
    await printer.close();
  });

  it('prints a job and completes when the printer has processed it', async () => {
    const { sim, printer } = rig();
    await settle();
    const job = printer.printRaw(Uint8Array.of(0x1c, 0x26, ...new Uint8Array([0xd6, 0xd0, 0xce, 0xc4]), 0x0a, 0x1c, 0x2e), new AbortController().signal);
    await settle();
    expect((await job).ok).toBe(true);
    expect(sim.lines).toEqual(['中文']);
    await printer.close();
  });

  it('does not let a cancelled job\'s late reply complete the next job', async () => {
    const { sim, printer } = rig();
    await settle();
    sim.control({ action: 'hold' });
    const cancel = new AbortController();
    const first = printer.printRaw(ESC_POS_TEXT('first'), cancel.signal);
    await settle();
    cancel.abort(new AbortReason('canceled', 'resident cancelled'));
    const firstResult = await first;
    expect(firstResult.ok ? 'printed' : firstResult.error.code).toBe('canceled');
    sim.control({ action: 'release' });
    await settle();
    expect(sim.lines).toEqual(['first']);
    sim.control({ action: 'hold' });
    let secondDone = false;
    const second = printer.printRaw(ESC_POS_TEXT('second'), new AbortController().signal).then((r) => {
      secondDone = true;
      return r;
    });
    await settle();
    expect(secondDone).toBe(false);
    sim.control({ action: 'release' });
    await settle();
    expect((await second).ok).toBe(true);
    expect(sim.lines).toEqual(['first', 'second']);
    await printer.close();
  });

  it('times a job out when the paper runs out before it is processed', async () => {
    const { sim, printer } = rig();
    await settle();
    sim.control({ action: 'hold' });
    const guard = deadline(undefined, 3_000, 'print job');
    const job = printer.printRaw(ESC_POS_TEXT('receipt'), guard.signal);
    await settle();
    sim.control({ action: 'paper', paper: 'out' });
    sim.control({ action: 'release' });
    await vi.advanceTimersByTimeAsync(3_000);
    const result = await job;
    expect(result.ok ? 'printed' : result.error.code).toBe('timeout');
    expect(sim.lines).toEqual([]);
    expect(sim.state().pendingBytes).toBeGreaterThan(0);
    await printer.close();
  });

  it('bounds a job by its own timeout even when the caller set none', async () => {
    const { sim, printer } = rig(false, 5_000);
    await settle();
    sim.control({ action: 'hold' });
    const job = printer.printRaw(ESC_POS_TEXT('stuck'), new AbortController().signal);
    await vi.advanceTimersByTimeAsync(4_999);
    let settled = false;
    void job.then(() => (settled = true));
    await settle();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const result = await job;
    expect(result.ok ? 'printed' : result.error).toEqual({ code: 'timeout', message: 'print job timed out after 5000 ms' });
    await printer.close();
  });

  it('answers internal and external health checks', async () => {
    const { sim, printer } = rig();
    await settle();
    const internal = await printer.checkHealth('internal', new AbortController().signal);
    expect(internal.ok).toBe(true);
    expect(internal.text).toMatch(/^Internal CheckHealth: OK; connected over memory sim/);
    sim.control({ action: 'responsive', on: false });
    const external = printer.checkHealth('external', new AbortController().signal);
    await vi.advanceTimersByTimeAsync(300);
    expect((await external).ok).toBe(false);
    expect(printer.lastHealth()?.level).toBe('external');
    await printer.close();
  });
});
