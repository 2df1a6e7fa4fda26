// The bounded fuzz run of client-session.fuzz.ts for npm test; scripts/fuzz.mjs runs the same target long.
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../testing/fuzz-harness';
import { clientSessionTarget } from './client-session.fuzz';

describe('WebSocket messages under random and mutated input', () => {
  it('acknowledges every message once, completes every accepted command, and sends only well-formed messages', async () => {
    const report = await runFuzz(clientSessionTarget, { runs: 2_000, seed: 0x3b50 });
    expect(report.failures).toEqual([]);
    expect(report.throws).toBe(0);
    expect(report.inputs).toBe(2_000);
    // After a full collection the heap ends near where it started: no input is kept.
    expect(report.heapMb.end - report.heapMb.start).toBeLessThan(32);
  });
});
