// CUPED (Deng, Xu, Kohavi and Walker, "Improving the Sensitivity of Online Controlled Experiments by Utilizing
// Pre-Experiment Data", 2013) from summary statistics: y_adj = y - theta (x - mean x), theta = Cov(y, x) / Var(x) over
// the pooled sample of the arms compared (gbstats compute_theta). The difference of adjusted means is gbstats'; so are
// the adjusted variances Var(y) + theta^2 Var(x) - 2 theta Cov(y, x).

export interface CupedArm {
  n: number;
  /** Mean and sample sd of the metric y. */
  mean: number;
  sd: number;
  /** The covariate x over the same n units: mean, sample sd and the sample covariance of (y, x). */
  covariate: { mean: number; sd: number; covariance: number };
}

export interface CupedArmResult {
  /** y mean - theta (x mean - pooled x mean). */
  mean: number;
  /** Per-unit variance of y - theta x. */
  variance: number;
}

export interface CupedResult {
  theta: number;
  /** The pooled mean of x the adjustment centres on. */
  covariateMean: number;
  arms: CupedArmResult[];
  /** 1 - Var_adj(diff) / Var(diff) for the first two arms (treatment, control): the share of the difference's variance removed. */
  varianceReduction: number;
}

/**
 * theta from the pooled sample: with S_y = sum n_i ybar_i, S_xy = sum ((n_i - 1) cov_i + n_i ybar_i xbar_i) and
 * S_xx = sum ((n_i - 1) sx_i^2 + n_i xbar_i^2), Cov = (S_xy - S_y S_x / N) / (N - 1), Var = (S_xx - S_x^2 / N) / (N - 1),
 * theta = Cov / Var (0 when Var is 0). Arms are [treatment, control] for the variance removed.
 */
export function cupedAdjust(arms: readonly CupedArm[]): CupedResult {
  let n = 0;
  let sy = 0;
  let sx = 0;
  let sxy = 0;
  let sxx = 0;
  for (const a of arms) {
    const c = a.covariate;
    n += a.n;
    sy += a.n * a.mean;
    sx += a.n * c.mean;
    sxy += (a.n - 1) * c.covariance + a.n * a.mean * c.mean;
    sxx += (a.n - 1) * c.sd * c.sd + a.n * c.mean * c.mean;
  }
  const covariance = (sxy - (sy * sx) / n) / (n - 1);
  const varX = (sxx - (sx * sx) / n) / (n - 1);
  const theta = varX > 0 ? covariance / varX : 0;
  const covariateMean = sx / n;
  const adjusted = arms.map((a) => ({
    mean: a.mean - theta * (a.covariate.mean - covariateMean),
    variance: Math.max(0, a.sd * a.sd + theta * theta * a.covariate.sd * a.covariate.sd - 2 * theta * a.covariate.covariance),
  }));
  const before = arms.slice(0, 2).reduce((s, a) => s + (a.sd * a.sd) / a.n, 0);
  const after = adjusted.slice(0, 2).reduce((s, a, i) => s + a.variance / arms[i].n, 0);
  return { theta, covariateMean, arms: adjusted, varianceReduction: before > 0 ? 1 - after / before : 0 };
}
