// What an A/A simulation of a design uses, read from its sample-size plan: the goal metric's kind, baseline and
// standard deviation, the per-variant sample the experiment runs to, alpha, and the MDE as the effect to plant for
// power. Pure: the plan is computed by lib/experiments/plan.ts and passed in.
import type { ExperimentPlanView } from "@/lib/experiments/plan";
import { DESIGN_AA_MAX_DRAWS, DESIGN_AA_MAX_TESTS } from "./limits";

export interface AaDesign {
  /** The plan's sized metric. */
  metric: string;
  kind: "mean" | "proportion";
  /** The sample per variant the experiment runs to (the plan's duration; the results' sequential tests are tuned to it). */
  perVariant: number;
  /** The sized metric's own sample for its MDE at the planned power (at most perVariant). */
  sizedPerVariant: number;
  /** The control's mean (mean) or rate (proportion). */
  baseline: number;
  /** The metric's standard deviation (mean metrics; null for a rate). */
  sd: number | null;
  alpha: number;
  plannedPower: number;
  /** The MDE as a difference in the metric's own units, signed by its direction (the default planted effect). */
  mde: number;
  /** The arms are simulated equal in size; true when the design's split is not. */
  unequalSplit: boolean;
  /** The experiment's own setting: whether its results are read with sequential (peeking-safe) tests. */
  sequential: boolean;
  /** The most tests one request may simulate for this design (DESIGN_AA_MAX_DRAWS / values per test with an effect). */
  maxTests: number;
}

/** The A/A design of a plan, or why there is none (no plan yet, or a plan the planner could not size). */
export function aaDesignOf(plan: ExperimentPlanView | null, sequential: boolean): AaDesign | { reason: string } {
  if (plan === null) return { reason: "The design has no goal metric to size, so there is no plan to simulate. Add a goal metric." };
  if ("error" in plan) return { reason: `The design's plan cannot be sized yet: ${plan.error}` };
  const kind = plan.metricKind === "PROPORTION" ? "proportion" : "mean";
  const mde = plan.mdeAbsolute ? plan.mde : plan.mde * plan.baseline;
  const perVariant = Math.max(plan.duration.perVariant, plan.perVariant);
  const valuesPerTest = perVariant * 2 * 2;
  return {
    metric: plan.metricName,
    kind,
    perVariant,
    sizedPerVariant: plan.perVariant,
    baseline: plan.baseline,
    sd: kind === "mean" ? (plan.sd ?? null) : null,
    alpha: plan.alpha,
    plannedPower: plan.power,
    mde,
    unequalSplit: plan.unequalSplit,
    sequential,
    maxTests: Math.max(0, Math.min(DESIGN_AA_MAX_TESTS, Math.floor(DESIGN_AA_MAX_DRAWS / valuesPerTest))),
  };
}
