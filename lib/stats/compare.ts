// One metric's comparison of every treatment against the control, from summary statistics: the function the results
// engine, `assay analyze` and `assay aa` share. It picks the test from the metric's kind and the inputs given:
//   mean        Welch's t-test (lib/stats/welch.ts), CUPED first when every compared arm carries its covariate;
//   proportion  the two-proportion z-test (pooled z, unpooled interval; lib/stats/proportions.ts);
//   quantile    GrowthBook's quantile test (lib/stats/quantile.ts);
// and for every kind: the relative lift by the delta method, the Mann-Whitney U when ranks are given, a one-sided
// non-inferiority test when a margin is given, an always-valid confidence sequence in sequential mode, and a Bayesian
// reading. It never throws on data (only on a control that is not among the arms) and never answers NaN.
import { bayesianReading } from "./bayes";
import type { ArmSummary, CompareOptions, Comparison, Correction, Direction } from "./compare.types";
import { cupedAdjust } from "./cuped";
import { relativeLift, type LiftResult } from "./lift";
import { mannWhitneyU } from "./mannWhitney";
import { benjaminiHochbergAdjust, holmAdjust } from "./multipleComparisons";
import { absoluteMargin, nonInferiorityTest } from "./nonInferiority";
import { twoProportionZTest } from "./proportions";
import { quantileDifferenceTest, quantileTooFewValues, quantileVariance } from "./quantile";
import { confidenceSequenceHalfwidth, sequentialPValue, sequentialTuning } from "./sequential";
import { PLAN_DEFAULTS } from "./power";
import { welchTest } from "./welch";

export const COMPARE_DEFAULTS = { alpha: PLAN_DEFAULTS.alpha, direction: "increase", correction: "holm" } as const satisfies {
  alpha: number;
  direction: Direction;
  correction: Correction;
};

/** A test's answer before the parts every kind shares. */
interface Estimate {
  diff: number;
  /** The control's value the lift divides by (its unadjusted mean, proportion or quantile). */
  controlValue: number;
  /** Variances of the treatment's and the control's estimates; se = sqrt(varT + varC) unless the test says otherwise. */
  varT: number;
  varC: number;
  se: number;
  statistic: number;
  pValue: number;
  ci95: [number, number];
  df: number | null;
  varianceReduction: number | null;
}

type Outcome = { estimate: Estimate } | { note: string; diff: number; controlValue: number | null };

const hasCovariate = (a: ArmSummary) => !!a.covariate && a.covariate.n === a.n && a.n >= 2 && a.sd !== null;

function meanEstimate(t: ArmSummary, c: ArmSummary, alpha: number): Outcome {
  if (t.mean === null || c.mean === null || t.sd === null || c.sd === null || t.n < 2 || c.n < 2) {
    const known = t.mean !== null && c.mean !== null;
    return { note: "fewer than 2 values in an arm: no test", diff: known ? t.mean! - c.mean! : 0, controlValue: known ? c.mean : null };
  }
  let treatment = { n: t.n, mean: t.mean, sd: t.sd };
  let control = { n: c.n, mean: c.mean, sd: c.sd };
  let varianceReduction: number | null = null;
  if (hasCovariate(t) && hasCovariate(c)) {
    const cov = (a: ArmSummary) => ({ n: a.n, mean: a.mean!, sd: a.sd!, covariate: a.covariate! });
    const r = cupedAdjust([cov(t), cov(c)]);
    treatment = { n: t.n, mean: r.arms[0].mean, sd: Math.sqrt(r.arms[0].variance) };
    control = { n: c.n, mean: r.arms[1].mean, sd: Math.sqrt(r.arms[1].variance) };
    varianceReduction = r.varianceReduction;
  }
  const w = welchTest(treatment, control, 1 - alpha);
  const diff = treatment.mean - control.mean;
  if (!w) return { note: "no spread in either arm: no test", diff, controlValue: c.mean };
  const varT = (treatment.sd * treatment.sd) / treatment.n;
  const varC = (control.sd * control.sd) / control.n;
  return {
    estimate: { controlValue: c.mean, varT, varC, se: Math.sqrt(varT + varC), ...w, varianceReduction },
  };
}

function proportionEstimate(t: ArmSummary, c: ArmSummary, alpha: number): Outcome {
  if (t.mean === null || c.mean === null || t.n < 1 || c.n < 1)
    return { note: "no values in an arm: no test", diff: 0, controlValue: null };
  const pt = t.mean;
  const pc = c.mean;
  const z = twoProportionZTest({ n: t.n, successes: Math.round(pt * t.n) }, { n: c.n, successes: Math.round(pc * c.n) }, alpha);
  if (!z) return { note: "every value is the same in both arms: no test", diff: pt - pc, controlValue: pc };
  const varT = (pt * (1 - pt)) / t.n;
  const varC = (pc * (1 - pc)) / c.n;
  return {
    estimate: {
      diff: z.diff,
      controlValue: pc,
      varT,
      varC,
      se: z.se,
      statistic: z.statistic,
      pValue: z.pValue,
      ci95: z.ci95,
      df: null,
      varianceReduction: null,
    },
  };
}

function quantileEstimate(t: ArmSummary, c: ArmSummary, alpha: number): Outcome {
  if (!t.quantile || !c.quantile) return { note: "no quantile summary for an arm: no test", diff: 0, controlValue: null };
  const diff = t.quantile.value - c.quantile.value;
  const controlValue = c.quantile.value;
  if (t.quantile.q !== c.quantile.q) return { note: "the arms summarise different quantiles: no test", diff, controlValue };
  if (quantileTooFewValues(t.n, c.quantile.q) || quantileTooFewValues(c.n, c.quantile.q)) {
    return { note: `too few values for a confidence interval of the ${c.quantile.q * 100}th percentile: no test`, diff, controlValue };
  }
  const r = quantileDifferenceTest({ n: t.n, quantile: t.quantile }, { n: c.n, quantile: c.quantile }, alpha);
  if (!r) return { note: "no spread around the quantile in either arm: no test", diff, controlValue };
  return {
    estimate: {
      diff: r.diff,
      controlValue,
      varT: quantileVariance(t.quantile, t.n),
      varC: quantileVariance(c.quantile, c.n),
      se: r.se,
      statistic: r.statistic,
      pValue: r.pValue,
      ci95: r.ci95,
      df: null,
      varianceReduction: null,
    },
  };
}

const ESTIMATORS = { mean: meanEstimate, proportion: proportionEstimate, quantile: quantileEstimate };

/** Every treatment arm against the control: one Comparison each, in the arms' order (see the file's head for the tests used). */
export function compareMetric(options: CompareOptions): Comparison[] {
  const alpha = options.alpha ?? COMPARE_DEFAULTS.alpha;
  const direction = options.direction ?? COMPARE_DEFAULTS.direction;
  const control = options.arms.find((a) => a.variant === options.control);
  if (!control)
    throw new Error(`The control "${options.control}" is not among the arms (${options.arms.map((a) => a.variant).join(", ")}).`);
  return options.arms
    .filter((a) => a !== control)
    .map((t) => {
      const outcome = ESTIMATORS[options.kind](t, control, alpha);
      const ranks = options.ranks?.find((r) => r.variant === t.variant);
      const mannWhitney = ranks ? mannWhitneyU(ranks, control.n, t.n) : null;
      const mw = mannWhitney ? { u: mannWhitney.u, pValue: mannWhitney.pValue } : null;
      if (!("estimate" in outcome)) {
        const relLift = outcome.controlValue ? outcome.diff / outcome.controlValue : null;
        return {
          variant: t.variant,
          diff: outcome.diff,
          relLift,
          ci95: [outcome.diff, outcome.diff],
          relCi95: null,
          statistic: 0,
          df: null,
          pValue: 1,
          pAdjusted: 1,
          mannWhitney: mw,
          nonInferiority: null,
          varianceReduction: null,
          bayes: null,
          significant: false,
          note: outcome.note,
        } satisfies Comparison;
      }
      const e = outcome.estimate;
      const lift = relativeLift(
        { treatment: e.controlValue + e.diff, control: e.controlValue, varTreatment: e.varT, varControl: e.varC },
        alpha,
        e.df,
      );
      let ci95 = e.ci95;
      let relCi95: [number, number] | null = lift?.ci95 ?? null;
      let pValue = e.pValue;
      if (options.sequential) {
        const n = t.n + control.n;
        const tuning = sequentialTuning(options.sequential.nStar);
        const hw = confidenceSequenceHalfwidth(e.se, n, tuning, alpha);
        ci95 = [e.diff - hw, e.diff + hw];
        pValue = sequentialPValue(e.diff, e.se, n, tuning, alpha);
        if (lift) relCi95 = sequentialInterval(lift, n, tuning, alpha);
      }
      const margin = options.margin ?? null;
      const ni =
        margin === null ? null : nonInferiorityTest(e, absoluteMargin(margin, e.controlValue, !options.marginAbsolute), direction, alpha);
      const bayes = lift
        ? { ...bayesianReading(lift.relLift, lift.se, direction), scale: "relative" as const }
        : { ...bayesianReading(e.diff, e.se, direction), scale: "absolute" as const };
      return {
        variant: t.variant,
        diff: e.diff,
        relLift: lift?.relLift ?? null,
        ci95,
        relCi95,
        statistic: e.statistic,
        df: e.df,
        pValue,
        pAdjusted: pValue,
        mannWhitney: mw,
        nonInferiority: ni ? { margin: ni.margin, bound: ni.bound, pValue: ni.pValue, passed: ni.passed } : null,
        varianceReduction: e.varianceReduction,
        bayes,
        significant: pValue < alpha,
        note: null,
      } satisfies Comparison;
    });
}

function sequentialInterval(lift: LiftResult, n: number, tuning: number, alpha: number): [number, number] {
  const hw = lift.se > 0 ? confidenceSequenceHalfwidth(lift.se, n, tuning, alpha) : 0;
  return [lift.relLift - hw, lift.relLift + hw];
}

/** Adjusted p-values across every comparison given (metrics x treatments): Holm, Benjamini-Hochberg or none; significant = pAdjusted < alpha. */
export function adjustPValues(comparisons: Comparison[][], correction?: Correction, alpha?: number): Comparison[][];
export function adjustPValues(comparisons: Comparison[], correction?: Correction, alpha?: number): Comparison[];
export function adjustPValues(
  comparisons: Comparison[] | Comparison[][],
  correction: Correction = COMPARE_DEFAULTS.correction,
  alpha: number = COMPARE_DEFAULTS.alpha,
): Comparison[] | Comparison[][] {
  const nested = comparisons.length > 0 && Array.isArray(comparisons[0]);
  const groups = (nested ? comparisons : [comparisons]) as Comparison[][];
  const flat = groups.flat();
  const p = flat.map((c) => c.pValue);
  const adjusted = correction === "holm" ? holmAdjust(p) : correction === "bh" ? benjaminiHochbergAdjust(p) : p;
  let k = 0;
  const out = groups.map((g) =>
    g.map((c) => {
      const pAdjusted = adjusted[k++];
      return { ...c, pAdjusted, significant: c.note ? false : pAdjusted < alpha };
    }),
  );
  return nested ? out : out[0];
}
