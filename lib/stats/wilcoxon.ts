// Wilcoxon signed-rank test of paired samples, as scipy.stats.wilcoxon(x, y, zero_method="wilcox", correction=False,
// alternative="two-sided", method="approx") (scipy 1.10): zero differences dropped, average ranks of |d| for ties,
// the tie-corrected normal approximation without a continuity correction.
import normal from "@stdlib/stats-base-dists-normal";
import { averageRanks } from "./mannWhitney";

export interface WilcoxonResult {
  /** min(R+, R-), scipy's two-sided statistic. */
  statistic: number;
  z: number;
  pValue: number;
  /** Pairs left after dropping zero differences. */
  n: number;
}

/**
 * d = x - y without zeros, ranks r of |d|; T = min(sum r[d > 0], sum r[d < 0]), mu = n (n + 1) / 4,
 * s = sqrt((n (n + 1) (2n + 1) - sum(t^3 - t) / 2) / 24) over tie groups t, z = (T - mu) / s, p = 2 Phi(-|z|).
 * When every difference is zero (scipy raises) p is 1: the samples agree. Null for unequal lengths or no pairs.
 */
export function wilcoxonSignedRank(x: readonly number[], y: readonly number[]): WilcoxonResult | null {
  if (x.length !== y.length || x.length === 0) return null;
  const d: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] - y[i] !== 0) d.push(x[i] - y[i]);
  const n = d.length;
  if (n === 0) return { statistic: 0, z: 0, pValue: 1, n: 0 };
  const ranks = averageRanks(d.map(Math.abs));
  let plus = 0;
  let minus = 0;
  for (let i = 0; i < n; i++)
    if (d[i] > 0) plus += ranks[i];
    else minus += ranks[i];
  const counts = new Map<number, number>();
  for (const r of ranks) counts.set(r, (counts.get(r) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of counts.values()) if (t > 1) tieTerm += t * t * t - t;
  const statistic = Math.min(plus, minus);
  const mu = (n * (n + 1)) / 4;
  const s = Math.sqrt((n * (n + 1) * (2 * n + 1) - tieTerm / 2) / 24);
  const z = (statistic - mu) / s;
  return { statistic, z, pValue: Math.min(1, 2 * normal.cdf(-Math.abs(z), 0, 1)), n };
}
