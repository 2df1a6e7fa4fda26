import { afterEach, describe, expect, it, vi } from 'vitest';
import { err, ok, OK_VOID } from '../core/result';
import { silentLogger } from '../log/logger';
import { ServiceWatchdog, type QueueProbe } from './service-watchdog';
import type { SystemdNotifier } from './systemd-notify';

function fakeNotifier(watchdogMs: number | undefined): SystemdNotifier & { readonly sent: string[] } {
  const sent: string[] = [];
  const record = (line: string) => () => (sent.push(line), OK_VOID);
  return {
    sent,
    enabled: true,
    watchdogMs,
    ready: (status) => (sent.push(`READY ${status}`), OK_VOID),
    watchdog: record('WATCHDOG'),
    status: (status) => (sent.push(`STATUS ${status}`), OK_VOID),
    stopping: record('STOPPING'),
  };
}

interface Harness {
  readonly notifier: ReturnType<typeof fakeNotifier>;
  readonly watchdog: ServiceWatchdog;
  readonly queue: { progress: QueueProbe['progress'] };
  readonly state: { enumerated: boolean; db: boolean; now: number };
}

/** watchdogMs null: the unit has no WatchdogSec. */
function harness(watchdogMs: number | null = 10_000): Harness {
  const notifier = fakeNotifier(watchdogMs ?? undefined);
  const queue = { name: 'receiptPrinter', progress: { completed: 0, busy: false } };
  const state = { enumerated: false, db: true, now: 0 };
  const watchdog = new ServiceWatchdog({
    notifier,
    intervalMs: 5_000,
    stuckAfterMs: 60_000,
    queues: () => [queue],
    enumerated: () => state.enumerated,
    check: () => (state.db ? ok(undefined) : err('the database did not answer')),
    summary: () => (state.enumerated ? '6/6 devices online' : 'starting'),
    log: silentLogger(),
    now: () => state.now,
  });
  return { notifier, watchdog, queue, state };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the health loop behind the systemd watchdog', () => {
  it('sends READY once, only after every device is enumerated, and STATUS when the summary changes', () => {
    const { notifier, watchdog, state } = harness();
    expect(watchdog.tick()).toMatchObject({ ready: false, healthy: true, pinged: true });
    expect(notifier.sent.filter((s) => s.startsWith('READY'))).toEqual([]);
    state.enumerated = true;
    expect(watchdog.tick().ready).toBe(true);
    watchdog.tick();
    expect(notifier.sent.filter((s) => s.startsWith('READY'))).toEqual(['READY 6/6 devices online']);
  });

  it('withholds WATCHDOG while a queue sits on one job past the limit, and resumes when it moves', () => {
    const { notifier, watchdog, queue, state } = harness();
    state.enumerated = true;
    queue.progress = { completed: 3, busy: true };
    expect(watchdog.tick().pinged).toBe(true);
    state.now = 60_000;
    expect(watchdog.tick().pinged).toBe(true);
    state.now = 60_001;
    const stuck = watchdog.tick();
    expect(stuck).toMatchObject({ healthy: false, pinged: false, problems: ['receiptPrinter queue stuck on one job for 60 s'] });
    expect(notifier.sent.at(-1)).toBe('STATUS UNHEALTHY: receiptPrinter queue stuck on one job for 60 s');
    // The job finishes and the next starts: that is progress.
    queue.progress = { completed: 4, busy: true };
    state.now = 70_000;
    expect(watchdog.tick()).toMatchObject({ healthy: true, pinged: true });
    expect(notifier.sent.at(-1)).toBe('WATCHDOG');
    expect(notifier.sent.at(-2)).toBe('STATUS 6/6 devices online');
  });

  it('a queue that is busy again later, after being idle, starts a fresh clock', () => {
    const { watchdog, queue, state } = harness();
    queue.progress = { completed: 1, busy: true };
    watchdog.tick();
    queue.progress = { completed: 2, busy: false };
    state.now = 50_000;
    watchdog.tick();
    queue.progress = { completed: 2, busy: true };
    state.now = 100_000;
    expect(watchdog.tick().healthy).toBe(true);
    state.now = 150_000;
    expect(watchdog.tick().healthy).toBe(true);
  });

  it('withholds WATCHDOG while its own check fails', () => {
    const { watchdog, state } = harness();
    state.db = false;
    expect(watchdog.tick()).toMatchObject({ healthy: false, pinged: false, problems: ['the database did not answer'] });
  });

  it('pings at least twice per watchdog interval, from a timer, and says STOPPING on stop', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { notifier, watchdog } = harness(4_000);
    expect(watchdog.periodMs).toBe(2_000);
    watchdog.start();
    vi.advanceTimersByTime(6_000);
    expect(notifier.sent.filter((s) => s === 'WATCHDOG')).toHaveLength(4);
    watchdog.stop();
    vi.advanceTimersByTime(6_000);
    expect(notifier.sent.filter((s) => s === 'WATCHDOG')).toHaveLength(4);
    expect(notifier.sent.at(-1)).toBe('STOPPING');
  });

  it('without WatchdogSec it still reports READY and STATUS but sends no WATCHDOG', () => {
    const { notifier, watchdog, state } = harness(null);
    state.enumerated = true;
    expect(watchdog.tick().pinged).toBe(false);
    expect(notifier.sent).toEqual(['READY 6/6 devices online']);
  });
});
