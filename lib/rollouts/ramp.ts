// Ramp plans: the steps a canary release climbs (the guide's 1-5% of traffic to the new variant, guardrails watched,
// then gradually more). A step sets the share of the experiment's new users that the treatment(s) get and/or the
// experiment's coverage; the worker (or a person) moves to the next step once the step's minimum time and sample have
// passed. Applying a step changes weights and coverage only, so issue 8's sticky assignment keeps every assigned user
// in their variant: a step adds users to a variant, it never moves one. Pure.
import { bucketRanges, type BucketRange } from "@/lib/assignment";
import type { FieldIssue } from "@/lib/validation/issues";

export interface RampStep {
  /** Percent of the experiment's new users the treatment(s) get (0-100), split among treatments by their designed weights. */
  treatmentPercent?: number;
  /** The experiment's coverage at this step (0-1): the share of all users who enter it at all. */
  coverage?: number;
  /** Least time at this step before it may advance (hours). */
  minHours: number;
  /** Least interactions per variant at this step before it may advance. */
  minSample: number;
}

export interface RampVariant {
  key: string;
  isControl: boolean;
  /** The designed weight (any positive scale): how treatments share the treatment percent. */
  weight: number;
}

export const RAMP_PRESETS = {
  /** The guide's canary: 1% -> 5% -> 25% -> 50% -> 100% of new users to the treatment. */
  canary: [1, 5, 25, 50, 100].map((p) => ({ treatmentPercent: p, minHours: p === 100 ? 0 : 24, minSample: p === 100 ? 0 : 500 })),
  /** A gentler start at the design's split: coverage 10% -> 25% -> 50% -> 100% of all users. */
  coverage: [0.1, 0.25, 0.5, 1].map((c) => ({ coverage: c, minHours: c === 1 ? 0 : 24, minSample: c === 1 ? 0 : 500 })),
} satisfies Record<string, RampStep[]>;
export type RampPreset = keyof typeof RAMP_PRESETS;

/** The weights (percent, summing to 100) a step gives the variants: the control 100 - p, the treatments p by design weight. */
export function stepWeights(variants: readonly RampVariant[], step: RampStep): Record<string, number> {
  const designed = Object.fromEntries(variants.map((v) => [v.key, v.weight]));
  if (step.treatmentPercent === undefined) return designed;
  const treatments = variants.filter((v) => !v.isControl);
  const total = treatments.reduce((s, v) => s + Math.max(0, v.weight), 0);
  const out: Record<string, number> = {};
  for (const v of variants) {
    if (v.isControl) out[v.key] = 100 - step.treatmentPercent;
    else out[v.key] = total > 0 ? (step.treatmentPercent * Math.max(0, v.weight)) / total : step.treatmentPercent / treatments.length;
  }
  return out;
}

/** Where a variant's share of the bucket numbers grew between two settings: the new users a step adds to it. */
export interface AddedRange {
  variant: string;
  /** Bucket numbers [from, to) that now go to this variant and did not before. */
  ranges: BucketRange[];
  /** The share of all new users they are. */
  share: number;
}

/** The bucket ranges each variant gains from `before` to `after` (weights in the variants' order, and coverage). */
export function addedRanges(
  keys: readonly string[],
  before: { weights: readonly number[]; coverage: number },
  after: { weights: readonly number[]; coverage: number },
): AddedRange[] {
  const b = bucketRanges(before.weights, before.coverage);
  const a = bucketRanges(after.weights, after.coverage);
  return keys.map((variant, i) => {
    // after[i] minus before[i]: at most two pieces (one each side).
    const [s1, e1] = a[i];
    const [s0, e0] = b[i];
    const pieces: BucketRange[] = [];
    if (e0 <= s0) pieces.push([s1, e1]);
    else {
      if (s1 < s0) pieces.push([s1, Math.min(e1, s0)]);
      if (e1 > e0) pieces.push([Math.max(s1, e0), e1]);
    }
    const ranges = pieces.filter(([s, e]) => e - s > 1e-12);
    return { variant, ranges, share: ranges.reduce((sum, [s, e]) => sum + (e - s), 0) };
  });
}

/** What is wrong with a plan, each problem naming its step and field; [] when it can run. */
export function rampPlanIssues(steps: readonly RampStep[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (steps.length < 1) issues.push({ field: "steps", message: "a ramp needs at least one step" });
  if (steps.length > 20) issues.push({ field: "steps", message: "a ramp has at most 20 steps" });
  steps.forEach((s, i) => {
    const at = `steps.${i}`;
    if (s.treatmentPercent === undefined && s.coverage === undefined)
      issues.push({ field: at, message: `step ${i + 1} sets neither treatmentPercent nor coverage` });
    const prev = steps[i - 1];
    if (prev && s.treatmentPercent !== undefined && prev.treatmentPercent !== undefined && s.treatmentPercent < prev.treatmentPercent)
      issues.push({
        field: `${at}.treatmentPercent`,
        message: `step ${i + 1} (${s.treatmentPercent}%) is below step ${i} (${prev.treatmentPercent}%): a ramp only goes up; roll back instead`,
      });
    if (prev && s.coverage !== undefined && prev.coverage !== undefined && s.coverage < prev.coverage)
      issues.push({ field: `${at}.coverage`, message: `step ${i + 1}'s coverage is below step ${i}'s: a ramp only goes up` });
  });
  return issues;
}
