// One-sided non-inferiority: is the treatment no worse than the control by more than a margin? For an increase metric
// (higher is better) H0: diff <= -margin; for a decrease metric (latency, cost) H0: diff >= +margin. The statistic is
// Student's t with the Welch df for means (statsmodels ttest_ind(usevar="unequal", value=..., alternative=...)), the
// standard normal otherwise (statsmodels test_proportions_2indep(method="wald", value=..., alternative=...)).
import normal from "@stdlib/stats-base-dists-normal";
import t from "@stdlib/stats-base-dists-t";
import type { Direction } from "./compare.types";

export interface NonInferiorityInput {
  /** Treatment minus control. */
  diff: number;
  /** Standard error of diff. */
  se: number;
  /** Welch df, or null for a normal statistic. */
  df: number | null;
}

export interface NonInferiorityResult {
  /** The margin in the metric's units (positive): how much worse the treatment may be. */
  margin: number;
  /** The one-sided 1 - alpha confidence bound of diff on the worse side: lower for increase, upper for decrease. */
  bound: number;
  statistic: number;
  pValue: number;
  /** p < alpha: the bound clears the margin. */
  passed: boolean;
}

/** Relative margin (0.1 = 10% worse) to the metric's units: margin x |control value|. */
export function absoluteMargin(margin: number, controlValue: number, relative: boolean): number {
  return relative ? margin * Math.abs(controlValue) : margin;
}

const cdf = (x: number, df: number | null) => (df === null ? normal.cdf(x, 0, 1) : t.cdf(x, df));
const quantile = (p: number, df: number | null) => (df === null ? normal.quantile(p, 0, 1) : t.quantile(p, df));

/**
 * Increase: statistic (diff + margin) / se, p = P(T >= statistic), bound diff - q se. Decrease: statistic
 * (diff - margin) / se, p = P(T <= statistic), bound diff + q se; q the one-sided 1 - alpha quantile of T. With se = 0
 * the answer is exact: passed when diff is inside the margin. Null for a negative or non-finite margin.
 */
export function nonInferiorityTest(
  input: NonInferiorityInput,
  margin: number,
  direction: Direction,
  alpha = 0.05,
): NonInferiorityResult | null {
  if (!(margin >= 0) || !Number.isFinite(margin)) return null;
  const { diff, se, df } = input;
  const sign = direction === "increase" ? 1 : -1;
  if (!(se > 0)) {
    const inside = sign * diff > -margin;
    return { margin, bound: diff, statistic: 0, pValue: inside ? 0 : 1, passed: inside };
  }
  const statistic = (diff + sign * margin) / se;
  // P(T >= s) = cdf(-s) for the increase side; P(T <= s) = cdf(s) for the decrease side: both cdf(-sign s).
  const pValue = cdf(-sign * statistic, df);
  const bound = diff - sign * quantile(1 - alpha, df) * se;
  return { margin, bound, statistic, pValue, passed: pValue < alpha };
}
