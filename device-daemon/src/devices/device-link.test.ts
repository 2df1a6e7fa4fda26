import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../log/logger';
import { MemoryTransport } from '../transports/memory-transport';
import type { TransportError } from '../transports/transport';
import { SimulatedPort } from '../simulators/simulated-port';
import { DeviceLink } from './device-link';

describe('DeviceLink', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
  afterEach(() => vi.useRealTimers());

  it('retries with growing delays until the device appears, then follows drops', async () => {
    const port = new SimulatedPort('sim');
    port.unplug();
    let attempts = 0;
    const failures: TransportError[] = [];
    const link = new DeviceLink({
      createTransport: () => {
        attempts += 1;
        return new MemoryTransport(port, 'memory sim');
      },
      openTimeoutMs: 1_000,
      backoff: { initialMs: 100, maxMs: 400, factor: 2, jitter: 0 },
      log: silentLogger(),
    });
    let connected = 0;
    link.onConnected(() => (connected += 1));
    link.onFailure((e) => failures.push(e));
    link.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(attempts).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(attempts).toBe(2);
    await vi.advanceTimersByTimeAsync(200);
    expect(attempts).toBe(3);
    await vi.advanceTimersByTimeAsync(400);
    await vi.advanceTimersByTimeAsync(400);
    expect(attempts).toBe(5);
    expect(link.state).toBe('connecting');
    port.plug();
    await vi.advanceTimersByTimeAsync(400);
    expect(link.state).toBe('connected');
    expect(connected).toBe(1);
    expect(failures.every((f) => f.code === 'notFound')).toBe(true);

    port.unplug();
    await vi.advanceTimersByTimeAsync(0);
    expect(link.transport).toBeUndefined();
    expect(failures.map((f) => f.message)).toContain('sim was unplugged');
    // The first retry after a drop is immediate (and fails: still unplugged); the next waits 100 ms.
    port.plug();
    await vi.advanceTimersByTimeAsync(99);
    expect(link.state).toBe('connecting');
    await vi.advanceTimersByTimeAsync(1);
    expect(link.state).toBe('connected');
    expect(link.reconnects).toBe(1);
    await link.stop();
    expect(link.state).toBe('stopped');
  });
});
