// Starting a judge run (POST /api/v1/experiments/{key}/judge-runs and the experiment's Judge page).
import { z } from "zod";
import { judgeRunRubricFields } from "./rubrics";

export const JUDGE_RUN_MODES = ["unscored", "all", "sample"] as const;

export const judgeRunRequestSchema = z
  .strictObject({
    endpoint: z
      .string({ error: "endpoint must be the name of a model endpoint (Settings > Endpoints)" })
      .trim()
      .min(1, "name the judge's model endpoint (Settings > Endpoints)")
      .max(100, "an endpoint's name is at most 100 characters"),
    model: z
      .string({ error: "model must be text" })
      .trim()
      .min(1, "model may not be empty")
      .max(200, "model is at most 200 characters")
      .optional(),
    mode: z.enum(JUDGE_RUN_MODES, { error: "mode must be unscored, all or sample" }).default("unscored"),
    sampleRate: z
      .number({ error: "sampleRate must be a number above 0 and at most 1" })
      .gt(0, "sampleRate must be above 0")
      .max(1, "sampleRate must be at most 1")
      .optional(),
    /** The rubric to judge with (default: "default"), at rubricVersion (default: its latest). */
    ...judgeRunRubricFields,
  })
  .superRefine((r, ctx) => {
    if (r.mode === "sample" && r.sampleRate === undefined)
      ctx.addIssue({ code: "custom", path: ["sampleRate"], message: "mode sample needs a sampleRate (0.1 judges a tenth)" });
    if (r.mode !== "sample" && r.sampleRate !== undefined)
      ctx.addIssue({ code: "custom", path: ["sampleRate"], message: "sampleRate goes with mode sample" });
  });
export type JudgeRunRequest = z.infer<typeof judgeRunRequestSchema>;

export const judgeBatchPayload = z.strictObject({
  runId: z.string().min(1).max(64),
  interactionIds: z.array(z.string().min(1).max(64)).min(1).max(200),
});
