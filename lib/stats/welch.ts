// Welch's t-test from summary statistics (treatment minus control): no equal-variance assumption. Matches
// scipy.stats.ttest_ind_from_stats(..., equal_var=False) and its confidence_interval().
import t from "@stdlib/stats-base-dists-t";

export interface Summary {
  n: number;
  mean: number;
  sd: number;
}

export interface WelchResult {
  diff: number;
  statistic: number;
  df: number;
  pValue: number;
  ci95: [number, number];
}

/** Welch's test of `treatment` against `control`, or null when a side has fewer than 2 values or no variance at all. */
export function welchTest(treatment: Summary, control: Summary, confidence = 0.95): WelchResult | null {
  if (treatment.n < 2 || control.n < 2) return null;
  const vt = (treatment.sd * treatment.sd) / treatment.n;
  const vc = (control.sd * control.sd) / control.n;
  const se2 = vt + vc;
  if (!(se2 > 0)) return null;
  const se = Math.sqrt(se2);
  const diff = treatment.mean - control.mean;
  const statistic = diff / se;
  const df = (se2 * se2) / ((vt * vt) / (treatment.n - 1) + (vc * vc) / (control.n - 1));
  const pValue = Math.min(1, 2 * (1 - t.cdf(Math.abs(statistic), df)));
  const q = t.quantile(1 - (1 - confidence) / 2, df);
  return { diff, statistic, df, pValue, ci95: [diff - q * se, diff + q * se] };
}
