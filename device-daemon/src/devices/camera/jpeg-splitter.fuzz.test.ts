// The bounded fuzz run of jpeg-splitter.fuzz.ts for npm test; scripts/fuzz.mjs runs the same target long.
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../../testing/fuzz-harness';
import { jpegSplitterTarget } from './jpeg-splitter.fuzz';

describe('JPEG splitter under random and mutated streams', () => {
  it('gives only bounded SOI..EOI frames, and a clean frame after the garbage byte for byte', async () => {
    const report = await runFuzz(jpegSplitterTarget, { runs: 3_000, seed: 0x19e6 });
    expect(report.failures).toEqual([]);
    expect(report.throws).toBe(0);
    expect(report.inputs).toBe(3_000);
    // After a full collection the heap ends near where it started: no input is kept.
    expect(report.heapMb.end - report.heapMb.start).toBeLessThan(32);
  });
});
