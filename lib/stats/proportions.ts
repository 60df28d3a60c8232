// Two-proportion z-test (treatment minus control): the pooled rate for the test, the unpooled rates for the interval.
// Matches statsmodels' proportions_ztest(count, nobs) and confint_proportions_2indep(..., method="wald", compare="diff").
import normal from "@stdlib/stats-base-dists-normal";

export interface ProportionSample {
  n: number;
  /** Units with a 1. */
  successes: number;
}

export interface TwoProportionResult {
  diff: number;
  /** z with the pooled standard error. */
  statistic: number;
  pValue: number;
  /** Unpooled Wald interval of the difference at 1 - alpha. */
  ci95: [number, number];
  /** Unpooled standard error sqrt(pt (1 - pt) / nt + pc (1 - pc) / nc), what the interval, the lift and the sequential test use. */
  se: number;
}

/**
 * z = (pt - pc) / sqrt(p (1 - p) (1/nt + 1/nc)) with p = (xt + xc) / (nt + nc), two-sided p = 2 Phi(-|z|)
 * (statsmodels proportions_ztest); interval pt - pc +/- z_{1-alpha/2} sqrt(pt (1 - pt)/nt + pc (1 - pc)/nc)
 * (statsmodels confint_proportions_2indep, method "wald"). Null when a side is empty or the pooled rate is 0 or 1.
 */
export function twoProportionZTest(treatment: ProportionSample, control: ProportionSample, alpha = 0.05): TwoProportionResult | null {
  if (treatment.n < 1 || control.n < 1) return null;
  const pt = treatment.successes / treatment.n;
  const pc = control.successes / control.n;
  const pooled = (treatment.successes + control.successes) / (treatment.n + control.n);
  const pooledSe = Math.sqrt(pooled * (1 - pooled) * (1 / treatment.n + 1 / control.n));
  if (!(pooledSe > 0)) return null;
  const diff = pt - pc;
  const statistic = diff / pooledSe;
  const se = Math.sqrt((pt * (1 - pt)) / treatment.n + (pc * (1 - pc)) / control.n);
  const q = normal.quantile(1 - alpha / 2, 0, 1);
  return { diff, statistic, pValue: Math.min(1, 2 * normal.cdf(-Math.abs(statistic), 0, 1)), ci95: [diff - q * se, diff + q * se], se };
}
