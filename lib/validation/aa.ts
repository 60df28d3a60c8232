// The one schema for an A/A simulation request (`assay aa`, and the page that shows it for a design).
import { z } from "zod";
import { AA_DEFAULTS } from "../stats/aa";
import { PLAN_DEFAULTS } from "../stats/power";
import { DESIGN_AA_DEFAULTS, DESIGN_AA_MAX_PEEKS, DESIGN_AA_MAX_TESTS } from "../aa/limits";

export { DESIGN_AA_DEFAULTS, DESIGN_AA_MAX_DRAWS, DESIGN_AA_MAX_PEEKS, DESIGN_AA_MAX_TESTS } from "../aa/limits";

/** At most this many simulated values (tests x per-variant x 2 arms, twice with an effect): about a second of work per 20 million. */
export const AA_MAX_DRAWS = 400_000_000;

const whole = (field: string, min: number, max: number) =>
  z
    .number({ error: `${field} must be a number` })
    .int(`${field} must be a whole number`)
    .min(min, `${field} must be at least ${min}`)
    .max(max, `${field} must be at most ${max.toLocaleString("en-US")}`);

export const aaInputSchema = z
  .strictObject({
    tests: whole("tests", 1, 1_000_000).default(AA_DEFAULTS.tests),
    perVariant: whole("perVariant", 2, 10_000_000),
    metric: z.enum(["mean", "proportion"], { error: 'metric must be "mean" or "proportion"' }),
    peeks: whole("peeks", 1, 1000).default(AA_DEFAULTS.peeks),
    sequential: z.boolean({ error: "sequential must be true or false" }).default(false),
    seed: whole("seed", 0, 4_294_967_295).default(AA_DEFAULTS.seed),
    effect: z.number({ error: "effect must be a number" }).finite("effect must be a finite number").nullable().default(null),
    alpha: z
      .number({ error: "alpha must be a number" })
      .gt(0, "alpha must be between 0 and 0.5")
      .max(0.5, "alpha must be between 0 and 0.5")
      .default(PLAN_DEFAULTS.alpha),
    baseline: z.number({ error: "baseline must be a number" }).finite("baseline must be a finite number").optional(),
    sd: z
      .number({ error: "sd must be a number" })
      .gt(0, "sd must be more than 0")
      .finite("sd must be a finite number")
      .default(AA_DEFAULTS.sd),
  })
  .transform((input) => ({
    ...input,
    baseline: input.baseline ?? (input.metric === "mean" ? AA_DEFAULTS.meanBaseline : AA_DEFAULTS.proportionBaseline),
  }))
  .superRefine((input, ctx) => {
    if (input.peeks > input.perVariant / 2) {
      ctx.addIssue({
        code: "custom",
        path: ["peeks"],
        message: "peeks must be at most half of the per-variant sample (each look needs 2 more values per arm)",
      });
    }
    if (input.metric === "proportion") {
      if (!(input.baseline > 0 && input.baseline < 1)) {
        ctx.addIssue({ code: "custom", path: ["baseline"], message: "baseline must be a rate between 0 and 1 for a proportion" });
      } else if (input.effect !== null && !(input.baseline + input.effect >= 0 && input.baseline + input.effect <= 1)) {
        ctx.addIssue({
          code: "custom",
          path: ["effect"],
          message: `effect must keep the treatment's rate within 0 and 1 (baseline ${input.baseline} + effect ${input.effect})`,
        });
      }
    }
    const draws = input.tests * input.perVariant * 2 * (input.effect === null ? 1 : 2);
    if (draws > AA_MAX_DRAWS) {
      ctx.addIssue({
        code: "custom",
        path: ["tests"],
        message: `tests x perVariant is too large to simulate here (${draws.toLocaleString("en-US")} values; at most ${AA_MAX_DRAWS.toLocaleString("en-US")})`,
      });
    }
  });

export type AaInputParsed = z.infer<typeof aaInputSchema>;

/**
 * POST /api/v1/experiments/{key}/aa: A/A tests of the experiment's own plan (its goal metric, sample, baseline and alpha).
 * `effect` is the difference planted in the treatment in the metric's own units (0.08 on a mean, 0.02 = 2 points on a
 * rate); left out it is the design's MDE, null plants none.
 */
export const designAaRequestSchema = z.strictObject({
  tests: whole("tests", 100, DESIGN_AA_MAX_TESTS).default(DESIGN_AA_DEFAULTS.tests),
  peeks: whole("peeks", 1, DESIGN_AA_MAX_PEEKS).default(DESIGN_AA_DEFAULTS.peeks),
  sequential: z.boolean({ error: "sequential must be true or false" }).default(false),
  seed: whole("seed", 0, 4_294_967_295).default(DESIGN_AA_DEFAULTS.seed),
  effect: z.number({ error: "effect must be a number or null" }).finite("effect must be a finite number").nullable().optional(),
});

export type DesignAaRequest = z.infer<typeof designAaRequestSchema>;
