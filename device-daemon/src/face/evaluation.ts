// Verification figures over all pairs of a labelled set: ROC AUC, the true-accept rate at a 1%
// false-accept rate, and accuracy at the configured threshold. Scores are distances: lower is more alike.
export interface PairScore {
  readonly same: boolean;
  readonly distance: number;
}

export interface Evaluation {
  readonly pairs: { readonly same: number; readonly different: number };
  /** Probability that a same-person pair scores closer than a different-person pair (ties count half). */
  readonly auc: number;
  /** Share of same-person pairs accepted at the strictest threshold that accepts at most 1% of the others. */
  readonly tarAtFar1: number;
  readonly thresholdAtFar1: number;
  readonly threshold: number;
  readonly accuracy: number;
  readonly falseAccepts: number;
  readonly falseRejects: number;
}

export function allPairs<T>(items: readonly T[]): Array<[T, T]> {
  const pairs: Array<[T, T]> = [];
  for (let i = 0; i < items.length; i += 1) for (let j = i + 1; j < items.length; j += 1) pairs.push([items[i]!, items[j]!]);
  return pairs;
}

export function evaluate(scores: readonly PairScore[], threshold: number): Evaluation {
  const same = scores.filter((s) => s.same).map((s) => s.distance);
  const different = scores.filter((s) => !s.same).map((s) => s.distance).sort((a, b) => a - b);
  // AUC by ranks (Mann-Whitney U): for each same pair, count different pairs that are farther.
  let wins = 0;
  for (const d of same) {
    let below = 0;
    let equal = 0;
    for (const o of different) {
      if (o < d) below += 1;
      else if (o === d) equal += 1;
      else break;
    }
    wins += different.length - below - equal + equal / 2;
  }
  const auc = same.length > 0 && different.length > 0 ? wins / (same.length * different.length) : Number.NaN;
  // Accept when distance < t: the largest t letting through at most 1% of different pairs.
  const allowed = Math.floor(different.length * 0.01);
  const thresholdAtFar1 = different.length > 0 ? different[allowed] ?? Number.POSITIVE_INFINITY : Number.NaN;
  const tarAtFar1 = same.length > 0 ? same.filter((d) => d < thresholdAtFar1).length / same.length : Number.NaN;
  const falseRejects = same.filter((d) => d > threshold).length;
  const falseAccepts = different.filter((d) => d <= threshold).length;
  const total = same.length + different.length;
  return {
    pairs: { same: same.length, different: different.length },
    auc,
    tarAtFar1,
    thresholdAtFar1,
    threshold,
    accuracy: total > 0 ? (total - falseRejects - falseAccepts) / total : Number.NaN,
    falseAccepts,
    falseRejects,
  };
}
