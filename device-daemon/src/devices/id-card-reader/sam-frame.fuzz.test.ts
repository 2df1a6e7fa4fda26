// The bounded fuzz run of sam-frame.fuzz.ts for npm test; scripts/fuzz.mjs runs the same target long.
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../../testing/fuzz-harness';
import { samFrameTarget } from './sam-frame.fuzz';

describe('SAM frame decoder under random and mutated input', () => {
  it('never throws, stays bounded, and finds the intact frame after every input', async () => {
    const report = await runFuzz(samFrameTarget, { runs: 3_000, seed: 0x5eed });
    expect(report.failures).toEqual([]);
    expect(report.throws).toBe(0);
    expect(report.inputs).toBe(3_000);
    // After a full collection the heap ends near where it started: no input is kept.
    expect(report.heapMb.end - report.heapMb.start).toBeLessThan(32);
  });
});
