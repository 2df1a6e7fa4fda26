// Summary statistics for benchmarks: medians and tails, not means.
export interface Summary {
  readonly n: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

export function summarise(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { n: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

/** One result line the bench runner collects: JSON on stdout, prefixed so logs cannot be mistaken for it. */
export function report(name: string, unit: string, summary: Summary, extra: Record<string, unknown> = {}): void {
  console.log(`BENCH ${JSON.stringify({ name, unit, ...summary, ...extra })}`);
}
