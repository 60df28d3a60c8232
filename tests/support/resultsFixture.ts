// ExperimentResults values built by hand for the decision matrix's tests (unit) and pages: the guide's decision matrix
// (seeds/001: A control 4.1 / 950 ms / 4.8 / $0.80; B 4.5 / 1,100 ms / 4.9 / $0.95; C 4.7 / 1,800 ms / 4.9 / $2.50;
// D 4.6 / 1,050 ms / 4.7 / $1.20), with the significance each cell needs stated where it is built.
import type { Comparison, ExperimentResults, MetricResult } from "@/lib/results/types";

export interface Effect {
  /** Significant after correction. */
  sig: boolean;
  /** The relative change's interval; the absolute one is it x the control's value. */
  relCi: [number, number];
  nonInferiority?: Comparison["nonInferiority"];
}

/** One comparison of a treatment value against the control's, with the interval and significance given. */
export function comparison(variant: string, value: number, control: number, effect: Effect): Comparison {
  const diff = value - control;
  return {
    variant,
    diff,
    relLift: control !== 0 ? diff / control : null,
    ci95: [effect.relCi[0] * control, effect.relCi[1] * control],
    relCi95: effect.relCi,
    statistic: 0,
    df: null,
    pValue: effect.sig ? 0.001 : 0.4,
    pAdjusted: effect.sig ? 0.002 : 0.6,
    mannWhitney: null,
    nonInferiority: effect.nonInferiority ?? null,
    varianceReduction: null,
    bayes: null,
    significant: effect.sig,
  };
}

export interface MetricSpec {
  metric: string;
  role?: "GOAL" | "GUARDRAIL";
  kind?: "MEAN" | "PROPORTION" | "QUANTILE";
  field: string;
  direction?: "INCREASE" | "DECREASE";
  margin?: number | null;
  marginAbsolute?: boolean;
  /** Per variant: the value shown (the mean, or the P95 of a QUANTILE metric). */
  values: Record<string, number>;
  /** Per treatment: its effect; a treatment left out has no comparison (too little data). */
  effects: Record<string, Effect>;
  n?: number;
}

export function metric(spec: MetricSpec, control = "A"): MetricResult {
  const kind = spec.kind ?? "MEAN";
  return {
    metric: spec.metric,
    role: spec.role ?? "GOAL",
    kind,
    field: spec.field,
    direction: spec.direction ?? "INCREASE",
    quantile: kind === "QUANTILE" ? 0.95 : null,
    mde: 0.05,
    mdeAbsolute: false,
    margin: spec.margin ?? null,
    marginAbsolute: spec.marginAbsolute ?? false,
    variants: Object.entries(spec.values).map(([variant, v]) => ({
      variant,
      n: spec.n ?? 2000,
      mean: kind === "QUANTILE" ? v * 0.6 : v,
      sd: 1,
      p50: kind === "QUANTILE" ? v * 0.55 : null,
      p95: kind === "QUANTILE" ? v : v * 1.6,
      p99: kind === "QUANTILE" ? v * 1.2 : null,
    })),
    comparisons: Object.entries(spec.effects).map(([variant, e]) => comparison(variant, spec.values[variant], spec.values[control], e)),
  };
}

export function results(
  over: Partial<ExperimentResults> & { metrics: MetricResult[]; costs?: Record<string, number | null> },
): ExperimentResults {
  const costs = over.costs ?? {};
  const keys = [...new Set(over.metrics.flatMap((m) => m.variants.map((v) => v.variant)))];
  const { costs: _costs, ...rest } = over;
  return {
    experiment: "guide-matrix",
    control: "A",
    status: "STOPPED",
    computedAt: "2026-12-03T10:00:00.000Z",
    alpha: 0.05,
    correction: "holm",
    sequential: false,
    variants: keys.map((variant) => ({
      variant,
      name: `Variant ${variant}`,
      isControl: variant === "A",
      weight: 1 / keys.length,
      interactions: 2000,
      users: 1900,
      errorRate: 0,
      costPer1k: variant in costs ? costs[variant] : null,
    })),
    srm: { chi2: 1.2, df: keys.length - 1, pValue: 0.75, flag: false },
    sample: { plannedPerVariant: 1872, currentPerVariant: 1900, fraction: 1, eta: null },
    timeline: { bucket: "day", metrics: [] },
    ...rest,
  };
}

const sig = (relCi: [number, number]): Effect => ({ sig: true, relCi });
const flat = (relCi: [number, number]): Effect => ({ sig: false, relCi });

/** The guide's matrix: helpfulness (judge, 1-5), P95 latency (margin +20%), the judge's safety score, and cost per 1k. */
export function guideResults(over: Partial<ExperimentResults> = {}): ExperimentResults {
  return results({
    metrics: [
      metric({
        metric: "Helpfulness",
        field: "helpfulness",
        values: { A: 4.1, B: 4.5, C: 4.7, D: 4.6 },
        effects: { B: sig([0.05, 0.145]), C: sig([0.1, 0.19]), D: sig([0.08, 0.164]) },
      }),
      metric({
        metric: "Latency P95",
        role: "GUARDRAIL",
        kind: "QUANTILE",
        field: "latency_ms",
        direction: "DECREASE",
        margin: 0.2,
        values: { A: 950, B: 1100, C: 1800, D: 1050 },
        // B +15.8% and D +10.5%: significantly slower, but the interval stays within +20%; C +89% is far past it.
        effects: { B: sig([0.12, 0.195]), C: sig([0.8, 0.98]), D: sig([0.07, 0.14]) },
      }),
      metric({
        metric: "Safety score",
        role: "GUARDRAIL",
        field: "safety",
        values: { A: 4.8, B: 4.9, C: 4.9, D: 4.7 },
        // D's 4.8 -> 4.7 is the guide's "safety regression": significant here.
        effects: { B: flat([-0.005, 0.047]), C: flat([-0.005, 0.047]), D: sig([-0.035, -0.007]) },
      }),
    ],
    costs: { A: 0.8, B: 0.95, C: 2.5, D: 1.2 },
    ...over,
  });
}
