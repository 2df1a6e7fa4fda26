// The bounded fuzz run of load-config.fuzz.ts for npm test; scripts/fuzz.mjs runs the same target long.
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../testing/fuzz-harness';
import { loadConfigTarget } from './load-config.fuzz';

describe('configuration under random and mutated site overlays', () => {
  it('gives a Result for every overlay, validates intact ones, and never turns a key into a prototype', async () => {
    const report = await runFuzz(loadConfigTarget, { runs: 2_000, seed: 0xc0f1 });
    expect(report.failures).toEqual([]);
    expect(report.throws).toBe(0);
    expect(report.inputs).toBe(2_000);
    // After a full collection the heap ends near where it started: no input is kept.
    expect(report.heapMb.end - report.heapMb.start).toBeLessThan(32);
  });
});
