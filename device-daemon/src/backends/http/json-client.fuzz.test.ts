// The bounded fuzz run of json-client.fuzz.ts for npm test; scripts/fuzz.mjs runs the same target long.
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../../testing/fuzz-harness';
import { jsonClientTarget } from './json-client.fuzz';

describe('backend replies under random and mutated input', () => {
  it('gives a Result of a known error kind for every reply, and accepts every intact signed one', async () => {
    const report = await runFuzz(jsonClientTarget, { runs: 2_000, seed: 0xbacc });
    expect(report.failures).toEqual([]);
    expect(report.throws).toBe(0);
    expect(report.inputs).toBe(2_000);
    // After a full collection the heap ends near where it started: no input is kept.
    expect(report.heapMb.end - report.heapMb.start).toBeLessThan(32);
  });
});
