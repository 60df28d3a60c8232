// A ramp plan (PUT /api/v1/experiments/{key}/ramp) and a move along it (POST /api/v1/experiments/{key}/ramp/{action}).
import { z } from "zod";
import { RAMP_PRESETS } from "@/lib/rollouts/ramp";

const PRESETS = Object.keys(RAMP_PRESETS) as [keyof typeof RAMP_PRESETS, ...(keyof typeof RAMP_PRESETS)[]];

export const rampStepSchema = z.strictObject({
  treatmentPercent: z
    .number({ error: "treatmentPercent must be a percentage from 0 to 100" })
    .min(0, "treatmentPercent must be at least 0")
    .max(100, "treatmentPercent must be at most 100")
    .optional(),
  coverage: z
    .number({ error: "coverage must be a share above 0 and at most 1" })
    .gt(0, "coverage must be above 0")
    .max(1, "coverage must be at most 1")
    .optional(),
  minHours: z
    .number({ error: "minHours must be a number of hours, e.g. 24" })
    .min(0, "minHours must be at least 0")
    .max(24 * 90, "minHours is at most 2160 (90 days)")
    .default(24),
  minSample: z
    .number({ error: "minSample must be a whole number of interactions per variant" })
    .int("minSample must be a whole number")
    .min(0, "minSample must be at least 0")
    .max(10_000_000, "minSample is at most 10,000,000")
    .default(500),
});

export const rampPlanRequestSchema = z
  .strictObject({
    preset: z.enum(PRESETS, { error: `preset must be one of ${PRESETS.join(", ")}` }).optional(),
    steps: z.array(rampStepSchema, { error: "steps must be a list of steps" }).optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.preset === undefined) === (v.steps === undefined))
      ctx.addIssue({ code: "custom", path: ["preset"], message: "give a preset (canary or coverage) or your own steps, not both" });
  });
export type RampPlanRequest = z.infer<typeof rampPlanRequestSchema>;

export const RAMP_ACTIONS = ["advance", "hold", "resume", "rollback"] as const;
export type RampAction = (typeof RAMP_ACTIONS)[number];

export const rampMoveSchema = z.strictObject({
  reason: z.string({ error: "reason must be text" }).trim().max(500, "a reason is at most 500 characters").optional(),
});

/** The automatic ramp check's job carries nothing: it looks at every ramp that is due. */
export const rampCheckPayload = z.object({});
