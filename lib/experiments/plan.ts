// The sample-size plan of an experiment's design: which metric it sizes, where the baseline comes from, and
// lib/stats/power's planSampleSize on top. Pure: the control's history is read by the service and passed in.
import type { z } from "zod";
import { planSampleSize, PlanInputError, type PlanInput } from "@/lib/stats/power";
import type { experimentPlanSchema, MetricInput } from "@/lib/validation/experiments";

/** Planner settings saved with a design. */
export type PlanSettings = z.infer<typeof experimentPlanSchema>;

/** Aggregates of the planned metric over the control variant's logged interactions (SQL avg / stddev / count). */
export interface BaselineHistory {
  n: number;
  mean: number | null;
  sd: number | null;
}

export type ExperimentPlan = {
  metricName: string;
  metricKind: MetricInput["kind"];
  baseline: number;
  baselineSource: "typed" | "control-history";
  sd?: number;
  /** The control's logged interactions the baseline or sd came from, when it came from them. */
  history?: BaselineHistory;
  /** Signed by the metric's direction (a DECREASE metric plans for a fall). */
  mde: number;
  mdeAbsolute: boolean;
  alpha: number;
  power: number;
  variants: number;
  dailyTraffic?: number;
  effectSize: number;
  nExact: number;
  perVariant: number;
  total: number;
  days: number | null;
  explanation: string;
  /** The formulas' sources (libraries, the reference guide), for the collapsible method note. */
  method: string;
};

/** The plan of a design, or why it cannot be computed. */
export type ExperimentPlanView = ExperimentPlan | { error: string };

const fmt = (x: number, digits = 4) => Number(x.toPrecision(digits)).toLocaleString("en-US", { maximumFractionDigits: 10 });
const int = (x: number) => x.toLocaleString("en-US");

/** The metric a plan sizes: the one named in plan.metricName, else the first GOAL metric; an error when the named one is missing; null when there is none. */
export function plannedMetric<M extends MetricInput>(metrics: M[], settings: PlanSettings | null): M | { error: string } | null {
  if (settings?.metricName) {
    const named = metrics.find((m) => m.name === settings.metricName);
    return named ?? { error: `The plan sizes "${settings.metricName}", which is not in the scorecard; pick one of its metrics.` };
  }
  return metrics.find((m) => m.role === "GOAL") ?? null;
}

/** True when the plan must read the control's history: no baseline typed, or a mean without its standard deviation. */
export function needsBaselineHistory(metric: MetricInput): boolean {
  return metric.kind !== "QUANTILE" && (metric.baseline === undefined || (metric.kind === "MEAN" && metric.baselineSd === undefined));
}

/** How n, total and days follow from the inputs, in words and numbers (shown under the plan and in the design document). */
function explain(metric: MetricInput, input: PlanInput, plan: ReturnType<typeof planSampleSize>): string {
  const effect =
    input.metric === "proportion"
      ? plan.effectSizeMethod === "cohens-h"
        ? `Cohen's h = 2·asin(√p2) − 2·asin(√p1) with p1 = ${fmt(plan.p1!)} and p2 = ${fmt(plan.p2!)}`
        : `d = (p2 − p1) / √(p̄(1 − p̄)) with p1 = ${fmt(plan.p1!)}, p2 = ${fmt(plan.p2!)} (pooled standard deviation)`
      : `d = (target − baseline) / sd = (${fmt(plan.targetMean!)} − ${fmt(plan.baselineMean!)}) / ${fmt(plan.sd!)}`;
  const alpha =
    plan.correction === "bonferroni"
      ? `α = ${plan.alpha} / ${plan.comparisons} comparisons = ${fmt(plan.alphaPerComparison)}`
      : `α = ${plan.alpha}`;
  const parts = [
    `Sizing "${metric.name}": effect size ${effect} = ${fmt(plan.effectSize)}.`,
    `n per variant solves the two-sided z-test power equation for two equal groups with ${alpha} and power ${plan.power}: n = ${fmt(plan.nExact, 6)}, rounded up to ${int(plan.perVariant)}.`,
    `Total = ${int(plan.perVariant)} × ${plan.variants} variants = ${int(plan.total)}.`,
  ];
  if (plan.days !== null && plan.dailyTraffic !== null) {
    const perDay =
      plan.coverage === 1 ? `${int(plan.dailyTraffic)} per day` : `${int(plan.dailyTraffic)} per day × coverage ${plan.coverage}`;
    parts.push(`Days = ⌈${int(plan.total)} / (${perDay})⌉ = ${plan.days}.`);
  } else {
    parts.push("Set the daily traffic to estimate the duration.");
  }
  return parts.join(" ");
}

/** Where the formulas come from: named only in the method note, never in the plan's own words. */
function methodSources(input: PlanInput, plan: ReturnType<typeof planSampleSize>): string {
  const effect =
    input.metric === "mean"
      ? "the effect size is Cohen's d"
      : plan.effectSizeMethod === "cohens-h"
        ? "the effect size is Cohen's h (statsmodels proportion_effectsize)"
        : "the effect size is the pooled-standard-deviation formula of plan_ab_test in “A/B testing for Llama apps”";
  return `Sample size as statsmodels' zt_ind_solve_power (two-sided, ratio 1, rounded up); ${effect}.`;
}

/** The plan for a design (planSampleSize on the planned metric), an error saying what to fill in, or null when the design has no goal metric to size. */
export function experimentPlanView(args: {
  metrics: MetricInput[];
  settings: PlanSettings | null;
  variants: number;
  coverage?: number;
  history?: BaselineHistory | null;
}): ExperimentPlanView | null {
  const metric = plannedMetric(args.metrics, args.settings);
  if (metric === null || "error" in metric) return metric;
  if (metric.kind === "QUANTILE")
    return { error: "Quantile metrics are not sized by this planner; pick a mean or proportion goal metric." };

  let baseline = metric.baseline;
  let sd = metric.baselineSd;
  let baselineSource: ExperimentPlan["baselineSource"] = "typed";
  const h = args.history && args.history.n >= 2 ? args.history : null;
  if (baseline === undefined) {
    if (!h || h.mean === null)
      return { error: `Type a baseline for ${metric.name}: the control has no logged interactions to compute it from.` };
    baseline = h.mean;
    baselineSource = "control-history";
  }
  // A mean's standard deviation, when not typed, comes from the same logs (typed baseline or not).
  if (metric.kind === "MEAN" && sd === undefined && h?.sd != null) sd = h.sd;
  const usedHistory = h !== null && (baselineSource === "control-history" || (metric.kind === "MEAN" && metric.baselineSd === undefined));
  if (metric.kind === "MEAN" && !(sd !== undefined && sd > 0)) {
    return { error: `Set a baseline standard deviation for ${metric.name} to size the test.` };
  }

  const settings = args.settings;
  const mde = (metric.direction === "DECREASE" ? -1 : 1) * Math.abs(metric.mde);
  const input: PlanInput = {
    metric: metric.kind === "PROPORTION" ? "proportion" : "mean",
    baseline,
    sd: metric.kind === "MEAN" ? sd : undefined,
    mde,
    mdeAbsolute: metric.mdeAbsolute,
    alpha: settings?.alpha ?? 0.05,
    power: settings?.power ?? 0.8,
    variants: args.variants,
    dailyTraffic: settings?.dailyTraffic ?? null,
    coverage: args.coverage ?? 1,
    correction: settings?.correction ?? "none",
    effectSize: metric.kind === "PROPORTION" ? (settings?.effectSize ?? "guide") : "guide",
  };
  try {
    const plan = planSampleSize(input);
    return {
      metricName: metric.name,
      metricKind: metric.kind,
      baseline,
      baselineSource,
      ...(usedHistory && h ? { history: h } : {}),
      ...(input.sd !== undefined ? { sd: input.sd } : {}),
      mde,
      mdeAbsolute: metric.mdeAbsolute,
      alpha: plan.alpha,
      power: plan.power,
      variants: plan.variants,
      ...(plan.dailyTraffic !== null ? { dailyTraffic: plan.dailyTraffic } : {}),
      effectSize: plan.effectSize,
      nExact: plan.nExact,
      perVariant: plan.perVariant,
      total: plan.total,
      days: plan.days,
      explanation: explain(metric, input, plan),
      method: methodSources(input, plan),
    };
  } catch (err) {
    if (err instanceof PlanInputError) return { error: `Cannot size ${metric.name}: ${err.message}.` };
    throw err;
  }
}
