// The bounded fuzz run of escpos-replies.fuzz.ts for npm test; scripts/fuzz.mjs runs the same target long.
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../../testing/fuzz-harness';
import { escposRepliesTarget } from './escpos-replies.fuzz';

describe('receipt printer replies under random and mutated input', () => {
  it('sorts every byte exactly once and decodes what it sorts, never a throw', async () => {
    const report = await runFuzz(escposRepliesTarget, { runs: 5_000, seed: 0xe5c0 });
    expect(report.failures).toEqual([]);
    expect(report.throws).toBe(0);
    expect(report.inputs).toBe(5_000);
    // After a full collection the heap ends near where it started: no input is kept.
    expect(report.heapMb.end - report.heapMb.start).toBeLessThan(32);
  });
});
