// Drives fake timers until a promise settles, letting real I/O callbacks (sockets, the libuv thread
// pool) run between steps. Outcomes stay deterministic; only fake time passes.
import { vi } from 'vitest';

export async function settleWithFakeTime<T>(promise: Promise<T>, stepMs = 50, maxSteps = 2_000): Promise<T> {
  let settled = false;
  const watched = promise.finally(() => {
    settled = true;
  });
  for (let i = 0; i < maxSteps && !settled; i += 1) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    await vi.advanceTimersByTimeAsync(stepMs);
  }
  if (!settled) throw new Error(`not settled after ${maxSteps} steps of ${stepMs} ms of fake time`);
  return watched;
}
