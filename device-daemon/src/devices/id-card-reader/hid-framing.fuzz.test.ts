// The bounded fuzz run of hid-framing.fuzz.ts for npm test; scripts/fuzz.mjs runs the same target long.
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../../testing/fuzz-harness';
import { hidFramingTarget } from './hid-framing.fuzz';

describe('HID reader reports under random and mutated input', () => {
  it('carries them to the frame decoder without a throw or a bug report, and finds a clean frame after them', async () => {
    const report = await runFuzz(hidFramingTarget, { runs: 2_000, seed: 0x41d0 });
    expect(report.failures).toEqual([]);
    expect(report.throws).toBe(0);
    expect(report.inputs).toBe(2_000);
    // After a full collection the heap ends near where it started: no input is kept.
    expect(report.heapMb.end - report.heapMb.start).toBeLessThan(32);
  });
});
