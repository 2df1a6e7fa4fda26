// The bounded fuzz run of card-text.fuzz.ts for npm test; scripts/fuzz.mjs runs the same target long.
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../../testing/fuzz-harness';
import { cardTextTarget } from './card-text.fuzz';

describe('card text decoding under random input', () => {
  it('answers every random or mutated block with a value, never a throw, and decodes every intact one', async () => {
    const report = await runFuzz(cardTextTarget, { runs: 5_000, seed: 0xca4d });
    expect(report.failures).toEqual([]);
    expect(report.throws).toBe(0);
    expect(report.inputs).toBe(5_000);
    // After a full collection the heap ends near where it started: no input is kept.
    expect(report.heapMb.end - report.heapMb.start).toBeLessThan(32);
  });
});
