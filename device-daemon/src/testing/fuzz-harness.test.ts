import { describe, expect, it } from 'vitest';
import { deepJson, mutateBytes, mutateJson, randomJson, runFuzz, toHex, type FuzzTarget } from './fuzz-harness';
import { seededRandom } from './seeded-random';

// A parser with a planted bug: it throws on inputs that start with 0xff.
const planted: FuzzTarget<Uint8Array> = {
  name: 'planted',
  generate: (random) => Uint8Array.of(Math.floor(random() * 256), 1, 2),
  check: (input) => {
    if (input[0] === 0xff) throw new Error('planted');
  },
  show: toHex,
};

describe('fuzz harness', () => {
  it('counts every throw and keeps the first inputs for reproduction', async () => {
    const report = await runFuzz(planted, { runs: 5000, seed: 7 });
    expect(report.throws).toBeGreaterThan(0);
    expect(report.failures.length).toBe(Math.min(5, report.throws));
    expect(report.failures[0]?.input).toMatch(/^ff0102$/);
    expect(report.failures[0]?.message).toMatch(/planted/);
    expect(report.gc).toBe(true);
  });

  it('gives the same inputs for the same seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const sample = { header: { name: 'Common.Status', requestId: 1 }, payload: { device: 'x' } };
    for (let i = 0; i < 200; i += 1) {
      expect(JSON.stringify(mutateJson(a, sample))).toBe(JSON.stringify(mutateJson(b, sample)));
      expect(toHex(mutateBytes(a, Uint8Array.of(1, 2, 3)))).toBe(toHex(mutateBytes(b, Uint8Array.of(1, 2, 3))));
      expect(JSON.stringify(randomJson(a))).toBe(JSON.stringify(randomJson(b)));
    }
  });

  it('makes prototype-pollution keys own keys, as JSON.parse does', () => {
    const random = seededRandom(3);
    let seen = false;
    for (let i = 0; i < 2000 && !seen; i += 1) {
      const value = mutateJson(random, { a: { b: 1 } });
      const text = JSON.stringify(value) ?? '';
      if (text.includes('"__proto__"')) seen = true;
      expect(Object.getPrototypeOf(value === null || typeof value !== 'object' ? {} : value)).not.toBe(null);
    }
    expect(seen).toBe(true);
    expect(JSON.stringify(deepJson(random, 100)).length).toBeGreaterThan(100);
  });
});
