// The hypothesis: its three parts, the sentence they make, and whether the effect it states is the effect the test is sized for.
import type { MetricInput } from "@/lib/validation/experiments";
import { hasWords } from "@/lib/validation/text";
import { plannedMetric, type PlanSettings } from "./plan";

/** The three parts of a hypothesis, as the guide writes it: "If we change [variable], we expect [outcome] because [reasoning]." */
export interface Hypothesis {
  change: string;
  expectation: string;
  reason: string;
}

/** The parts in the order they are written, with the words the form labels them by. */
export const HYPOTHESIS_PARTS: { part: keyof Hypothesis; label: string; what: string }[] = [
  { part: "change", label: "If we change …", what: "what you change" },
  { part: "expectation", label: "we expect …", what: "what you expect to happen" },
  { part: "reason", label: "because …", what: "why you expect it" },
];

/** The parts left empty or without a word (blank, punctuation or invisible characters only), in writing order. */
export function missingHypothesisParts(h: Hypothesis): (keyof Hypothesis)[] {
  return HYPOTHESIS_PARTS.filter(({ part }) => !hasWords(h[part] ?? "")).map(({ part }) => part);
}

const MISSING = "…";

/** Strips a lead-in the writer already typed ("If we change", "we expect", "because") and trailing punctuation, so the sentence does not repeat it. */
function clause(text: string, leadIn: RegExp): string {
  const cleaned = text
    .trim()
    .replace(leadIn, "")
    .trim()
    .replace(/[.,;:\s]+$/, "");
  return hasWords(cleaned) ? cleaned : MISSING;
}

/** "If we change X, we expect Y, because Z." (the guide's hypothesis template); empty when no part is written, "…" for a missing part. */
export function hypothesisSentence(h: Hypothesis): string {
  if (!hasWords(h.change) && !hasWords(h.expectation) && !hasWords(h.reason)) return "";
  const change = clause(h.change, /^if\s+we\s+change\s+/i);
  const expectation = clause(h.expectation, /^(then\s+)?we\s+expect\s+/i);
  const reason = clause(h.reason, /^because\s+/i);
  return `If we change ${change}, we expect ${expectation}, because ${reason}.`;
}

/** A size of effect written in the expectation: "5%", "5 percent", "2 percentage points", "2 pp", "0.2 points", or a bare number after "by". */
export interface StatedEffect {
  value: number;
  unit: "percent" | "percentage-points" | "points" | "plain";
  /** The words as written, and where they are in the expectation. */
  text: string;
  index: number;
}

const NUMBER = String.raw`(\d+(?:\.\d+)?)`;
const UNIT = String.raw`(\s*%|\s*(?:percent|per\s+cent|percentage\s+points?|pp|points?)\b)`;
const WITH_UNIT = new RegExp(String.raw`(?<![\w.])${NUMBER}${UNIT}`, "gi");
const AFTER_BY = new RegExp(
  String.raw`\bby\s+(?:at\s+least\s+|about\s+|around\s+|roughly\s+|some\s+|~\s*)?${NUMBER}(?![\d.,]|\s*(?:%|percent|per\s+cent|percentage|pp\b|points?\b))`,
  "gi",
);

function unitOf(words: string): StatedEffect["unit"] {
  const unit = words.trim().toLowerCase().replace(/\s+/g, " ");
  if (unit === "pp" || unit.startsWith("percentage")) return "percentage-points";
  if (unit === "%" || unit === "percent" || unit === "per cent") return "percent";
  return "points";
}

/** Every effect size the expectation states, in reading order. */
export function statedEffects(expectation: string): StatedEffect[] {
  const out: StatedEffect[] = [];
  for (const m of expectation.matchAll(WITH_UNIT)) {
    out.push({ value: Number(m[1]), unit: unitOf(m[2]), text: m[0], index: m.index });
  }
  for (const m of expectation.matchAll(AFTER_BY)) {
    const at = m.index + m[0].length - m[1].length;
    out.push({ value: Number(m[1]), unit: "plain", text: m[1], index: at });
  }
  return out.sort((a, b) => a.index - b.index);
}

const tidy = (x: number) => Number(x.toPrecision(12));
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

/** The MDE in the words a hypothesis would use: "5%" (relative), "2 percentage points" (absolute, proportion), "0.2" (absolute, mean). */
export function mdeWords(metric: Pick<MetricInput, "mde" | "mdeAbsolute" | "kind">): string {
  const size = Math.abs(metric.mde);
  if (!metric.mdeAbsolute) return `${tidy(size * 100)}%`;
  if (metric.kind === "PROPORTION") return `${tidy(size * 100)} percentage points`;
  return String(tidy(size));
}

/** True when a stated effect is the metric's MDE, in the same kind of unit (a relative MDE is a percentage). */
function statesMde(effect: StatedEffect, metric: Pick<MetricInput, "mde" | "mdeAbsolute" | "kind">): boolean {
  const size = Math.abs(metric.mde);
  if (!metric.mdeAbsolute) return effect.unit === "percent" && close(effect.value, tidy(size * 100));
  if (metric.kind === "PROPORTION")
    return (
      ((effect.unit === "percentage-points" || effect.unit === "points") && close(effect.value, tidy(size * 100))) ||
      (effect.unit === "plain" && close(effect.value, size))
    );
  return (effect.unit === "points" || effect.unit === "plain") && close(effect.value, size);
}

/** The MDE a stated effect would mean for this metric: a percentage is relative, points of a proportion are hundredths. */
export function mdeOfStatedEffect(effect: StatedEffect, metric: Pick<MetricInput, "kind">): { mde: number; mdeAbsolute: boolean } {
  if (effect.unit === "percent") return { mde: tidy(effect.value / 100), mdeAbsolute: false };
  if (metric.kind === "PROPORTION" && effect.unit !== "plain") return { mde: tidy(effect.value / 100), mdeAbsolute: true };
  return { mde: effect.value, mdeAbsolute: true };
}

/** How the expectation's stated effect compares with the MDE of the goal metric the test is sized on. */
export type HypothesisEffect = {
  metricName: string;
  metricKind: MetricInput["kind"];
  /** "a 5% rise in Helpfulness". */
  sized: string;
  /** The MDE as the expectation would write it ("5%"). */
  mdeText: string;
} & (
  | { status: "agrees"; stated: StatedEffect }
  | { status: "unstated" }
  /** smaller: the test cannot reliably see the effect the hypothesis expects; larger: it is sized for less than expected. */
  | { status: "differs"; stated: StatedEffect; relation: "smaller" | "larger" | "other-unit" }
);

/** The goal metric a hypothesis is about: the one the plan sizes when that is a goal metric, else the first goal metric. */
export function hypothesisMetric<M extends MetricInput>(metrics: M[], settings: Partial<PlanSettings> | null): M | null {
  const planned = plannedMetric(metrics, settings);
  if (planned && !("error" in planned) && planned.role === "GOAL") return planned;
  return metrics.find((m) => m.role === "GOAL") ?? null;
}

/** The expectation's effect against the goal metric's MDE; null without a goal metric or an expectation. Agrees when any stated size is the MDE. */
export function hypothesisEffect(
  expectation: string,
  metrics: MetricInput[],
  settings: Partial<PlanSettings> | null,
): HypothesisEffect | null {
  const metric = hypothesisMetric(metrics, settings);
  if (!expectation.trim()) return null;
  if (!metric || !Number.isFinite(metric.mde) || metric.mde === 0) return null;
  const mdeText = mdeWords(metric);
  const movement = metric.direction === "DECREASE" ? "fall" : "rise";
  const sized = metric.mdeAbsolute ? `a ${movement} of ${mdeText} in ${metric.name}` : `a ${mdeText} ${movement} in ${metric.name}`;
  const base = { metricName: metric.name, metricKind: metric.kind, sized, mdeText };
  const stated = statedEffects(expectation);
  if (stated.length === 0) return { ...base, status: "unstated" };
  const match = stated.find((e) => statesMde(e, metric));
  if (match) return { ...base, status: "agrees", stated: match };
  const first = stated[0];
  const meant = mdeOfStatedEffect(first, metric);
  const relation =
    meant.mdeAbsolute !== metric.mdeAbsolute ? "other-unit" : Math.abs(meant.mde) < Math.abs(metric.mde) ? "smaller" : "larger";
  return { ...base, status: "differs", stated: first, relation };
}

/** One sentence for the PM about the stated effect and the MDE (shown by the hypothesis, in the start dialog and to reviewers). */
export function hypothesisEffectMessage(effect: HypothesisEffect): string {
  switch (effect.status) {
    case "agrees":
      return `The test is sized to detect ${effect.sized} (its MDE), the effect the hypothesis expects.`;
    case "unstated":
      return `The test is sized to detect ${effect.sized} (its MDE); the expectation does not say how much, e.g. “by at least ${effect.mdeText}”.`;
    case "differs":
      if (effect.relation === "smaller")
        return `The hypothesis expects ${effect.stated.text.trim()}, but the test is sized to detect ${effect.sized} (its MDE): an effect as small as the one expected could be missed. Make them agree.`;
      if (effect.relation === "larger")
        return `The hypothesis expects ${effect.stated.text.trim()}, but the test is sized to detect ${effect.sized} (its MDE), a smaller effect than expected. Make them agree.`;
      return `The hypothesis expects ${effect.stated.text.trim()}, but the test is sized to detect ${effect.sized} (its MDE, ${effect.mdeText}). Make them agree.`;
  }
}

/** The expectation rewritten to state the MDE: the first stated size replaced, or "by at least <MDE>" added when none is stated. */
export function expectationWithMde(expectation: string, effect: HypothesisEffect): string {
  if (effect.status === "agrees") return expectation;
  if (effect.status === "differs") {
    const { index, text } = effect.stated;
    const lead = text.match(/^\s*/)![0];
    return `${expectation.slice(0, index)}${lead}${effect.mdeText}${expectation.slice(index + text.length)}`;
  }
  const trimmed = expectation.replace(/[.,;:\s]+$/, "");
  return `${trimmed}${trimmed ? " " : ""}by at least ${effect.mdeText}`;
}
