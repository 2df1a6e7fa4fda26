import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StorageHealth } from './storage-health';
import { watchStorage } from './storage-recheck';

const fault = (code: string): Error => Object.assign(new Error(code), { code });

describe('watchStorage', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('probes a failing disk every interval until a probe goes through, then stops', () => {
    const health = new StorageHealth({ dataDir: 'data', minFreeBytes: 1 << 20, freeBytes: () => 50 << 20 });
    let writable = false;
    let probes = 0;
    const stop = watchStorage(health, {
      intervalMs: 15_000,
      probe: () => {
        probes += 1;
        if (writable) health.wrote();
      },
    });
    vi.advanceTimersByTime(60_000);
    expect(probes).toBe(0); // nothing is failing: no timer at all
    health.failed(fault('SQLITE_IOERR_WRITE'), 'Payment.Create');
    vi.advanceTimersByTime(14_999);
    expect(probes).toBe(0);
    vi.advanceTimersByTime(1);
    expect(probes).toBe(1);
    vi.advanceTimersByTime(30_000);
    expect(probes).toBe(3);
    expect(health.state().kind).toBe('failing');
    writable = true;
    vi.advanceTimersByTime(15_000);
    expect(probes).toBe(4);
    expect(health.state().kind).toBe('ok');
    vi.advanceTimersByTime(60_000);
    expect(probes).toBe(4);
    // A failed probe is the old fault still there: nothing new is counted.
    expect(health.faults().get('io')).toBe(1);
    stop();
  });

  it('judges a full disk by its free space, without probe writes', () => {
    const free = { bytes: 0 };
    const health = new StorageHealth({ dataDir: 'data', minFreeBytes: 1 << 20, freeBytes: () => free.bytes });
    const states: string[] = [];
    health.subscribe((event) => {
      if (event.kind === 'changed') states.push(event.state.kind);
    });
    let probes = 0;
    const stop = watchStorage(health, { intervalMs: 15_000, probe: () => void (probes += 1) });
    health.failed(fault('SQLITE_FULL'), 'Platform.Submit');
    vi.advanceTimersByTime(45_000);
    expect(states).toEqual(['failing']);
    // Some room, but under the margin SQLite needs: still failing.
    free.bytes = 512 << 10;
    vi.advanceTimersByTime(15_000);
    expect(states).toEqual(['failing']);
    free.bytes = 8 << 20;
    vi.advanceTimersByTime(15_000);
    expect(states).toEqual(['failing', 'ok']);
    expect(probes).toBe(0);
    stop();
  });

  it('stops for good when stopped, even while failing', () => {
    const health = new StorageHealth({ dataDir: 'data', minFreeBytes: 1 << 20, freeBytes: () => 50 << 20 });
    let probes = 0;
    const stop = watchStorage(health, { intervalMs: 1_000, probe: () => void (probes += 1) });
    health.failed(fault('EROFS'), 'Printer.PrintForm');
    vi.advanceTimersByTime(2_000);
    expect(probes).toBe(2);
    stop();
    vi.advanceTimersByTime(10_000);
    expect(probes).toBe(2);
    expect(vi.getTimerCount()).toBe(0);
  });
});
