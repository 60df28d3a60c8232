// The relative lift (treatment - control) / control and its interval by the delta method, as GrowthBook's frequentist
// engine (gbstats TTest.variance): the two arms are independent, so their covariance term drops.
import normal from "@stdlib/stats-base-dists-normal";
import t from "@stdlib/stats-base-dists-t";

export interface LiftInput {
  /** The treatment's estimate (mean, proportion or quantile). */
  treatment: number;
  /** The control's estimate. */
  control: number;
  /** Variance of the treatment's estimate (sd^2 / n for a mean). */
  varTreatment: number;
  /** Variance of the control's estimate. */
  varControl: number;
}

export interface LiftResult {
  relLift: number;
  /** sqrt of the delta-method variance. */
  se: number;
  ci95: [number, number];
}

/** Two-sided critical value at 1 - alpha: Student's t at `df`, or the standard normal when df is null. */
export function criticalValue(alpha: number, df: number | null): number {
  return df === null ? normal.quantile(1 - alpha / 2, 0, 1) : t.quantile(1 - alpha / 2, df);
}

/**
 * rel = (mt - mc) / mc; Var(rel) ~ Var(mt) / mc^2 + mt^2 Var(mc) / mc^4 (delta method, gbstats TTest.variance);
 * interval rel +/- q sqrt(Var(rel)) with q from criticalValue(alpha, df). Null when the control's estimate is 0.
 */
export function relativeLift(input: LiftInput, alpha = 0.05, df: number | null = null): LiftResult | null {
  const { treatment: mt, control: mc, varTreatment, varControl } = input;
  if (mc === 0 || !Number.isFinite(mc)) return null;
  const relLift = (mt - mc) / mc;
  const variance = varTreatment / (mc * mc) + (mt * mt * varControl) / mc ** 4;
  const se = Math.sqrt(Math.max(0, variance));
  const q = se > 0 ? criticalValue(alpha, df) : 0;
  return { relLift, se, ci95: [relLift - q * se, relLift + q * se] };
}
