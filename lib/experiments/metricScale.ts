// Scores on a scale (a judge's 1-5) can be read two ways, and the reading changes the sample size: the mean score on
// its scale (sized with its own standard deviation), or the normalised score, score / max, as a rate, as the guide's
// plan_ab_test does ("the baseline helpfulness is 3.8/5.0, which we normalize to 76%"). Pure.
import type { MetricInput } from "@/lib/validation/experiments";

export type MetricScale = NonNullable<MetricInput["scale"]>;
type Scaled = Pick<MetricInput, "name" | "kind" | "baseline" | "scale">;

const show = (x: number) => String(Number(x.toPrecision(6)));

/** "1–5". */
export const scaleText = (s: MetricScale) => `${show(s.min)}–${show(s.max)}`;

/** True when the metric reads a score on a scale as the normalised score (score / max, a rate in 0–1). */
export function isNormalisedScore(m: Pick<MetricInput, "kind" | "scale">): boolean {
  return m.kind === "PROPORTION" && m.scale !== undefined;
}

/** The control's history on the metric's own reading: a normalised score divides the scores' mean and sd by the scale's max. */
export function historyOnReading<H extends { mean: number | null; sd: number | null }>(m: Pick<MetricInput, "kind" | "scale">, h: H): H {
  if (!isNormalisedScore(m)) return h;
  const max = m.scale!.max;
  return { ...h, mean: h.mean === null ? null : h.mean / max, sd: h.sd === null ? null : h.sd / max };
}

/** A warning when a mean score's baseline lies outside its scale (0.76 typed for a 1–5 score), naming the reading it probably meant. */
export function baselineScaleWarning(m: Scaled, baseline = m.baseline): string | null {
  if (m.kind !== "MEAN" || !m.scale || baseline === undefined || !Number.isFinite(baseline)) return null;
  const { min, max } = m.scale;
  if (baseline >= min && baseline <= max) return null;
  const normalised =
    baseline > 0 && baseline < 1
      ? ` If ${show(baseline)} is the normalised score (${show(baseline * max)} of ${show(max)}), read ${m.name} as the normalised score; as a mean it needs a baseline on the ${scaleText(m.scale)} scale, e.g. ${show(baseline * max)}.`
      : "";
  return `The baseline ${show(baseline)} of ${m.name} is outside its ${scaleText(m.scale)} scale, so its plan is wrong.${normalised}`;
}

/**
 * The metric read the other way, with its baseline converted: to the normalised score (PROPORTION, baseline / max, no sd) or
 * to the mean score (MEAN, baseline × max, the sd left for the PM to give: a score's spread is not implied by its mean).
 */
export function withReading<M extends Pick<MetricInput, "kind" | "scale" | "baseline" | "baselineSd">>(
  m: M,
  kind: "MEAN" | "PROPORTION",
): M {
  if (!m.scale || m.kind === kind || (m.kind !== "MEAN" && m.kind !== "PROPORTION")) return { ...m, kind };
  const max = m.scale.max;
  const baseline = m.baseline === undefined ? undefined : kind === "PROPORTION" ? m.baseline / max : m.baseline * max;
  // A mean score's baseline typed as the normalised score (0.76 on 1–5) is already the normalised one: keep it.
  const converted = kind === "PROPORTION" && m.baseline !== undefined && m.baseline > 0 && m.baseline < 1 ? m.baseline : baseline;
  const out = { ...m, kind, baseline: converted === undefined ? undefined : Number(converted.toPrecision(12)) };
  if (kind === "PROPORTION") delete out.baselineSd;
  return out;
}
