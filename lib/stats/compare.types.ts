// The shapes of one metric's analysis: what the results engine (SQL aggregates), `assay analyze` (a streamed file) and
// `assay aa` (simulated A/A tests) hand to compareMetric() in lib/stats/compare.ts, and what it answers. Pure data.

export type AnalysisKind = "mean" | "proportion" | "quantile";
export type Correction = "holm" | "bh" | "none";
export type Direction = "increase" | "decrease";

/** One variant's sample of one metric, as summary statistics (never the rows). */
export interface ArmSummary {
  variant: string;
  /** Values counted (interactions with a value for this metric). */
  n: number;
  /** Mean; for a proportion, the share of 1s. Null when n is 0. */
  mean: number | null;
  /** Sample standard deviation (n - 1). Null when n < 2. */
  sd: number | null;
  /** Interpolated like numpy's default (linear), as PostgreSQL's percentile_cont. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /**
   * For a quantile metric: the quantile q of the metric and the order statistics around it that make its confidence
   * interval (GrowthBook's quantile test): `lower`/`upper` are the sample quantiles at q -/+ z * sqrt(q (1 - q) / n).
   */
  quantile?: { q: number; value: number; lower: number; upper: number };
  /**
   * CUPED: the pre-exposure covariate x of the same units, over the units that have both y and x:
   * n, mean of x, sd of x and the sample covariance of (y, x).
   */
  covariate?: { n: number; mean: number; sd: number; covariance: number };
}

/** A variant's summary of one metric as results show it: n, mean, sd and P50/P95/P99. */
export type VariantSummary = Pick<ArmSummary, "variant" | "n" | "mean" | "sd" | "p50" | "p95" | "p99">;

/** Mann-Whitney U of the control sample against one treatment (scipy's U1 with x = control), with the tie term. */
export interface RankSummary {
  variant: string;
  /** U for the control sample: sum of control ranks in the pooled sample (average ranks for ties) - nc (nc + 1) / 2. */
  u: number;
  /** Sum over groups of tied values in the pooled sample of (t^3 - t). */
  tieTerm: number;
}

export interface CompareOptions {
  kind: AnalysisKind;
  control: string;
  arms: ArmSummary[];
  /** Mann-Whitney inputs per treatment, when the caller could compute them. */
  ranks?: RankSummary[];
  /** Two-sided significance level (default 0.05). */
  alpha?: number;
  /** Which way is better for this metric (default "increase"). */
  direction?: Direction;
  /**
   * A guardrail's margin: the worst change still acceptable, relative (0.1 = 10% worse) unless `marginAbsolute`.
   * With a margin, each comparison carries a one-sided non-inferiority test.
   */
  margin?: number | null;
  marginAbsolute?: boolean;
  /** Sequential mode: always-valid confidence sequences tuned for nStar units per variant (from the plan). */
  sequential?: { nStar: number } | null;
}

export interface Comparison {
  variant: string;
  /** Treatment minus control: difference of means, proportions or quantiles. */
  diff: number;
  /** diff / control value (null when the control value is 0). */
  relLift: number | null;
  /** Confidence interval of diff at 1 - alpha (a confidence sequence in sequential mode). */
  ci95: [number, number];
  /** Confidence interval of relLift (delta method). */
  relCi95: [number, number] | null;
  /** Welch t for means, z for proportions and quantiles. */
  statistic: number;
  /** Welch-Satterthwaite df; null where it does not apply. */
  df: number | null;
  /** Two-sided p of the difference (always-valid in sequential mode). */
  pValue: number;
  /** pValue after the correction across metrics x treatments; equals pValue until adjustPValues() runs. */
  pAdjusted: number;
  /** Mann-Whitney U for the control sample and its two-sided asymptotic p (continuity and tie corrected). */
  mannWhitney: { u: number; pValue: number } | null;
  /** One-sided test that the treatment is not worse than the margin; null without a margin. */
  nonInferiority: { margin: number; bound: number; pValue: number; passed: boolean } | null;
  /** CUPED: variance of the difference removed by the covariate (0.3 = 30% less); null without a covariate. */
  varianceReduction: number | null;
  /** Bayesian reading (normal approximation of the lift): P(treatment better than control), expected loss of shipping it. */
  bayes: {
    chanceToBeat: number;
    expectedLoss: number;
    /** The loss's unit: "relative" (a share of the control's value, as relLift) or "absolute" (the metric's units, when relLift is null). */
    scale?: "relative" | "absolute";
  } | null;
  /** pAdjusted < alpha (or, sequential, the sequence excludes 0). */
  significant: boolean;
  /** Why no test was possible (too few values, no spread in either arm, ...): then statistic is 0, pValue 1 and ci95 [diff, diff]. */
  note?: string | null;
}
