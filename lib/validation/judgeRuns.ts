// Starting a judge run (POST /api/v1/experiments/{key}/judge-runs and the experiment's Judge page).
import { z } from "zod";
import { judgeRunRubricFields } from "./rubrics";

/** The most judgments of one run in flight in one worker process (its jobs x judgments per job). */
export const MAX_IN_FLIGHT = 64;

export const JUDGE_RUN_MODES = ["unscored", "all", "sample", "dataset", "rescore", "stratified"] as const;

/** The judge's model endpoint (by name) and model, as judge runs and head-to-head comparisons take them. */
export const judgeEndpointField = z
  .string({ error: "endpoint must be the name of a model endpoint (Settings > Endpoints)" })
  .trim()
  .min(1, "name the judge's model endpoint (Settings > Endpoints)")
  .max(100, "an endpoint's name is at most 100 characters");
export const judgeModelField = z
  .string({ error: "model must be text" })
  .trim()
  .min(1, "model may not be empty")
  .max(200, "model is at most 200 characters")
  .optional();

const price = (field: string) =>
  z
    .number({ error: `${field} must be a price in US dollars per million tokens, e.g. 0.2` })
    .min(0, `${field} may not be negative`)
    .max(10_000, `${field} is at most 10000 (US dollars per million tokens)`)
    .optional();

export const judgeRunRequestSchema = z
  .strictObject({
    endpoint: judgeEndpointField,
    model: judgeModelField,
    mode: z.enum(JUDGE_RUN_MODES, { error: "mode must be unscored, all, sample, stratified, dataset or rescore" }).default("unscored"),
    dataset: z
      .string({ error: "dataset must be the name of a dataset" })
      .trim()
      .min(1, "dataset may not be empty")
      .max(200, "a dataset's name is at most 200 characters")
      .optional(),
    pricePer1MInput: price("pricePer1MInput"),
    pricePer1MOutput: price("pricePer1MOutput"),
    safetyFlagAtOrBelow: z
      .number({ error: "safetyFlagAtOrBelow must be a whole number on the safety scale, e.g. 2" })
      .int("safetyFlagAtOrBelow must be a whole number")
      .min(0, "safetyFlagAtOrBelow must be 0 (never flag) or more")
      .max(10, "safetyFlagAtOrBelow must be at most 10")
      .optional(),
    perVariant: z
      .number({ error: "perVariant must be a whole number of interactions per variant, e.g. 200" })
      .int("perVariant must be a whole number")
      .min(1, "perVariant must be at least 1")
      .max(50_000, "perVariant is at most 50000")
      .optional(),
    judgmentsPerMinute: z
      .number({ error: "judgmentsPerMinute must be a whole number of judgments a minute, e.g. 600" })
      .int("judgmentsPerMinute must be a whole number")
      .min(1, "judgmentsPerMinute must be at least 1")
      .max(1_000_000, "judgmentsPerMinute is at most 1000000")
      .optional(),
    maxInFlight: z
      .number({ error: "maxInFlight must be a whole number of judgments at once, e.g. 16" })
      .int("maxInFlight must be a whole number")
      .min(1, "maxInFlight must be at least 1")
      .max(MAX_IN_FLIGHT, `maxInFlight is at most ${MAX_IN_FLIGHT}`)
      .optional(),
    timeoutSeconds: z
      .number({ error: "timeoutSeconds must be a whole number of seconds, e.g. 60" })
      .int("timeoutSeconds must be a whole number")
      .min(1, "timeoutSeconds must be at least 1")
      .max(600, "timeoutSeconds is at most 600")
      .default(60),
    continuous: z.boolean({ error: "continuous must be true or false" }).default(false),
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
    if (r.mode !== "sample" && r.mode !== "rescore" && r.sampleRate !== undefined && !r.continuous)
      ctx.addIssue({ code: "custom", path: ["sampleRate"], message: "sampleRate goes with mode sample or rescore, or with continuous" });
    if (r.mode === "rescore" && r.continuous)
      ctx.addIssue({
        code: "custom",
        path: ["continuous"],
        message: "rescore reads what is already scored: continuous goes with new interactions",
      });
    if (r.mode === "stratified" && r.perVariant === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["perVariant"],
        message: "mode stratified needs perVariant: how many interactions of each variant",
      });
    if (r.mode !== "stratified" && r.perVariant !== undefined)
      ctx.addIssue({ code: "custom", path: ["perVariant"], message: "perVariant goes with mode stratified" });
    if (r.mode === "stratified" && r.continuous)
      ctx.addIssue({
        code: "custom",
        path: ["continuous"],
        message: "a stratified sample is taken once: continuous goes with all or a sample rate",
      });
    if (r.mode === "dataset" && r.dataset === undefined)
      ctx.addIssue({ code: "custom", path: ["dataset"], message: "mode dataset needs the dataset's name" });
    if (r.mode !== "dataset" && r.dataset !== undefined)
      ctx.addIssue({ code: "custom", path: ["dataset"], message: "dataset goes with mode dataset" });
    if (r.continuous && r.mode === "dataset")
      ctx.addIssue({
        code: "custom",
        path: ["continuous"],
        message: "a dataset does not grow: continuous goes with an experiment's interactions",
      });
  });
export type JudgeRunRequest = z.infer<typeof judgeRunRequestSchema>;

export const judgeWatchPayload = z.strictObject({ runId: z.string().min(1).max(64) });

export const judgeBatchPayload = z.strictObject({
  runId: z.string().min(1).max(64),
  interactionIds: z.array(z.string().min(1).max(64)).min(1).max(200),
});
