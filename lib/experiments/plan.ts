// The sample-size plan of an experiment's design: which metric it sizes, where the baselines come from, the arms the
// traffic split makes, what each goal and guardrail needs and which of them sets the duration, with lib/stats/power's
// planSampleSize underneath. Pure: the control's history is read by the service and passed in. Never throws: a design
// the planner cannot size gets a reason instead, so reading an experiment never fails because of its plan.
import type { z } from "zod";
import { durationAdvice, fullWeekDays } from "@/lib/planner/duration";
import { baselineScaleWarning, historyOnReading } from "./metricScale";
import {
  PLAN_DEFAULTS,
  planInputProblems,
  planSampleSize,
  PlanInputError,
  type Plan,
  type PlanField,
  type PlanInput,
  type PlanInputProblem,
  type PlanTest,
} from "@/lib/stats/power";
import type { experimentPlanSchema, MetricInput } from "@/lib/validation/experiments";

/** Planner settings saved with a design. */
export type PlanSettings = z.infer<typeof experimentPlanSchema>;
export type PlanUnit = PlanSettings["unit"];

/** Aggregates of a metric over the control variant's logged interactions (SQL avg / stddev / count). */
export interface BaselineHistory {
  n: number;
  mean: number | null;
  sd: number | null;
}

/** What the plan needs to know of a variant: the traffic split makes the arms. */
export interface PlanVariant {
  key: string;
  name?: string;
  isControl: boolean;
  weight: number;
}

/** One arm of the plan: a variant with weight above 0, and the sample the sized metric needs in it. */
export type PlanArmView = { key: string; weight: number; n: number };

/** What one metric of the scorecard needs: a sample and a duration, or why it is not sized. */
export type MetricRequirement =
  | {
      metricName: string;
      role: MetricInput["role"];
      sized: true;
      /** Two-sided at the MDE (goals, guardrails without a margin), or one-sided non-inferiority at the margin. */
      test: PlanTest;
      /** The MDE or the margin, signed by the metric's direction; relative unless absolute. */
      effect: number;
      absolute: boolean;
      baseline: number;
      sd?: number;
      history?: BaselineHistory;
      effectSize: number;
      /** The largest arm's n. */
      perVariant: number;
      arms: PlanArmView[];
      total: number;
      days: number | null;
    }
  | {
      metricName: string;
      role: MetricInput["role"];
      sized: false;
      reason: string;
      /** Set when the reason is a to-do for the scorecard (type the baseline or its sd), which a started design can no longer do. */
      missing?: "baseline" | "sd";
    };

/** How counting interactions while users are assigned changes the sample: the design effect's bounds. */
export type ClusteringView = {
  /** The metric whose requirement it is: the one that sets the duration. */
  metricName: string;
  interactionsPerUser: number;
  /** The design effect 1 + (m − 1)·ρ at its worst (ρ = 1): m. */
  worstDesignEffect: number;
  /** That metric's arms at that worst case, and their total and days. */
  worstPerVariant: number;
  worstTotal: number;
  worstDays: number | null;
};

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
  /** Arms: variants with weight above 0. */
  variants: number;
  /** The arms, the control first, with the sample the sized metric needs in each. */
  arms: PlanArmView[];
  /** Keys of variants with weight 0: they get no traffic and are not arms. */
  excludedVariants: string[];
  unequalSplit: boolean;
  dailyTraffic?: number;
  /** What n and the daily traffic count. */
  unit: PlanUnit;
  interactionsPerUser?: number;
  clustering?: ClusteringView;
  effectSize: number;
  nExact: number;
  /** The sized metric's largest arm (n per variant with an equal split). */
  perVariant: number;
  total: number;
  days: number | null;
  explanation: string;
  /** The formulas' sources (libraries, the reference guide), for the collapsible method note. */
  method: string;
  /** Every metric of the scorecard, the sized one first (quantiles and metrics without a baseline with the reason they are not sized). */
  requirements: MetricRequirement[];
  /** The largest requirement (most days, or the largest total without traffic): it sets the duration, and the plan's headline states it. */
  duration: {
    metricName: string;
    perVariant: number;
    arms: PlanArmView[];
    total: number;
    days: number | null;
    fullWeekDays: number | null;
  };
  /** Full-week and drift advice for the duration. */
  advice: string[];
  /** Things that make the numbers less trustworthy than they look (clustering, a baseline outside the metric's scale). */
  warnings: string[];
};

/** Why a metric is not sized; once the design has started (its scorecard locked) a fact, never a to-do such as "Type a baseline". */
export function notSizedText(r: Extract<MetricRequirement, { sized: false }>, started: boolean): string {
  if (!started || !r.missing) return r.reason;
  return r.missing === "baseline"
    ? "No baseline was typed and the control had no logged interactions to compute one from."
    : "No standard deviation was typed to size this mean with.";
}

/** The plan of a design, or why it cannot be computed. */
export type ExperimentPlanView = ExperimentPlan | { error: string };

const fmt = (x: number, digits = 4) => Number(x.toPrecision(digits)).toLocaleString("en-US", { maximumFractionDigits: 10 });
const int = (x: number) => x.toLocaleString("en-US");

/** The metric a plan sizes: the one named in plan.metricName, else the first GOAL metric; an error when the named one is missing; null when there is none. */
export function plannedMetric<M extends MetricInput>(
  metrics: M[],
  settings: Pick<PlanSettings, "metricName"> | null,
): M | { error: string } | null {
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

/** The arms of a design: variants with weight above 0, the control first; an error when fewer than two or the control gets none. */
export function planArms(variants: PlanVariant[]): { arms: PlanVariant[]; excluded: string[] } | { error: string } {
  const control = variants.find((v) => v.isControl);
  const arms = [...(control ? [control] : []), ...variants.filter((v) => !v.isControl)].filter((v) => v.weight > 0);
  const excluded = variants.filter((v) => !(v.weight > 0)).map((v) => v.key);
  if (!control) return { error: "Mark one variant as the control to size the test." };
  if (!(control.weight > 0)) return { error: `The control (${control.key}) has weight 0: give it traffic to size the test.` };
  if (arms.length < 2) return { error: "Give at least one variant besides the control a weight above 0 to size the test." };
  return { arms, excluded };
}

type Sizing = {
  input: PlanInput;
  test: PlanTest;
  baseline: number;
  sd?: number;
  history?: BaselineHistory;
  source: "typed" | "control-history";
};

/** The planner input for one metric, or why it cannot be built (no baseline, no sd, a quantile). */
function sizingOf(
  metric: MetricInput,
  settings: Partial<PlanSettings> | null,
  weights: number[],
  coverage: number,
  history: BaselineHistory | null | undefined,
  { guardrailTest = true } = {},
): Sizing | { reason: string; missing?: "baseline" | "sd" } {
  if (metric.kind === "QUANTILE")
    return { reason: "A quantile: not sized here (the planner sizes means and proportions); it is still checked as a guardrail." };
  const h = history && history.n >= 2 ? historyOnReading(metric, history) : null;
  let baseline = metric.baseline;
  let sd = metric.baselineSd;
  let source: Sizing["source"] = "typed";
  if (baseline === undefined) {
    if (!h || h.mean === null)
      return {
        reason: `Type a baseline for ${metric.name}: the control has no logged interactions to compute it from.`,
        missing: "baseline",
      };
    baseline = h.mean;
    source = "control-history";
  }
  // A mean's standard deviation, when not typed, comes from the same logs (typed baseline or not).
  if (metric.kind === "MEAN" && sd === undefined && h?.sd != null) sd = h.sd;
  const usedHistory = h !== null && (source === "control-history" || (metric.kind === "MEAN" && metric.baselineSd === undefined));
  if (metric.kind === "MEAN" && !(sd !== undefined && sd > 0))
    return { reason: `Set a baseline standard deviation for ${metric.name} to size the test.`, missing: "sd" };

  const nonInferiority = guardrailTest && metric.role === "GUARDRAIL" && metric.nonInferiorityMargin !== undefined;
  const sign = metric.direction === "DECREASE" ? -1 : 1;
  const effect = nonInferiority ? metric.nonInferiorityMargin! : sign * Math.abs(metric.mde);
  const input: PlanInput = {
    metric: metric.kind === "PROPORTION" ? "proportion" : "mean",
    baseline,
    sd: metric.kind === "MEAN" ? sd : undefined,
    mde: effect,
    mdeAbsolute: metric.mdeAbsolute,
    test: nonInferiority ? "non-inferiority" : "two-sided",
    alpha: settings?.alpha ?? PLAN_DEFAULTS.alpha,
    power: settings?.power ?? PLAN_DEFAULTS.power,
    weights,
    dailyTraffic: settings?.dailyTraffic ?? null,
    coverage,
    correction: settings?.correction ?? PLAN_DEFAULTS.correction,
    effectSize: metric.kind === "PROPORTION" ? (settings?.effectSize ?? PLAN_DEFAULTS.effectSize) : "guide",
  };
  return { input, test: input.test!, baseline, sd: input.sd, history: usedHistory && h ? h : undefined, source };
}

const armViews = (arms: PlanVariant[], plan: Plan): PlanArmView[] =>
  arms.map((v, i) => ({ key: v.key, weight: v.weight, n: plan.arms[i].n }));

/** planSampleSize, with any failure turned into a sentence (the planner's problems are PlanInputErrors; anything else is a bug, still not a 500). */
function trySize(metric: MetricInput, input: PlanInput): { plan: Plan } | { reason: string } {
  try {
    return { plan: planSampleSize(input) };
  } catch (err) {
    if (err instanceof PlanInputError) return { reason: `Cannot size ${metric.name}: ${err.message}.` };
    return { reason: `Cannot size ${metric.name}: the numbers are beyond what the planner can compute.` };
  }
}

/** How n, total and days follow from the inputs, in words and numbers (shown under the plan and in the design document). */
function explain(metric: MetricInput, input: PlanInput, plan: Plan, arms: PlanVariant[], unit: PlanUnit): string {
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
  const units = unit === "users" ? "users" : "interactions";
  const parts = [`Sizing "${metric.name}": effect size ${effect} = ${fmt(plan.effectSize)}.`];
  if (plan.unequalSplit) {
    const control = arms[0];
    const ratios = arms.slice(1).map((v) => `${v.key} ${fmt(v.weight / control.weight)}`);
    parts.push(
      `The split is unequal, so the control's n solves the two-sided z-test power equation with ratio = treatment weight / control weight (${ratios.join(", ")}), ${alpha} and power ${plan.power}: n = ${fmt(plan.nExact, 6)}; each arm needs n × its weight / the control's, rounded up: ${arms.map((v, i) => `${v.key} ${int(plan.arms[i].n)}`).join(", ")} ${units}.`,
      `Total = ${int(plan.total)}.`,
    );
  } else {
    parts.push(
      `n per variant solves the two-sided z-test power equation for two equal groups with ${alpha} and power ${plan.power}: n = ${fmt(plan.nExact, 6)}, rounded up to ${int(plan.perVariant)} ${units}.`,
      `Total = ${int(plan.perVariant)} × ${plan.variants} variants = ${int(plan.total)}.`,
    );
  }
  if (plan.days !== null && plan.dailyTraffic !== null) {
    const perDay =
      plan.coverage === 1 ? `${int(plan.dailyTraffic)} per day` : `${int(plan.dailyTraffic)} per day × coverage ${plan.coverage}`;
    parts.push(
      plan.unequalSplit
        ? `Days = ⌈the slowest arm's n / (${perDay} × its share)⌉ = ${plan.days}.`
        : `Days = ⌈${int(plan.total)} / (${perDay})⌉ = ${plan.days}.`,
    );
  } else {
    parts.push("Set the daily traffic to estimate the duration.");
  }
  return parts.join(" ");
}

/** Where the formulas come from: named only in the method note, never in the plan's own words. */
function methodSources(input: PlanInput, plan: Plan): string {
  const effect =
    input.metric === "mean"
      ? "the effect size is Cohen's d"
      : plan.effectSizeMethod === "cohens-h"
        ? "the effect size is Cohen's h (statsmodels proportion_effectsize)"
        : "the effect size is the pooled-standard-deviation formula of plan_ab_test in “A/B testing for Llama apps”";
  const ratio = plan.unequalSplit ? "ratio = nobs2 / nobs1, the treatment's share over the control's" : "ratio 1";
  return `Sample size as statsmodels' zt_ind_solve_power (two-sided, ${ratio}, rounded up); guardrails with a margin as NormalIndPower with alternative 'larger' at d = margin / sd; ${effect}; the design effect 1 + (m − 1)·ρ is Kish's.`;
}

/** A metric's arms at the worst design effect m (every interaction of a user alike): n·m per arm. */
function clusteringOf(metricName: string, plan: Plan, m: number): ClusteringView {
  const arms = plan.arms.map((a) => ({ share: a.share, n: Math.ceil(a.nExact * m) }));
  const worstTotal = arms.reduce((s, a) => s + a.n, 0);
  const perDay = plan.dailyTraffic === null ? null : plan.dailyTraffic * plan.coverage;
  const worstDays = perDay === null ? null : Math.max(1, Math.ceil(Math.max(...arms.map((a) => a.n / a.share)) / perDay - 1e-9));
  return {
    metricName,
    interactionsPerUser: m,
    worstDesignEffect: m,
    worstPerVariant: Math.max(...arms.map((a) => a.n)),
    worstTotal,
    worstDays,
  };
}

/** The warning for counting interactions while users are assigned by a hash of their user_id, in the numbers of the requirement that sets the duration. */
function clusteringWarning(c: ClusteringView, requirement: { perVariant: number; days: number | null }): string {
  const days = (n: number) => `${int(n)} ${n === 1 ? "day" : "days"}`;
  const duration =
    c.worstDays !== null && requirement.days !== null ? ` and ${days(c.worstDays)} instead of ${days(requirement.days)}` : "";
  return (
    `Users, not interactions, are assigned to variants (by a hash of user_id), and each user makes about ${fmt(c.interactionsPerUser)} interactions. ` +
    `One user's interactions are alike, so counting interactions overstates power: the design effect 1 + (m − 1)·ρ (m interactions per user, ρ how alike they are) ` +
    `means the test may need up to ${fmt(c.worstDesignEffect)}× the sample: ${c.metricName}, which sets the duration, up to ${int(c.worstPerVariant)} interactions per variant instead of ${int(requirement.perVariant)}` +
    `${duration}. Count users to be safe.`
  );
}

/**
 * The plan for a design: planSampleSize on the planned metric over the arms the weights make, every other mean or
 * proportion metric's requirement (guardrails with a margin as one-sided non-inferiority), the one that sets the duration,
 * full-week advice and warnings; or an error saying what to fill in; or null when there is no goal metric to size.
 */
export function experimentPlanView(args: {
  metrics: MetricInput[];
  settings: Partial<PlanSettings> | null;
  variants: PlanVariant[];
  coverage?: number;
  /** The control's history per metric name (only the metrics that need it). */
  histories?: Record<string, BaselineHistory | null | undefined>;
}): ExperimentPlanView | null {
  const metric = plannedMetric(args.metrics, args.settings);
  if (metric === null || "error" in metric) return metric;
  if (metric.kind === "QUANTILE")
    return { error: "Quantile metrics are not sized by this planner; pick a mean or proportion goal metric." };
  const split = planArms(args.variants);
  if ("error" in split) return split;
  const { arms, excluded } = split;
  const weights = arms.map((v) => v.weight);
  const coverage = args.coverage ?? PLAN_DEFAULTS.coverage;
  const settings = args.settings;
  const unit: PlanUnit = settings?.unit ?? "interactions";
  const histories = args.histories ?? {};

  // The sized metric is planned for its MDE (two-sided) whatever its role, as the plan settings ask.
  const sizing = sizingOf(metric, settings, weights, coverage, histories[metric.name], { guardrailTest: false });
  if ("reason" in sizing) return { error: sizing.reason };
  const sized = trySize(metric, sizing.input);
  if ("reason" in sized) return { error: sized.reason };
  const plan = sized.plan;

  const requirements: MetricRequirement[] = [];
  const requirementOf = (m: MetricInput, s: Sizing, p: Plan): MetricRequirement => ({
    metricName: m.name,
    role: m.role,
    sized: true,
    test: s.test,
    effect: s.input.mde,
    absolute: m.mdeAbsolute,
    baseline: s.baseline,
    ...(s.sd !== undefined ? { sd: s.sd } : {}),
    ...(s.history ? { history: s.history } : {}),
    effectSize: p.effectSize,
    perVariant: p.perVariant,
    arms: armViews(arms, p),
    total: p.total,
    days: p.days,
  });
  requirements.push(requirementOf(metric, sizing, plan));
  // Each sized requirement's own plan, for the numbers of the one that sets the duration.
  const plans = new Map<string, Plan>([[metric.name, plan]]);
  for (const other of args.metrics) {
    if (other === metric) continue;
    const s = sizingOf(other, settings, weights, coverage, histories[other.name]);
    if ("reason" in s) {
      requirements.push({
        metricName: other.name,
        role: other.role,
        sized: false,
        reason: s.reason,
        ...(s.missing ? { missing: s.missing } : {}),
      });
      continue;
    }
    const r = trySize(other, s.input);
    if ("plan" in r) plans.set(other.name, r.plan);
    requirements.push(
      "reason" in r ? { metricName: other.name, role: other.role, sized: false, reason: r.reason } : requirementOf(other, s, r.plan),
    );
  }
  const largest = requirements.reduce<Extract<MetricRequirement, { sized: true }> | null>((best, r) => {
    if (!r.sized) return best;
    if (!best) return r;
    if (r.days !== null && best.days !== null && r.days !== best.days) return r.days > best.days ? r : best;
    return r.total > best.total ? r : best;
  }, null)!;

  const warnings: string[] = args.metrics.flatMap((m) => baselineScaleWarning(m) ?? []);
  let clustering: ClusteringView | undefined;
  const m = settings?.interactionsPerUser;
  if (unit === "interactions" && m !== undefined && m > 1) {
    clustering = clusteringOf(largest.metricName, plans.get(largest.metricName)!, m);
    warnings.push(clusteringWarning(clustering, largest));
  }

  return {
    metricName: metric.name,
    metricKind: metric.kind,
    baseline: sizing.baseline,
    baselineSource: sizing.source,
    ...(sizing.history ? { history: sizing.history } : {}),
    ...(sizing.sd !== undefined ? { sd: sizing.sd } : {}),
    mde: sizing.input.mde,
    mdeAbsolute: metric.mdeAbsolute,
    alpha: plan.alpha,
    power: plan.power,
    variants: plan.variants,
    arms: armViews(arms, plan),
    excludedVariants: excluded,
    unequalSplit: plan.unequalSplit,
    ...(plan.dailyTraffic !== null ? { dailyTraffic: plan.dailyTraffic } : {}),
    unit,
    ...(m !== undefined ? { interactionsPerUser: m } : {}),
    ...(clustering ? { clustering } : {}),
    effectSize: plan.effectSize,
    nExact: plan.nExact,
    perVariant: plan.perVariant,
    total: plan.total,
    days: plan.days,
    explanation: explain(metric, sizing.input, plan, arms, unit),
    method: methodSources(sizing.input, plan),
    requirements,
    duration: {
      metricName: largest.metricName,
      perVariant: largest.perVariant,
      arms: largest.arms,
      total: largest.total,
      days: largest.days,
      fullWeekDays: largest.days === null ? null : fullWeekDays(largest.days),
    },
    advice: durationAdvice(largest.days),
    warnings,
  };
}

/** A problem the planner found with a design's numbers, at the design's own field path (metrics.0.mde, plan.alpha). */
export type DesignPlanIssue = { field: string; message: string };

/** The design field each planner input comes from, for the metric at `index` sized with `test`. */
function designFieldOf(field: PlanField, index: number, test: PlanTest): { path: string; name: string } {
  const metricField = (name: string) => ({ path: `metrics.${index}.${name}`, name });
  switch (field) {
    case "baseline":
      return metricField("baseline");
    case "sd":
      return metricField("baselineSd");
    case "mde":
    case "mdeAbsolute":
      return metricField(test === "non-inferiority" ? "nonInferiorityMargin" : "mde");
    case "metric":
      return metricField("kind");
    case "alpha":
    case "power":
    case "dailyTraffic":
    case "correction":
    case "effectSize":
      return { path: `plan.${field}`, name: `plan.${field}` };
    case "coverage":
      return { path: "coverage", name: "coverage" };
    default:
      return { path: "variants", name: "variants" };
  }
}

/**
 * What the planner cannot size in a design, asked of the planner itself (planInputProblems): every mean or proportion
 * metric with its typed numbers, under the plan settings and the arms the weights make. Baselines still to come from
 * the logs are not problems. Empty when every typed number can be planned.
 */
export function designPlanIssues(design: {
  metrics: MetricInput[];
  settings: Partial<PlanSettings> | null;
  variants: PlanVariant[];
  coverage?: number;
}): DesignPlanIssue[] {
  const split = planArms(design.variants);
  // Weight rules have their own validation; with no usable arms, check the numbers over an equal split.
  const weights = "error" in split ? [1, 1] : split.arms.map((v) => v.weight);
  const coverage = design.coverage ?? PLAN_DEFAULTS.coverage;
  const out: DesignPlanIssue[] = [];
  const seen = new Set<string>();
  const report = (problems: PlanInputProblem[], index: number, test: PlanTest) => {
    for (const p of problems) {
      const { path, name } = designFieldOf(p.field, index, test);
      if (seen.has(path)) continue;
      seen.add(path);
      out.push({ field: path, message: `${name} ${p.problem}` });
    }
  };
  design.metrics.forEach((metric, index) => {
    if (metric.kind === "QUANTILE" || metric.baseline === undefined || (metric.kind === "MEAN" && metric.baselineSd === undefined)) return;
    for (const guardrailTest of metric.role === "GUARDRAIL" ? [false, true] : [false]) {
      const s = sizingOf(metric, design.settings, weights, coverage, null, { guardrailTest });
      if ("reason" in s) continue;
      report(planInputProblems(s.input), index, s.test);
    }
  });
  // Alpha and power can be unusable with no metric to size yet: check them on a plan that is always sizeable.
  const probe: PlanInput = {
    metric: "proportion",
    baseline: 0.5,
    mde: 0.1,
    alpha: design.settings?.alpha ?? PLAN_DEFAULTS.alpha,
    power: design.settings?.power ?? PLAN_DEFAULTS.power,
    weights,
    correction: design.settings?.correction ?? PLAN_DEFAULTS.correction,
  };
  report(
    planInputProblems(probe).filter((p) => p.field === "alpha" || p.field === "power"),
    -1,
    "two-sided",
  );
  return out;
}
