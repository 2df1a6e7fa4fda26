// The bounded fuzz run of cups-commands.fuzz.ts for npm test; scripts/fuzz.mjs runs the same target long.
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../../testing/fuzz-harness';
import { cupsCommandsTarget } from './cups-commands.fuzz';

describe('lp and lpstat output under random and mutated input', () => {
  it('gives a queue state or undefined and a request id or undefined, never a throw', async () => {
    const report = await runFuzz(cupsCommandsTarget, { runs: 5_000, seed: 0xc095 });
    expect(report.failures).toEqual([]);
    expect(report.throws).toBe(0);
    expect(report.inputs).toBe(5_000);
    // After a full collection the heap ends near where it started: no input is kept.
    expect(report.heapMb.end - report.heapMb.start).toBeLessThan(32);
  });
});
