// The bounded fuzz run of hid-keyboard.fuzz.ts for npm test; scripts/fuzz.mjs runs the same target long.
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../../testing/fuzz-harness';
import { hidKeyboardTarget } from './hid-keyboard.fuzz';

describe('HID scanner reports under random and mutated input', () => {
  it('keeps lines bounded and typeable, and gives a clean scan after the garbage whole', async () => {
    const report = await runFuzz(hidKeyboardTarget, { runs: 3_000, seed: 0x4b1d });
    expect(report.failures).toEqual([]);
    expect(report.throws).toBe(0);
    expect(report.inputs).toBe(3_000);
    // After a full collection the heap ends near where it started: no input is kept.
    expect(report.heapMb.end - report.heapMb.start).toBeLessThan(32);
  });
});
