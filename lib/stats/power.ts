// Power and sample-size planning for A/B tests: pure functions, no I/O.
// Sample sizes solve statsmodels' NormalIndPower (zt_ind_solve_power) exactly; the effect size and the
// per-variant / total / duration arithmetic follow the guide's plan_ab_test (docs: seeds/001, "plan_ab_test").
import normal from "@stdlib/stats-base-dists-normal";

export type Alternative = "two-sided" | "larger" | "smaller";
export type PlanMetric = "proportion" | "mean";
export type PlanCorrection = "none" | "bonferroni";
export type PlanEffectSizeMethod = "guide" | "cohens-h";
/** What a plan tests: a difference of at least the MDE (two-sided), or that a variant is no worse than the margin (one-sided). */
export type PlanTest = "two-sided" | "non-inferiority";
/** Input fields a planning error can name; the CLI maps them to flags, the form to inputs. */
export type PlanField =
  | "metric"
  | "baseline"
  | "sd"
  | "mde"
  | "mdeAbsolute"
  | "alpha"
  | "power"
  | "variants"
  | "weights"
  | "dailyTraffic"
  | "coverage"
  | "correction"
  | "effectSize"
  | "days";

/** The planner's defaults (the guide's plan_ab_test: alpha 0.05, power 0.8, two variants), used by every schema, form, CLI flag and doc. */
export const PLAN_DEFAULTS = {
  alpha: 0.05,
  power: 0.8,
  variants: 2,
  coverage: 1,
  correction: "none",
  effectSize: "guide",
} as const satisfies {
  alpha: number;
  power: number;
  variants: number;
  coverage: number;
  correction: PlanCorrection;
  effectSize: PlanEffectSizeMethod;
};

/** The most units one arm may need: beyond it no experiment collects the sample, and integers stop being exact in float arithmetic. */
export const MAX_PER_ARM = 1e12;
/** The largest standardized effect the planner sizes: beyond it the difference dwarfs the noise and n underflows to 0. */
export const MAX_EFFECT_SIZE = 1e6;

export type PlanInput = {
  metric: PlanMetric;
  /** Proportion in (0,1), or the control mean for a mean metric. */
  baseline: number;
  /** Standard deviation of the metric (mean metric only). */
  sd?: number;
  /**
   * Minimum detectable effect: relative to the baseline (0.05 = +5%) unless mdeAbsolute; may be negative. For a
   * non-inferiority test, the margin: how much worse the metric may get (its sign does not matter).
   */
  mde: number;
  mdeAbsolute?: boolean;
  /** Two-sided (default) or a one-sided non-inferiority test at the margin `mde`. */
  test?: PlanTest;
  alpha?: number;
  power?: number;
  /** Number of arms including the control, 2..8 (taken from `weights` when they are given). */
  variants?: number;
  /** Traffic share of each arm, the control first, in any unit ([90, 10] = a 90/10 split); equal shares when omitted. */
  weights?: number[];
  /** Units (users, interactions) entering the experiment per day; omit for no duration estimate. */
  dailyTraffic?: number | null;
  /** Share of the daily traffic that enters the experiment, (0,1]. */
  coverage?: number;
  correction?: PlanCorrection;
  /** Effect size for proportions: the guide's pooled-sd d, or Cohen's h. */
  effectSize?: PlanEffectSizeMethod;
};

/** One arm of a plan: its share of the traffic and the sample it needs. */
export type PlanArm = {
  /** Share of the experiment's traffic, 0..1 (the weights normalised). */
  share: number;
  /** Exact real n (statsmodels' nobs1 for the control, nobs1 · ratio for a treatment). */
  nExact: number;
  /** ceil(nExact). */
  n: number;
};

export type Plan = {
  metric: PlanMetric;
  test: PlanTest;
  /** The alternative the z test is solved for: two-sided, or one-sided ("larger") for non-inferiority. */
  alternative: Alternative;
  effectSizeMethod: PlanEffectSizeMethod;
  /** Standardized effect size fed to the solver (signed). */
  effectSize: number;
  /** Exact real n of the control arm solving the power equation (per variant when the split is equal). */
  nExact: number;
  /** The largest arm's n: ceil(nExact) per variant when the split is equal. */
  perVariant: number;
  /** The control first, then each treatment, in the input's order. */
  arms: PlanArm[];
  /** Sum of the arms' n (perVariant · variants when the split is equal). */
  total: number;
  /** ceil(max over arms of n / (dailyTraffic · coverage · share)), or null without dailyTraffic. */
  days: number | null;
  alpha: number;
  /** alpha, or alpha / (variants - 1) with Bonferroni. */
  alphaPerComparison: number;
  /** Comparisons against the control: variants - 1. */
  comparisons: number;
  power: number;
  variants: number;
  /** True when the weights are not all equal. */
  unequalSplit: boolean;
  correction: PlanCorrection;
  mde: number;
  mdeAbsolute: boolean;
  /** Target minus baseline in the metric's units (for non-inferiority: the margin, positive). */
  absoluteDifference: number;
  dailyTraffic: number | null;
  coverage: number;
  p1?: number;
  p2?: number;
  baselineMean?: number;
  targetMean?: number;
  sd?: number;
};

export type PlanInputProblem = { field: PlanField; problem: string; message: string };

/** A planning input that cannot produce a plan; `field` names the input, `problem` completes "<field> ...". */
export class PlanInputError extends Error {
  readonly code = "VALIDATION";
  constructor(
    readonly field: PlanField,
    readonly problem: string,
  ) {
    super(`${field} ${problem}`);
    this.name = "PlanInputError";
  }
}

const { cdf, quantile } = normal;

/** Standard normal CDF Φ(x) (stdlib, matches scipy.stats.norm.cdf). */
function phi(x: number): number {
  return cdf(x, 0, 1);
}

/** Standard normal quantile Φ⁻¹(p) (stdlib, matches scipy.stats.norm.ppf). */
function phiInv(p: number): number {
  return quantile(p, 0, 1);
}

/** Brent's root finder on a sign-changing bracket [a, b]; a port of scipy.optimize.brentq (scipy/optimize/Zeros/brentq.c). */
export function brentRoot(
  f: (x: number) => number,
  a: number,
  b: number,
  { xtol = 2e-12, rtol = 4 * Number.EPSILON, maxIter = 200 }: { xtol?: number; rtol?: number; maxIter?: number } = {},
): number {
  let xpre = a;
  let xcur = b;
  let fpre = f(xpre);
  let fcur = f(xcur);
  let xblk = 0;
  let fblk = 0;
  let spre = 0;
  let scur = 0;
  if (fpre === 0) return xpre;
  if (fcur === 0) return xcur;
  if (Number.isNaN(fpre) || Number.isNaN(fcur) || Math.sign(fpre) === Math.sign(fcur)) {
    throw new RangeError(`brentRoot: f(a) and f(b) must have opposite signs (f(${a})=${fpre}, f(${b})=${fcur})`);
  }
  for (let i = 0; i < maxIter; i++) {
    if (fpre !== 0 && fcur !== 0 && Math.sign(fpre) !== Math.sign(fcur)) {
      xblk = xpre;
      fblk = fpre;
      spre = scur = xcur - xpre;
    }
    if (Math.abs(fblk) < Math.abs(fcur)) {
      xpre = xcur;
      xcur = xblk;
      xblk = xpre;
      fpre = fcur;
      fcur = fblk;
      fblk = fpre;
    }
    const delta = (xtol + rtol * Math.abs(xcur)) / 2;
    const sbis = (xblk - xcur) / 2;
    if (fcur === 0 || Math.abs(sbis) < delta) return xcur;
    if (Math.abs(spre) > delta && Math.abs(fcur) < Math.abs(fpre)) {
      let stry: number;
      if (xpre === xblk) {
        stry = (-fcur * (xcur - xpre)) / (fcur - fpre); // secant
      } else {
        const dpre = (fpre - fcur) / (xpre - xcur);
        const dblk = (fblk - fcur) / (xblk - xcur);
        stry = (-fcur * (fblk * dblk - fpre * dpre)) / (dblk * dpre * (fblk - fpre)); // inverse quadratic
      }
      if (2 * Math.abs(stry) < Math.min(Math.abs(spre), 3 * Math.abs(sbis) - delta)) {
        spre = scur;
        scur = stry;
      } else {
        spre = sbis;
        scur = sbis;
      }
    } else {
      spre = sbis;
      scur = sbis;
    }
    xpre = xcur;
    fpre = fcur;
    xcur += Math.abs(scur) > delta ? scur : sbis > 0 ? delta : -delta;
    fcur = f(xcur);
  }
  throw new RangeError("brentRoot: did not converge");
}

/** Guide's standardized effect size for proportions: (p2 - p1) / sqrt(pbar(1 - pbar)), pbar = (p1 + p2)/2 (plan_ab_test). */
export function effectSizeProportions(p1: number, p2: number): number {
  const pbar = (p1 + p2) / 2;
  return (p2 - p1) / Math.sqrt(pbar * (1 - pbar));
}

/** Cohen's h: 2·asin(√p2) − 2·asin(√p1) (= statsmodels proportion_effectsize(p2, p1)). */
export function cohensH(p1: number, p2: number): number {
  return 2 * Math.asin(Math.sqrt(p2)) - 2 * Math.asin(Math.sqrt(p1));
}

/** Cohen's d for means: delta / sd (statsmodels' effect_size for NormalIndPower). */
export function effectSizeMeans(delta: number, sd: number): number {
  return delta / sd;
}

/** Power of the two-sample z test: Φ(d√m − z) + Φ(−d√m − z), m = n1/(1 + 1/ratio), z = z_{1−α/2} (statsmodels NormalIndPower.power). */
export function normalIndPower({
  effectSize,
  nobs1,
  alpha,
  ratio = 1,
  alternative = "two-sided",
}: {
  effectSize: number;
  nobs1: number;
  alpha: number;
  ratio?: number;
  alternative?: Alternative;
}): number {
  const shift = effectSize * Math.sqrt(nobs1 / (1 + 1 / ratio));
  if (alternative === "two-sided") {
    const crit = phiInv(1 - alpha / 2);
    return phi(shift - crit) + phi(-shift - crit);
  }
  const crit = phiInv(1 - alpha);
  return alternative === "larger" ? phi(shift - crit) : phi(-shift - crit);
}

type SolveCommon = { alpha: number; power: number; ratio?: number; alternative?: Alternative };

function checkSolveArgs(alpha: number, power: number, ratio: number): void {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!(power > 0 && power < 1)) throw new RangeError(`power must be in (0, 1), got ${power}`);
  if (!(ratio > 0) || !Number.isFinite(ratio)) throw new RangeError(`ratio must be positive, got ${ratio}`);
}

/** n1 solving NormalIndPower.power(d, n1, α, ratio) = power, the exact real root (statsmodels zt_ind_solve_power(nobs1=None)). */
export function solveNormalIndSampleSize({
  effectSize,
  alpha,
  power,
  ratio = 1,
  alternative = "two-sided",
}: SolveCommon & { effectSize: number }): number {
  checkSolveArgs(alpha, power, ratio);
  if (effectSize === 0 || !Number.isFinite(effectSize)) {
    throw new RangeError(`effect size must be finite and non-zero, got ${effectSize}`);
  }
  const tailAlpha = alternative === "two-sided" ? alpha / 2 : alpha;
  const power0 = alternative === "two-sided" ? alpha : tailAlpha; // power as n -> 0
  if (!(power > power0)) throw new RangeError(`power (${power}) must exceed the power at n = 0 (${power0})`);
  if ((alternative === "larger" && effectSize < 0) || (alternative === "smaller" && effectSize > 0)) {
    throw new RangeError(`a ${alternative} alternative needs an effect size in that direction, got ${effectSize}`);
  }
  const k = 1 + 1 / ratio;
  // One-tail closed form: the two-sided power there is >= the target (the other tail only adds), so it brackets the root.
  const upper = ((phiInv(1 - tailAlpha) + phiInv(power)) / effectSize) ** 2 * k;
  const f = (n: number) => normalIndPower({ effectSize, nobs1: n, alpha, ratio, alternative }) - power;
  if (f(upper) <= 0) return upper; // exact for one-sided alternatives
  return brentRoot(f, 0, upper, { xtol: 1e-12 });
}

/** |d| solving NormalIndPower.power(d, n1, α, ratio) = power (statsmodels NormalIndPower.solve_power(effect_size=None)). */
export function solveNormalIndEffectSize({
  nobs1,
  alpha,
  power,
  ratio = 1,
  alternative = "two-sided",
}: SolveCommon & { nobs1: number }): number {
  checkSolveArgs(alpha, power, ratio);
  if (!(nobs1 > 0) || !Number.isFinite(nobs1)) throw new RangeError(`nobs1 must be positive, got ${nobs1}`);
  const tailAlpha = alternative === "two-sided" ? alpha / 2 : alpha;
  const power0 = alternative === "two-sided" ? alpha : tailAlpha;
  if (!(power > power0)) throw new RangeError(`power (${power}) must exceed the power at effect size 0 (${power0})`);
  const sign = alternative === "smaller" ? -1 : 1;
  const m = Math.sqrt(nobs1 / (1 + 1 / ratio));
  const upper = (phiInv(1 - tailAlpha) + phiInv(power)) / m;
  const f = (d: number) => normalIndPower({ effectSize: sign * d, nobs1, alpha, ratio, alternative }) - power;
  const d = f(upper) <= 0 ? upper : brentRoot(f, 0, upper, { xtol: 1e-15 });
  return sign * d;
}

const num = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

/** Target proportion / mean implied by baseline and MDE: relative p1(1 + mde), or absolute p1 + mde (the guide's p2). */
function targetOf(baseline: number, mde: number, absolute: boolean): number {
  return absolute ? baseline + mde : baseline * (1 + mde);
}

/** Each arm's share of the traffic: the weights over their sum, or 1/k each without weights. */
function sharesOf(input: Pick<PlanInput, "weights" | "variants">): number[] {
  if (input.weights) {
    const sum = input.weights.reduce((s, w) => s + w, 0);
    return input.weights.map((w) => w / sum);
  }
  const k = input.variants ?? PLAN_DEFAULTS.variants;
  return Array.from({ length: k }, () => 1 / k);
}

/** The input's settings with PLAN_DEFAULTS filled in, and alpha per comparison with the control (Bonferroni: alpha / (k − 1)). */
function settingsOf(input: Pick<PlanInput, "alpha" | "power" | "variants" | "weights" | "coverage" | "correction">) {
  const alpha = input.alpha ?? PLAN_DEFAULTS.alpha;
  const power = input.power ?? PLAN_DEFAULTS.power;
  const variants = input.weights ? input.weights.length : (input.variants ?? PLAN_DEFAULTS.variants);
  const coverage = input.coverage ?? PLAN_DEFAULTS.coverage;
  const correction = input.correction ?? PLAN_DEFAULTS.correction;
  const comparisons = variants - 1;
  const alphaPerComparison = correction === "bonferroni" ? alpha / comparisons : alpha;
  return { alpha, power, variants, coverage, correction, comparisons, alphaPerComparison };
}

/** Problems with the fields one by one (types, ranges, cross-field rules), before any arithmetic. */
function fieldProblems(input: PlanInput): PlanInputProblem[] {
  const out: PlanInputProblem[] = [];
  const add = (field: PlanField, problem: string) => out.push({ field, problem, message: `${field} ${problem}` });
  const metric = input.metric;
  const { alpha, power, variants, coverage, correction, alphaPerComparison } = settingsOf(input);
  const method = input.effectSize ?? PLAN_DEFAULTS.effectSize;
  const { baseline, mde, sd } = input;
  const nonInferiority = input.test === "non-inferiority";

  if (metric !== "proportion" && metric !== "mean") add("metric", `must be "proportion" or "mean", got ${JSON.stringify(metric)}`);
  if (!num(baseline)) add("baseline", `must be a number, got ${String(baseline)}`);
  else if (metric === "proportion" && !(baseline > 0 && baseline < 1)) {
    add("baseline", `must be between 0 and 1 (exclusive) for a proportion metric, got ${baseline}`);
  }
  if (metric === "mean") {
    if (sd === undefined || sd === null) add("sd", `is required when metric is "mean"`);
    else if (!num(sd) || !(sd > 0)) add("sd", `must be a positive number, got ${String(sd)}`);
  }
  if (!num(mde)) add("mde", `must be a number, got ${String(mde)}`);
  else if (mde === 0) add("mde", "must not be 0: a zero effect cannot be detected with any sample size");
  else if (num(baseline) && !input.mdeAbsolute && baseline === 0) {
    add("baseline", "must not be 0 when the MDE is relative (use an absolute MDE)");
  } else if (!nonInferiority && num(baseline) && metric === "proportion" && baseline > 0 && baseline < 1) {
    const p2 = targetOf(baseline, mde, !!input.mdeAbsolute);
    if (!(p2 > 0 && p2 < 1)) {
      add("mde", `pushes the proportion from ${baseline} to ${round(p2)}, outside (0, 1); use a smaller MDE`);
    }
  }
  if (!num(alpha) || !(alpha > 0 && alpha < 1)) add("alpha", `must be between 0 and 1 (exclusive), got ${String(alpha)}`);
  if (!num(power) || !(power > 0 && power < 1)) add("power", `must be between 0 and 1 (exclusive), got ${String(power)}`);
  if (input.weights !== undefined) {
    const w = input.weights;
    if (!Array.isArray(w) || w.length < 2 || w.length > 8) {
      add("weights", `must list 2 to 8 weights, the control first, got ${JSON.stringify(w)}`);
    } else if (!w.every((x) => num(x) && x > 0)) {
      add("weights", `must be positive numbers, one per arm (an arm with weight 0 is not an arm), got ${JSON.stringify(w)}`);
    } else if (input.variants !== undefined && input.variants !== w.length) {
      add("weights", `must have one weight per variant: ${w.length} weights for ${String(input.variants)} variants`);
    }
  } else if (!num(variants) || !Number.isInteger(variants) || variants < 2 || variants > 8) {
    add("variants", `must be a whole number from 2 to 8 (control included), got ${String(variants)}`);
  }
  const dt = input.dailyTraffic;
  if (dt !== undefined && dt !== null && (!num(dt) || !(dt >= 1)))
    add("dailyTraffic", `must be at least 1 a day (a number of interactions or users), got ${String(dt)}`);
  if (!num(coverage) || !(coverage > 0 && coverage <= 1)) add("coverage", `must be in (0, 1], got ${String(coverage)}`);
  if (correction !== "none" && correction !== "bonferroni") {
    add("correction", `must be "none" or "bonferroni", got ${JSON.stringify(correction)}`);
  }
  if (method !== "guide" && method !== "cohens-h") add("effectSize", `must be "guide" or "cohens-h", got ${JSON.stringify(method)}`);
  else if (method === "cohens-h" && metric === "mean")
    add("effectSize", `must be "guide" for a mean metric ("cohens-h" is for proportions)`);

  if (out.length === 0 && !(power > alphaPerComparison)) {
    add("power", `must be greater than alpha per comparison (${alphaPerComparison}), got ${power}`);
  }
  return out;
}

type Computed = { plan: Plan; problem?: undefined } | { plan?: undefined; problem: PlanInputProblem };

const problemOf = (field: PlanField, problem: string): Computed => ({ problem: { field, problem, message: `${field} ${problem}` } });
const big = (x: number) => (x >= 1e6 ? x.toExponential(2) : round(x).toLocaleString("en-US"));

/**
 * The plan of an input whose fields are valid, or the first step that float arithmetic cannot carry (an infinite critical
 * value, a difference that rounds to 0, a sample beyond MAX_PER_ARM, a duration that never ends), naming the field to change.
 */
function computePlan(input: PlanInput): Computed {
  const { alpha, power, variants, coverage, correction, comparisons, alphaPerComparison } = settingsOf(input);
  const test = input.test ?? "two-sided";
  const alternative: Alternative = test === "two-sided" ? "two-sided" : "larger";
  const tail = alternative === "two-sided" ? alphaPerComparison / 2 : alphaPerComparison;
  const zAlpha = phiInv(1 - tail);
  const zPower = phiInv(power);
  if (!Number.isFinite(zAlpha)) {
    return problemOf("alpha", `is too small to size a test: at ${alphaPerComparison} the critical value is infinite; use a larger alpha`);
  }
  if (!Number.isFinite(zPower)) return problemOf("power", `is too close to 0 or 1 to size a test, got ${power}`);

  const method = input.metric === "proportion" ? (input.effectSize ?? PLAN_DEFAULTS.effectSize) : "guide";
  const mdeAbsolute = !!input.mdeAbsolute;
  const { baseline } = input;
  let effectSize: number;
  let absoluteDifference: number;
  let extra: Partial<Plan>;
  if (test === "two-sided") {
    const target = targetOf(baseline, input.mde, mdeAbsolute);
    if (!Number.isFinite(target)) {
      return problemOf("mde", `takes the metric from ${baseline} beyond the largest number the planner handles; use a smaller MDE`);
    }
    absoluteDifference = target - baseline;
    if (input.metric === "proportion") {
      effectSize = method === "cohens-h" ? cohensH(baseline, target) : effectSizeProportions(baseline, target);
      extra = { p1: baseline, p2: target };
    } else {
      effectSize = effectSizeMeans(absoluteDifference, input.sd as number);
      extra = { baselineMean: baseline, targetMean: target, sd: input.sd };
    }
  } else {
    // Non-inferiority: H0 "worse by the margin or more" against no true difference, so d = margin / sd at the baseline.
    absoluteDifference = Math.abs(mdeAbsolute ? input.mde : baseline * input.mde);
    const sd = input.metric === "proportion" ? Math.sqrt(baseline * (1 - baseline)) : (input.sd as number);
    effectSize = absoluteDifference / sd;
    extra = input.metric === "proportion" ? { p1: baseline } : { baselineMean: baseline, sd };
  }
  if (absoluteDifference === 0 || effectSize === 0) {
    return problemOf("mde", `is too small to detect: the difference from the baseline ${baseline} rounds to 0; use a larger MDE`);
  }
  if (!Number.isFinite(effectSize) || Math.abs(effectSize) > MAX_EFFECT_SIZE) {
    return input.metric === "mean"
      ? problemOf("sd", `is too small for a difference of ${big(Math.abs(absoluteDifference))}: check the standard deviation`)
      : problemOf("baseline", `is too close to 0 or 1 to size a test, got ${baseline}`);
  }

  const shares = sharesOf(input);
  const tooSmall = (n: number) =>
    problemOf(
      "mde",
      `is too small to detect: it would need ${Number.isFinite(n) ? `about ${big(n)}` : "an unbounded number of"} units in an arm, more than ${big(MAX_PER_ARM)}; use a larger MDE${input.metric === "mean" ? " (or check the standard deviation)" : ""}`,
    );
  // The control's n for each comparison (statsmodels' nobs1 with ratio = share_j / share_control); the largest one rules.
  let nControl = 0;
  for (let j = 1; j < shares.length; j++) {
    const ratio = shares[j] / shares[0];
    // The one-tail closed form bounds the two-sided n from above; check it before solving so the solver never sees infinity.
    const bound = ((zAlpha + zPower) / effectSize) ** 2 * (1 + 1 / ratio);
    if (!(bound * Math.max(1, ratio) <= MAX_PER_ARM * 4)) return tooSmall(bound * Math.max(1, ratio));
    const n1 = solveNormalIndSampleSize({
      effectSize: alternative === "two-sided" ? effectSize : Math.abs(effectSize),
      alpha: alphaPerComparison,
      power,
      ratio,
      alternative,
    });
    nControl = Math.max(nControl, n1);
  }
  const arms: PlanArm[] = shares.map((share) => {
    const nExact = (nControl * share) / shares[0];
    return { share, nExact, n: Math.max(1, Math.ceil(nExact)) };
  });
  const largest = Math.max(...arms.map((a) => a.n));
  if (!(largest <= MAX_PER_ARM)) return tooSmall(largest);
  const total = arms.reduce((s, a) => s + a.n, 0);
  const dailyTraffic = input.dailyTraffic ?? null;
  let days: number | null = null;
  if (dailyTraffic !== null) {
    // Every arm fills at its share of the traffic; the slowest one sets the duration (all of them with an equal split).
    const need = Math.max(...arms.map((a) => a.n / a.share));
    days = ceilDays(need, dailyTraffic * coverage);
    if (!(days <= Number.MAX_SAFE_INTEGER)) {
      return problemOf("dailyTraffic", `is too small for a sample of ${big(total)}: the test would never finish`);
    }
  }
  const unequalSplit = shares.some((s) => Math.abs(s - shares[0]) > 1e-12);
  return {
    plan: {
      metric: input.metric,
      test,
      alternative,
      effectSizeMethod: method,
      effectSize,
      nExact: nControl,
      perVariant: largest,
      arms,
      total,
      days,
      alpha,
      alphaPerComparison,
      comparisons,
      power,
      variants,
      unequalSplit,
      correction,
      mde: input.mde,
      mdeAbsolute,
      absoluteDifference,
      dailyTraffic,
      coverage,
      ...extra,
    },
  };
}

/** Every problem with a plan input, in field order, then the first step the arithmetic cannot carry (empty when planSampleSize can plan it); the schemas ask this. */
export function planInputProblems(input: PlanInput): PlanInputProblem[] {
  const out = fieldProblems(input);
  if (out.length > 0) return out;
  const { problem } = computePlan(input);
  return problem ? [problem] : [];
}

function round(x: number): number {
  return Number(x.toPrecision(6));
}

function throwFirstProblem(problems: PlanInputProblem[]): void {
  if (problems.length > 0) throw new PlanInputError(problems[0].field, problems[0].problem);
}

/** ceil(total / perDay), at least 1, tolerating float noise so 3744/(2000·0.1872)-style exact quotients do not round up an extra day. */
function ceilDays(total: number, perDay: number): number {
  const q = total / perDay;
  const r = Math.round(q);
  return Math.max(1, Math.abs(q - r) <= 1e-9 * Math.max(1, q) ? r : Math.ceil(q));
}

/**
 * Guide's plan_ab_test over weighted arms: d from baseline and MDE, the control's n = statsmodels' zt_ind_solve_power(d, α[/(k−1)],
 * power, ratio = share_j / share_control, two-sided; one-sided "larger" at d = margin / sd for non-inferiority), the largest over
 * the comparisons; each arm n · share / share_control, rounded up; days = ceil(max over arms of n / (traffic·coverage·share)).
 * With an equal split: n = ceil(nobs1), total = n·k, days = ceil(total/(traffic·coverage)), as in the guide.
 */
export function planSampleSize(input: PlanInput): Plan {
  throwFirstProblem(fieldProblems(input));
  const computed = computePlan(input);
  if (computed.problem) throw new PlanInputError(computed.problem.field, computed.problem.problem);
  return computed.plan;
}

export type MdeForDaysInput = Omit<PlanInput, "mde" | "dailyTraffic" | "test"> & {
  days: number;
  dailyTraffic: number;
  /** Solve for a decrease (negative MDE) instead of an increase. */
  decrease?: boolean;
};

export type MdeForDaysResult = {
  /** Smallest detectable MDE: relative to the baseline unless mdeAbsolute; negative when decrease. */
  mde: number;
  /** The smallest arm's n: floor(days · dailyTraffic · coverage / variants) with an equal split. */
  perVariant: number;
  /** floor(days · dailyTraffic · coverage · share) per arm, the control first. */
  arms: number[];
  /** Signed standardized effect size detectable with those arms (two-sided; the weakest comparison). */
  effectSize: number;
  alphaPerComparison: number;
  p1?: number;
  p2?: number;
  baselineMean?: number;
  targetMean?: number;
};

/** Inverse of planSampleSize: arm n = floor(days·traffic·coverage·share), d = solve_power(effect_size=None, nobs1=n_control, ratio) (statsmodels) for the weakest comparison, then p2 with effect(p1, p2) = ±d by Brent. */
export function mdeForDays(input: MdeForDaysInput): MdeForDaysResult {
  const sign = input.decrease ? -1 : 1;
  // Validate everything but the MDE through the shared rules, with a placeholder MDE that is always valid.
  const probe = input.metric === "proportion" ? sign * 1e-9 : sign;
  throwFirstProblem(planInputProblems({ ...input, mde: probe, dailyTraffic: null }).filter((p) => p.field !== "mde"));
  if (!num(input.days) || !(input.days > 0)) throw new PlanInputError("days", `must be a positive number, got ${String(input.days)}`);
  if (!num(input.dailyTraffic) || !(input.dailyTraffic >= 1)) {
    throw new PlanInputError(
      "dailyTraffic",
      `must be at least 1 a day (a number of interactions or users), got ${String(input.dailyTraffic)}`,
    );
  }
  const { power, coverage, alphaPerComparison } = settingsOf(input);
  const mdeAbsolute = !!input.mdeAbsolute;
  const units = input.days * input.dailyTraffic * coverage;
  const arms = sharesOf(input).map((share) => Math.floor(units * share + 1e-9));
  const perVariant = Math.min(...arms);
  if (!(Math.max(...arms) <= MAX_PER_ARM)) {
    throw new PlanInputError("days", `give more than ${big(MAX_PER_ARM)} units per variant (${input.days} days); use fewer days`);
  }
  if (perVariant < 1) throw new PlanInputError("days", `give fewer than 1 unit per variant (${input.days} days)`);
  const d = Math.max(
    ...arms.slice(1).map((n) => solveNormalIndEffectSize({ nobs1: arms[0], alpha: alphaPerComparison, power, ratio: n / arms[0] })),
  );
  const effectSize = sign * d;
  const toMde = (target: number) => (mdeAbsolute ? target - input.baseline : target / input.baseline - 1);

  if (input.metric === "mean") {
    const targetMean = input.baseline + effectSize * (input.sd as number);
    return { mde: toMde(targetMean), perVariant, arms, effectSize, alphaPerComparison, baselineMean: input.baseline, targetMean };
  }
  const p1 = input.baseline;
  const method = input.effectSize ?? PLAN_DEFAULTS.effectSize;
  const es = method === "cohens-h" ? cohensH : effectSizeProportions;
  const edge = input.decrease ? 0 : 1;
  const g = (p2: number) => es(p1, p2) - effectSize;
  // es(p1, ·) is increasing on (0, 1); beyond its value at the edge nothing is detectable.
  if (sign * g(edge) < 0) {
    throw new PlanInputError("days", `are too few: even a proportion of ${edge} could not be detected with ${perVariant} per variant`);
  }
  const p2 = brentRoot(g, p1, edge, { xtol: 1e-15 });
  return { mde: toMde(p2), perVariant, arms, effectSize, alphaPerComparison, p1, p2 };
}

export type MdeTableRow = {
  mde: number;
  /** False when no plan exists for this MDE (a proportion pushed outside (0, 1), a sample beyond MAX_PER_ARM); the numbers are then null. */
  feasible: boolean;
  /** Why the row is not feasible, in words ("rate outside 0–1"). */
  reason?: string;
  perVariant: number | null;
  total: number | null;
  days: number | null;
};

/** planSampleSize over a list of MDEs (default 1%, 2%, 5%, 10%, 15%), one row each, as in the guide's MDE trade-off table. */
export function mdeTable(input: Omit<PlanInput, "mde"> & { mde?: number }, mdes: number[] = [0.01, 0.02, 0.05, 0.1, 0.15]): MdeTableRow[] {
  return mdes.map((mde) => {
    const problems = planInputProblems({ ...input, mde });
    if (problems.length === 1 && (problems[0].field === "mde" || problems[0].field === "dailyTraffic") && mde !== 0 && num(mde)) {
      const reason = problems[0].problem.startsWith("pushes") ? "rate outside 0–1" : `needs more than ${big(MAX_PER_ARM)} per variant`;
      return { mde, feasible: false, reason, perVariant: null, total: null, days: null };
    }
    const plan = planSampleSize({ ...input, mde });
    return { mde, feasible: true, perVariant: plan.perVariant, total: plan.total, days: plan.days };
  });
}
