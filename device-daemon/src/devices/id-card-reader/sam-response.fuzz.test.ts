// The bounded fuzz run of sam-response.fuzz.ts for npm test; scripts/fuzz.mjs runs the same target long.
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../../testing/fuzz-harness';
import { samResponseTarget } from './sam-response.fuzz';

describe('SAM reply data and status bytes under random and mutated input', () => {
  it('answers every read, address, SAM id and status byte with a well-formed value', async () => {
    const report = await runFuzz(samResponseTarget, { runs: 5_000, seed: 0x5a3d });
    expect(report.failures).toEqual([]);
    expect(report.throws).toBe(0);
    expect(report.inputs).toBe(5_000);
    // After a full collection the heap ends near where it started: no input is kept.
    expect(report.heapMb.end - report.heapMb.start).toBeLessThan(32);
  });
});
