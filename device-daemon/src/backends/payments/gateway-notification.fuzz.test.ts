// The bounded fuzz run of gateway-notification.fuzz.ts for npm test; scripts/fuzz.mjs runs the same target long.
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../../testing/fuzz-harness';
import { gatewayNotificationTarget } from './gateway-notification.fuzz';

describe('gateway notifications under random and mutated input', () => {
  it('refuses or accepts every one without a throw, accepts intact ones once', async () => {
    const report = await runFuzz(gatewayNotificationTarget, { runs: 3_000, seed: 0x9a7e });
    expect(report.failures).toEqual([]);
    expect(report.throws).toBe(0);
    expect(report.inputs).toBe(3_000);
    // After a full collection the heap ends near where it started: no input is kept.
    expect(report.heapMb.end - report.heapMb.start).toBeLessThan(32);
  });
});
