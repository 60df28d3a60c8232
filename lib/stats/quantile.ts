// Sample quantiles (numpy's default linear interpolation, as PostgreSQL's percentile_cont) and the difference of two
// arms' quantiles with a confidence interval, after GrowthBook's quantile test (gbstats QuantileStatistic; Deng, Knoblich
// and Lu, "Applying the Delta Method in Metric Analytics", 2018):
//   1. each arm's quantile q has an order-statistic confidence interval [L, U]: the sample quantiles at
//      q -/+ z sqrt(q (1 - q) / n), z = Phi^-1(0.975) (the binomial count of values below the true quantile);
//   2. the quantile's variance follows from that interval's width: Var = ((n - 1) / n) ((U - L) / (2 z))^2
//      (gbstats variance_init / n, with n_star = n for independent units);
//   3. the difference of the two arms' quantiles is normal: diff +/- z_{1-alpha/2} sqrt(Var_t + Var_c), two-sided p from
//      z = diff / sqrt(Var_t + Var_c).
import normal from "@stdlib/stats-base-dists-normal";

/** The z of the order-statistic interval: fixed at 95% as in gbstats, whatever the test's alpha. */
export const QUANTILE_INTERVAL_Z = normal.quantile(0.975, 0, 1);

export interface QuantileSummary {
  q: number;
  value: number;
  lower: number;
  upper: number;
}

/** numpy.quantile(x, q) (method "linear") of values sorted ascending: x[h] interpolated at h = (n - 1) q. NaN when empty. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** The quantile q of sorted values and its order-statistic interval: the sample quantiles at q -/+ z sqrt(q (1 - q) / n), clipped to [0, 1]. */
export function quantileSummary(sorted: ArrayLike<number>, q: number): QuantileSummary {
  const half = QUANTILE_INTERVAL_Z * Math.sqrt((q * (1 - q)) / sorted.length);
  return {
    q,
    value: quantileSorted(sorted, q),
    lower: quantileSorted(sorted, q - half),
    upper: quantileSorted(sorted, q + half),
  };
}

/**
 * Too few values for the order-statistic interval to stay inside the sample: n <= z^2 q / (1 - q) or n <= z^2 (1 - q) / q
 * (gbstats QuantileStatistic._has_zero_variance). For P95 that is n <= 72, for P99 n <= 380.
 */
export function quantileTooFewValues(n: number, q: number): boolean {
  const z2 = QUANTILE_INTERVAL_Z * QUANTILE_INTERVAL_Z;
  return n <= (z2 * q) / (1 - q) || n <= (z2 * (1 - q)) / q;
}

/** Variance of an arm's sample quantile from its interval: ((n - 1) / n) ((U - L) / (2 z))^2 (gbstats variance_init / n). */
export function quantileVariance(summary: QuantileSummary, n: number): number {
  if (n < 2) return 0;
  const width = (summary.upper - summary.lower) / (2 * QUANTILE_INTERVAL_Z);
  return ((n - 1) / n) * width * width;
}

export interface QuantileDifferenceResult {
  diff: number;
  se: number;
  statistic: number;
  pValue: number;
  ci95: [number, number];
}

/**
 * The treatment's quantile minus the control's: z = diff / sqrt(Var_t + Var_c), p = 2 Phi(-|z|), interval
 * diff +/- z_{1-alpha/2} sqrt(Var_t + Var_c). Null when an arm has too few values (quantileTooFewValues) or no spread.
 */
export function quantileDifferenceTest(
  treatment: { n: number; quantile: QuantileSummary },
  control: { n: number; quantile: QuantileSummary },
  alpha = 0.05,
): QuantileDifferenceResult | null {
  const q = control.quantile.q;
  if (quantileTooFewValues(treatment.n, q) || quantileTooFewValues(control.n, q)) return null;
  const se = Math.sqrt(quantileVariance(treatment.quantile, treatment.n) + quantileVariance(control.quantile, control.n));
  if (!(se > 0)) return null;
  const diff = treatment.quantile.value - control.quantile.value;
  const statistic = diff / se;
  const crit = normal.quantile(1 - alpha / 2, 0, 1);
  return {
    diff,
    se,
    statistic,
    pValue: Math.min(1, 2 * normal.cdf(-Math.abs(statistic), 0, 1)),
    ci95: [diff - crit * se, diff + crit * se],
  };
}
