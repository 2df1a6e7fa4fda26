import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const policy = { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 };

  it('doubles up to the cap without jitter', () => {
    const noJitter = { ...policy, jitter: 0 };
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(noJitter, n))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('keeps jittered delays within [delay * (1 - jitter), delay]', () => {
    expect(backoffDelay(policy, 2, () => 0)).toBe(400);
    expect(backoffDelay(policy, 2, () => 1)).toBe(200);
    expect(backoffDelay(policy, 2, () => 0.5)).toBe(300);
  });
});
