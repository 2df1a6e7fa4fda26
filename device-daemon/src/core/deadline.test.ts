import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AbortReason, deadline, delay, raceSignal, reasonOf } from './deadline';

describe('deadline', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('aborts with a timeout reason when the time is up', () => {
    const d = deadline(undefined, 100, 'read');
    vi.advanceTimersByTime(99);
    expect(d.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(d.signal.aborted).toBe(true);
    expect(reasonOf(d.signal).kind).toBe('timeout');
    expect(reasonOf(d.signal).message).toBe('read timed out after 100 ms');
  });

  it('passes the parent reason through', () => {
    const parent = new AbortController();
    const d = deadline(parent.signal, 1000);
    parent.abort(new AbortReason('canceled', 'by the resident'));
    expect(reasonOf(d.signal).kind).toBe('canceled');
    expect(reasonOf(d.signal).message).toBe('by the resident');
  });

  it('is aborted at once under an aborted parent', () => {
    const parent = new AbortController();
    parent.abort(new AbortReason('shutdown', 'stopping'));
    expect(reasonOf(deadline(parent.signal, 1000).signal).kind).toBe('shutdown');
  });

  it('adds no timer for 0 and stops its timer on dispose', () => {
    const none = deadline(undefined, 0);
    vi.advanceTimersByTime(1e9);
    expect(none.signal.aborted).toBe(false);
    const d = deadline(undefined, 50);
    d.dispose();
    vi.advanceTimersByTime(100);
    expect(d.signal.aborted).toBe(false);
  });

  it('treats a foreign abort reason as a cancel', () => {
    const c = new AbortController();
    c.abort('whatever');
    expect(reasonOf(c.signal).kind).toBe('canceled');
  });

  it('delay resolves after the time, or early with the reason', async () => {
    const c = new AbortController();
    const finished = delay(100, c.signal);
    vi.advanceTimersByTime(100);
    expect(await finished).toEqual({ ok: true, value: undefined });
    const cut = delay(100, c.signal);
    c.abort(new AbortReason('canceled', 'stop'));
    const result = await cut;
    expect(result.ok).toBe(false);
  });

  it('raceSignal gives the value, or the reason when the signal wins', async () => {
    const c = new AbortController();
    expect(await raceSignal(Promise.resolve(7), c.signal)).toEqual({ ok: true, value: 7 });
    const never = new Promise<number>(() => undefined);
    const raced = raceSignal(never, c.signal);
    c.abort(new AbortReason('timeout', 'late'));
    const result = await raced;
    expect(result.ok ? 'value' : result.error.kind).toBe('timeout');
  });
});
