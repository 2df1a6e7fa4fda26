// The bounded fuzz run of signature.fuzz.ts for npm test; scripts/fuzz.mjs runs the same target long.
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../../testing/fuzz-harness';
import { signatureTarget } from './signature.fuzz';

describe('signature verification under random and mutated headers', () => {
  it('answers a problem or undefined, accepts intact messages once, and refuses changed bodies', async () => {
    const report = await runFuzz(signatureTarget, { runs: 5_000, seed: 0x5161 });
    expect(report.failures).toEqual([]);
    expect(report.throws).toBe(0);
    expect(report.inputs).toBe(5_000);
    // After a full collection the heap ends near where it started: no input is kept.
    expect(report.heapMb.end - report.heapMb.start).toBeLessThan(32);
  });
});
