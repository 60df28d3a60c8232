// A/A simulations of an experiment's own design (the page /experiments/{key}/aa and POST /api/v1/experiments/{key}/aa):
// the plan's goal metric, sample, baseline and alpha through lib/stats/aa's simulateAaTests, the code behind `assay aa`.
import { AppError } from "@/lib/errors";
import { getExperimentDetail } from "@/lib/experiments/service";
import { simulateAaTests, type AaResult } from "@/lib/stats/aa";
import type { DesignAaRequest } from "@/lib/validation/aa";
import { DESIGN_AA_MAX_DRAWS } from "./limits";
import { fieldIssuesError } from "@/lib/validation/issues";
import { aaDesignOf, type AaDesign } from "./design";

export type { AaDesign } from "./design";

export type DesignAaResult = AaResult & {
  seed: number;
  /** The planted difference in the metric's own units, or null for none. */
  effect: number | null;
  design: AaDesign;
};

/** The A/A design of the experiment with this key, or why it cannot be simulated. */
export async function experimentAaDesign(key: string): Promise<AaDesign | { reason: string }> {
  const e = await getExperimentDetail(key);
  return aaDesignOf(e.plan, e.sequential);
}

/** Simulates `request.tests` A/A tests (and A/B tests with the planted effect) of the experiment's design. */
export async function simulateDesignAa(key: string, request: DesignAaRequest): Promise<DesignAaResult> {
  const design = await experimentAaDesign(key);
  if ("reason" in design) throw new AppError("CONFLICT", design.reason);
  const effect = request.effect === undefined ? design.mde : request.effect;
  const issues: { field: string; message: string }[] = [];
  if (request.peeks > design.perVariant / 2)
    issues.push({ field: "peeks", message: `peeks must be at most ${Math.floor(design.perVariant / 2)} for this design's sample` });
  if (effect !== null && design.kind === "proportion" && !(design.baseline + effect >= 0 && design.baseline + effect <= 1))
    issues.push({
      field: "effect",
      message: `effect must keep the treatment's rate within 0 and 1 (baseline ${design.baseline} + effect ${effect})`,
    });
  if (effect !== null && design.kind === "mean" && design.sd === null)
    issues.push({ field: "effect", message: "the design's metric has no standard deviation to plant an effect against" });
  const draws = request.tests * design.perVariant * 2 * (effect === null ? 1 : 2);
  if (draws > DESIGN_AA_MAX_DRAWS) {
    const most = Math.floor(DESIGN_AA_MAX_DRAWS / (design.perVariant * 2 * (effect === null ? 1 : 2)));
    issues.push({
      field: "tests",
      message: `tests must be at most ${most.toLocaleString("en-US")} for this design (${design.perVariant.toLocaleString("en-US")} per variant), to answer within a few seconds`,
    });
  }
  if (issues.length) throw fieldIssuesError(issues);
  const sd = design.sd ?? 1;
  const result = simulateAaTests({
    tests: request.tests,
    perVariant: design.perVariant,
    metric: design.kind,
    peeks: request.peeks,
    sequential: request.sequential,
    seed: request.seed,
    // simulateAaTests plants a mean's effect in standard deviations.
    effect: effect === null ? null : design.kind === "mean" ? effect / sd : effect,
    alpha: design.alpha,
    baseline: design.baseline,
    sd,
  });
  return { ...result, seed: request.seed, effect, design };
}
