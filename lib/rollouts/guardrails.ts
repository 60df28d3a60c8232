// The ramp's automatic check, as a pure function of the results engine's output: for each guardrail metric and each
// treatment, is it worse than the scorecard's non-inferiority margin with confidence? And has the step run for its
// minimum time with its minimum sample? Advance when both minimums pass and nothing is breached; roll back when a
// guardrail is breached with confidence; otherwise wait. "With confidence" means the whole interval of the change lies
// past the margin on the bad side; the check runs again and again, so the intervals must be the results' peeking-safe
// confidence sequences (sequential mode; lib/stats sequential), not fixed-horizon intervals.
import type { ExperimentResults, MetricResult } from "@/lib/results/types";
import type { Comparison } from "@/lib/stats/compare.types";
import { PLAN_DEFAULTS } from "@/lib/stats/power";
import { confidenceSequenceHalfwidth, sequentialTuning } from "@/lib/stats/sequential";
import type { RampStep } from "./ramp";

/** The error rate is always watched, scorecard or not: a treatment may fail at most 1 percentage point more often. */
export const ERROR_RATE_MARGIN = 0.01;
/** Interactions each side needs before its error rate is compared. */
const ERROR_RATE_MIN = 30;
const z975 = 1.959963984540054;

export interface GuardrailReading {
  metric: string;
  variant: string;
  /** The change's interval on the margin's scale: relative (a share of the control) or absolute. */
  interval: [number, number];
  scale: "relative" | "absolute";
  /** The worst change still acceptable, signed toward worse (+10% for a latency, -0.1 for a score); 0 without a margin. */
  limit: number;
  breached: boolean;
  /** In words, with the numbers. */
  sentence: string;
}

export interface RampCheck {
  action: "advance" | "wait" | "rollback";
  reason: string;
  readings: GuardrailReading[];
}

const fmt = (x: number, scale: "relative" | "absolute") =>
  scale === "relative" ? `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%` : `${x >= 0 ? "+" : ""}${Number(x.toPrecision(3))}`;

/** One guardrail's reading for one treatment (null when the comparison has no interval yet). */
export function guardrailReading(m: MetricResult, c: Comparison): GuardrailReading | null {
  const relative = !m.marginAbsolute && c.relCi95 !== null;
  const interval = relative ? c.relCi95 : c.ci95;
  if (!interval || c.note) return null;
  const worseUp = m.direction === "DECREASE"; // lower is better: worse is up
  const margin = m.margin ?? 0;
  const limit = worseUp ? Math.abs(margin) : -Math.abs(margin);
  const breached = worseUp ? interval[0] > limit : interval[1] < limit;
  const scale = relative ? "relative" : "absolute";
  const label = m.kind === "QUANTILE" && m.quantile ? `P${Math.round(m.quantile * 100)} ${m.metric}` : m.metric;
  const sentence = `${label} of ${c.variant}: ${fmt(interval[0], scale)} to ${fmt(interval[1], scale)} against the control (limit ${fmt(limit, scale)})${breached ? ", worse than the limit" : ""}`;
  return { metric: m.metric, variant: c.variant, interval: [interval[0], interval[1]], scale, limit, breached, sentence };
}

/**
 * The error rate of each treatment against the control (upstream failures per interaction, from the results' totals),
 * with the peeking-safe interval of the difference when the results are sequential (nStar from the plan), else the 95%
 * normal interval; breached when the whole interval is over ERROR_RATE_MARGIN. Null for a pair with too little data or
 * no failures on either side.
 */
export function errorRateReadings(results: ExperimentResults): GuardrailReading[] {
  const control = results.variants.find((v) => v.isControl) ?? results.variants.find((v) => v.variant === results.control);
  if (!control || control.errorRate === null || control.interactions < ERROR_RATE_MIN) return [];
  const nStar = results.sample?.plannedPerVariant ?? null;
  const points = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(2)} points`;
  return results.variants.flatMap((t) => {
    if (
      t.variant === control.variant ||
      t.errorRate === null ||
      t.interactions < ERROR_RATE_MIN ||
      (t.weight === 0 && t.interactions === 0)
    )
      return [];
    const pc = control.errorRate!;
    const pt = t.errorRate;
    const se = Math.sqrt((pt * (1 - pt)) / t.interactions + (pc * (1 - pc)) / control.interactions);
    if (!(se > 0)) return [];
    const n = t.interactions + control.interactions;
    const alpha = results.alpha ?? PLAN_DEFAULTS.alpha;
    const hw = results.sequential && nStar ? confidenceSequenceHalfwidth(se, n, sequentialTuning(nStar), alpha) : z975 * se;
    const interval: [number, number] = [pt - pc - hw, pt - pc + hw];
    const breached = interval[0] > ERROR_RATE_MARGIN;
    const sentence = `error rate of ${t.variant}: ${points(interval[0])} to ${points(interval[1])} against the control (limit ${points(ERROR_RATE_MARGIN)})${breached ? ", worse than the limit" : ""}`;
    return [
      { metric: "error rate", variant: t.variant, interval, scale: "absolute" as const, limit: ERROR_RATE_MARGIN, breached, sentence },
    ];
  });
}

/** What the ramp should do now at its current step. */
export function rampCheck(results: ExperimentResults, step: RampStep, stepStartedAt: Date | null, now: Date): RampCheck {
  const readings = results.metrics
    .filter((m) => m.role === "GUARDRAIL")
    .flatMap((m) => m.comparisons.map((c) => guardrailReading(m, c)).filter((r): r is GuardrailReading => r !== null))
    .concat(errorRateReadings(results));
  const breached = readings.filter((r) => r.breached);
  if (breached.length) return { action: "rollback", reason: `guardrail breached: ${breached.map((b) => b.sentence).join("; ")}`, readings };
  const hours = stepStartedAt ? (now.getTime() - stepStartedAt.getTime()) / 3_600_000 : 0;
  if (hours < step.minHours)
    return { action: "wait", reason: `the step has run ${hours.toFixed(1)} of its ${step.minHours} hours`, readings };
  const short = results.variants.filter((v) => v.interactions < step.minSample);
  if (short.length)
    return {
      action: "wait",
      reason: `under-sampled: ${short.map((v) => `${v.variant} has ${v.interactions.toLocaleString("en-US")}`).join(", ")} of the ${step.minSample.toLocaleString("en-US")} interactions each variant needs`,
      readings,
    };
  return {
    action: "advance",
    reason: `the step ran ${hours.toFixed(1)} h with at least ${step.minSample.toLocaleString("en-US")} interactions per variant, and no guardrail is worse than its limit${readings.length ? ` (${readings.map((r) => r.sentence).join("; ")})` : ""}`,
    readings,
  };
}
