// Agreement between a judge and people, and the statistics of pairwise judging. Pure.
//
// - Cohen's kappa, unweighted, linear or quadratic: as scikit-learn's cohen_kappa_score(a, b, labels, weights). With the
//   confusion matrix C over the labels in order, the expected matrix E = outer(row sums, column sums) / sum(C), and the
//   disagreement weights w_ij = 0 on the diagonal and 1 off it (none), |i - j| (linear) or (i - j)^2 (quadratic):
//   kappa = 1 - sum(w * C) / sum(w * E). Weights use the labels' positions, so pass the whole scale (1..5) as labels
//   to weigh a 1-vs-5 disagreement the same whatever values happen to occur.
// - Spearman's rank correlation: Pearson's r of the ranks (ties take their average rank), as scipy.stats.spearmanr,
//   with its two-sided p from t = r sqrt((n - 2) / (1 - r^2)) on n - 2 degrees of freedom.
// - Wilson's score interval of a proportion: statsmodels' proportion_confint(count, nobs, alpha, method="wilson").
// - The sign test: scipy.stats.binomtest(wins, wins + losses, 0.5).pvalue (two-sided, exact; ties left out).
import tDist from "@stdlib/stats-base-dists-t";
import normal from "@stdlib/stats-base-dists-normal";

export type KappaWeights = "none" | "linear" | "quadratic";

export interface Confusion {
  /** The labels, in order: rows are the first rater's, columns the second's. */
  labels: number[];
  matrix: number[][];
}

/** Counts of (a[i], b[i]) pairs over the labels (the sorted union of both when not given); pairs off the labels are refused. */
export function confusionMatrix(a: readonly number[], b: readonly number[], labels?: readonly number[]): Confusion {
  if (a.length !== b.length) throw new Error(`the two raters have ${a.length} and ${b.length} ratings; they must rate the same items`);
  const list = labels ? [...labels] : [...new Set([...a, ...b])].sort((x, y) => x - y);
  const index = new Map(list.map((l, i) => [l, i]));
  const matrix = list.map(() => list.map(() => 0));
  a.forEach((x, k) => {
    const i = index.get(x);
    const j = index.get(b[k]);
    if (i === undefined || j === undefined)
      throw new Error(`rating ${i === undefined ? x : b[k]} is not one of the labels ${list.join(", ")}`);
    matrix[i][j]++;
  });
  return { labels: list, matrix };
}

/** Cohen's kappa of two raters over the same items (scikit-learn's cohen_kappa_score). NaN when expected disagreement is 0. */
export function cohenKappa(
  a: readonly number[],
  b: readonly number[],
  opts: { weights?: KappaWeights; labels?: readonly number[] } = {},
): number {
  return cohenKappaOfMatrix(confusionMatrix(a, b, opts.labels).matrix, opts.weights);
}

/** Cohen's kappa from a square confusion matrix of counts (rows one rater's labels, columns the other's, in the same order). NaN when expected disagreement is 0. */
export function cohenKappaOfMatrix(matrix: readonly (readonly number[])[], weights: KappaWeights = "none"): number {
  const k = matrix.length;
  const rows = matrix.map((r) => r.reduce((s, v) => s + v, 0));
  const cols = matrix[0]?.map((_, j) => matrix.reduce((s, r) => s + r[j], 0)) ?? [];
  const total = rows.reduce((s, v) => s + v, 0);
  const weight = (i: number, j: number) =>
    weights === "quadratic" ? (i - j) ** 2 : weights === "linear" ? Math.abs(i - j) : i === j ? 0 : 1;
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      observed += weight(i, j) * matrix[i][j];
      expected += (weight(i, j) * rows[i] * cols[j]) / total;
    }
  return 1 - observed / expected;
}

/** Ranks from 1, ties taking the average of the ranks they span (scipy.stats.rankdata's default). */
export function averageRanks(x: readonly number[]): number[] {
  const order = x.map((v, i) => [v, i] as const).sort((p, q) => p[0] - q[0]);
  const ranks = new Array<number>(x.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k][1]] = rank;
    i = j + 1;
  }
  return ranks;
}

/** Spearman's rho and its two-sided p (scipy.stats.spearmanr). NaN rho when either rater gives one value only. */
export function spearman(x: readonly number[], y: readonly number[]): { rho: number; pValue: number; n: number } {
  if (x.length !== y.length) throw new Error(`the two series have ${x.length} and ${y.length} values; they must pair up`);
  const n = x.length;
  const rx = averageRanks(x);
  const ry = averageRanks(y);
  const mx = rx.reduce((s, v) => s + v, 0) / n;
  const my = ry.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (rx[i] - mx) * (ry[i] - my);
    sxx += (rx[i] - mx) ** 2;
    syy += (ry[i] - my) ** 2;
  }
  return spearmanOf(sxy / Math.sqrt(sxx * syy), n);
}

/**
 * Spearman's rho and its two-sided p from a contingency table of counts (matrix[i][j]: items the first rater put in row
 * category i and the second in column category j, both in increasing order): the same as scipy.stats.spearmanr on the
 * items the table counts. A category's items share the average of the ranks they span, as ties do.
 */
export function spearmanOfMatrix(matrix: readonly (readonly number[])[]): { rho: number; pValue: number; n: number } {
  const rows = matrix.map((r) => r.reduce((s, v) => s + v, 0));
  const cols = matrix[0]?.map((_, j) => matrix.reduce((s, r) => s + r[j], 0)) ?? [];
  const n = rows.reduce((s, v) => s + v, 0);
  // The average rank of category i: the items before it, plus the middle of its own (ranks from 1).
  const midRanks = (totals: number[]) => {
    let before = 0;
    return totals.map((t) => {
      const rank = before + (t + 1) / 2;
      before += t;
      return rank;
    });
  };
  const rx = midRanks(rows);
  const ry = midRanks(cols);
  const mean = (n + 1) / 2; // the mean of average ranks is always (n + 1) / 2
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  matrix.forEach((r, i) => r.forEach((c, j) => (sxy += c * (rx[i] - mean) * (ry[j] - mean))));
  rows.forEach((c, i) => (sxx += c * (rx[i] - mean) ** 2));
  cols.forEach((c, j) => (syy += c * (ry[j] - mean) ** 2));
  return spearmanOf(sxy / Math.sqrt(sxx * syy), n);
}

/** rho clamped to [-1, 1] with its two-sided p from t = rho sqrt((n - 2) / (1 - rho^2)) on n - 2 degrees of freedom. */
function spearmanOf(r: number, n: number): { rho: number; pValue: number; n: number } {
  const rho = Math.max(-1, Math.min(1, r));
  if (!Number.isFinite(rho) || n < 3) return { rho, pValue: NaN, n };
  if (Math.abs(rho) === 1) return { rho, pValue: 0, n };
  const t = rho * Math.sqrt((n - 2) / ((1 - rho) * (1 + rho)));
  return { rho, pValue: 2 * tDist.cdf(-Math.abs(t), n - 2), n };
}

/** Wilson's score interval for successes out of n at 1 - alpha (statsmodels' proportion_confint, method "wilson"). */
export function wilsonInterval(successes: number, n: number, alpha = 0.05): [number, number] {
  if (n <= 0) return [0, 1];
  const z = normal.quantile(1 - alpha / 2, 0, 1);
  const p = successes / n;
  const denominator = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denominator;
  return [centre - half, centre + half];
}

/** Two-sided exact sign test of wins against losses (ties left out): scipy.stats.binomtest(wins, wins + losses, 0.5). */
export function signTest(wins: number, losses: number): number {
  const n = wins + losses;
  if (n === 0) return 1;
  const k = Math.min(wins, losses);
  if (2 * k === n) return 1;
  // P(X <= k) for X ~ Binomial(n, 1/2), summed in log space from the smallest term up.
  let logTerm = -n * Math.LN2; // log C(n, 0) / 2^n
  let tail = Math.exp(logTerm);
  for (let i = 1; i <= k; i++) {
    logTerm += Math.log((n - i + 1) / i);
    tail += Math.exp(logTerm);
  }
  return Math.min(1, 2 * tail);
}
