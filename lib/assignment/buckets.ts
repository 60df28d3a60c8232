// Bucket ranges as GrowthBook's getBucketRanges(numVariations, coverage, weights) makes them, in the variants' order.

/** One variant's half-open range [start, end) of bucket numbers. */
export type BucketRange = readonly [start: number, end: number];

/**
 * Ranges for `weights` (any positive scale: percentages or fractions; normalised to sum 1) at `coverage` in [0, 1].
 * Variant i owns [c_i, c_i + coverage * w_i) where c_i is the sum of the weights before it, so raising coverage only
 * grows each range from its start: a user already in a variant stays there.
 */
export function bucketRanges(weights: readonly number[], coverage = 1): BucketRange[] {
  const c = Math.min(1, Math.max(0, Number.isFinite(coverage) ? coverage : 0));
  const total = weights.reduce((s, w) => s + Math.max(0, w), 0);
  const shares = total > 0 ? weights.map((w) => Math.max(0, w) / total) : weights.map(() => 1 / weights.length);
  let cumulative = 0;
  return shares.map((w) => {
    const start = cumulative;
    cumulative += w;
    return [start, start + c * w] as const;
  });
}

/** The index of the range holding `n`, or -1 when `n` falls outside every range (the user is not in the experiment). */
export function chooseRange(n: number, ranges: readonly BucketRange[]): number {
  for (let i = 0; i < ranges.length; i++) if (n >= ranges[i][0] && n < ranges[i][1]) return i;
  return -1;
}
