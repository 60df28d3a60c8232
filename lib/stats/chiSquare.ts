// Pearson's chi-square goodness-of-fit test: do observed counts match expected shares? Used for the split of users
// across variants (a sample-ratio check). Matches scipy.stats.chisquare(f_obs, f_exp).
import chisquare from "@stdlib/stats-base-dists-chisquare";

export interface ChiSquareResult {
  statistic: number;
  df: number;
  pValue: number;
}

/** Goodness of fit of `observed` counts to `shares` (any positive scale, normalised to the observed total). */
export function chiSquareGoodnessOfFit(observed: readonly number[], shares: readonly number[]): ChiSquareResult {
  if (observed.length !== shares.length || observed.length < 2) throw new Error("observed and shares need the same length, at least 2");
  const total = observed.reduce((s, x) => s + x, 0);
  const shareTotal = shares.reduce((s, x) => s + x, 0);
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    const expected = (total * shares[i]) / shareTotal;
    statistic += (observed[i] - expected) ** 2 / expected;
  }
  const df = observed.length - 1;
  // The survival function 1 - CDF; for a tiny p, 1 - cdf loses digits, so both are fine down to ~1e-16.
  return { statistic, df, pValue: 1 - chisquare.cdf(statistic, df) };
}
