// Mann-Whitney U of the control sample against a treatment, as scipy.stats.mannwhitneyu(control, treatment,
// alternative="two-sided", use_continuity=True, method="asymptotic"): average ranks for ties, the tie-corrected
// normal approximation with a continuity correction of 0.5.
import normal from "@stdlib/stats-base-dists-normal";
import type { RankSummary } from "./compare.types";

export interface MannWhitneyResult {
  /** U for the control sample (scipy's U1 with x = control). */
  u: number;
  z: number;
  pValue: number;
}

/** Ranks 1..n of `values`, tied values sharing the average of their ranks (scipy.stats.rankdata, method "average"). */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && values[order[j]] === values[order[i]]) j++;
    // Positions i..j-1 (0-based) hold one value: ranks i+1..j, whose average is (i + 1 + j) / 2.
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) ranks[order[k]] = rank;
    i = j;
  }
  return ranks;
}

/**
 * U of the control and the tie term sum(t^3 - t) over groups of tied values in the pooled sample, from two samples
 * already sorted ascending: one merge, no copy. U = (sum of control ranks) - nc (nc + 1) / 2.
 */
export function rankSummaryFromSorted(controlSorted: ArrayLike<number>, treatmentSorted: ArrayLike<number>, variant: string): RankSummary {
  const nc = controlSorted.length;
  const nt = treatmentSorted.length;
  let i = 0;
  let j = 0;
  let rankSum = 0;
  let tieTerm = 0;
  let position = 0;
  while (i < nc || j < nt) {
    const value = j >= nt || (i < nc && controlSorted[i] <= treatmentSorted[j]) ? controlSorted[i] : treatmentSorted[j];
    let inControl = 0;
    while (i < nc && controlSorted[i] === value) {
      i++;
      inControl++;
    }
    let inTreatment = 0;
    while (j < nt && treatmentSorted[j] === value) {
      j++;
      inTreatment++;
    }
    const tied = inControl + inTreatment;
    rankSum += inControl * (position + (tied + 1) / 2);
    tieTerm += tied * tied * tied - tied;
    position += tied;
  }
  return { variant, u: rankSum - (nc * (nc + 1)) / 2, tieTerm };
}

/** rankSummaryFromSorted on unsorted samples (sorted copies). */
export function rankSummary(control: ArrayLike<number>, treatment: ArrayLike<number>, variant: string): RankSummary {
  const sorted = (x: ArrayLike<number>) => Float64Array.from(x).sort();
  return rankSummaryFromSorted(sorted(control), sorted(treatment), variant);
}

/**
 * Two-sided asymptotic p of U (scipy's _mwu, method "asymptotic"): mu = nc nt / 2,
 * s = sqrt(nc nt / 12 ((n + 1) - tieTerm / (n (n - 1)))), z = (max(U, nc nt - U) - mu - 0.5) / s, p = min(1, 2 Phi(-z)).
 * Null when a side is empty; p is 1 when every value is tied (s = 0).
 */
export function mannWhitneyU(summary: Pick<RankSummary, "u" | "tieTerm">, nControl: number, nTreatment: number): MannWhitneyResult | null {
  if (nControl < 1 || nTreatment < 1) return null;
  const n = nControl + nTreatment;
  const mu = (nControl * nTreatment) / 2;
  const s = Math.sqrt(((nControl * nTreatment) / 12) * (n + 1 - summary.tieTerm / (n * (n - 1))));
  const big = Math.max(summary.u, nControl * nTreatment - summary.u);
  if (!(s > 0)) return { u: summary.u, z: 0, pValue: 1 };
  const z = (big - mu - 0.5) / s;
  return { u: summary.u, z, pValue: Math.min(1, 2 * normal.cdf(-z, 0, 1)) };
}
