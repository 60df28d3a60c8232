// Sequential testing that is safe to peek at: the always-valid confidence sequence and p-value of Waudby-Smith, Arnold,
// Wu, Howard, Ramdas and Lindon, "Time-uniform central limit theory and asymptotic confidence sequences" (2023,
// arXiv:2103.06476v7), as GrowthBook's gbstats SequentialTwoSidedTTest. n is the combined sample of the two arms
// compared; the tuning parameter N is where the sequence is tightest. Assay sets N = 2 x the plan's per-variant sample
// (nStar): the combined sample of a control-treatment pair at the planned end of the test.

/** rho = sqrt((-2 ln alpha + ln(-2 ln alpha + 1)) / N) (eq. 161; gbstats SequentialTwoSidedTTest.rho). */
export function sequentialRho(alpha: number, tuning: number): number {
  const la = Math.log(alpha);
  return Math.sqrt((-2 * la + Math.log(-2 * la + 1)) / tuning);
}

/** The tuning N for a pairwise comparison planned at nStar units per variant: 2 nStar. */
export function sequentialTuning(nStar: number): number {
  return 2 * nStar;
}

/**
 * Half-width of the confidence sequence (eq. 9): sqrt(s2) sqrt(2 (n rho^2 + 1) ln(sqrt(n rho^2 + 1) / alpha) / (n rho)^2),
 * with the per-unit variance s2 = se^2 n (se the standard error of the difference).
 */
export function confidenceSequenceHalfwidth(se: number, n: number, tuning: number, alpha: number): number {
  const rho = sequentialRho(alpha, tuning);
  const s2 = se * se * n;
  const a = n * rho * rho + 1;
  return Math.sqrt(s2) * Math.sqrt((2 * a * Math.log(Math.sqrt(a) / alpha)) / (n * rho) ** 2);
}

/**
 * Always-valid two-sided p (eq. 155, as gbstats): st2 = diff^2 n / se^2, e = exp(rho^2 st2 / (2 (n rho^2 + 1))) /
 * sqrt(n rho^2 + 1), p = min(1, 1 / e), computed in logs so strong evidence does not overflow.
 */
export function sequentialPValue(diff: number, se: number, n: number, tuning: number, alpha: number): number {
  if (!(se > 0)) return 1;
  const rho = sequentialRho(alpha, tuning);
  const st2 = (diff * diff * n) / (se * se);
  const a = n * rho * rho + 1;
  const logE = (rho * rho * st2) / (2 * a) - 0.5 * Math.log(a);
  return logE <= 0 ? 1 : Math.min(1, Math.exp(-logE));
}
