// Bodies of the assign API (POST /api/v1/assign, /api/v1/assign/batch) and the exposures API.
import { z } from "zod";
import { name, text } from "./text";
import { experimentKeySchema } from "./experiments";

/** Most attributes one user may carry, and the longest attribute value. */
export const MAX_ATTRIBUTES = 50;
export const MAX_ATTRIBUTE_LENGTH = 1_000;
export const MAX_BATCH_USERS = 1_000;

export const userIdSchema = name("userId", 256).min(1, "userId must not be empty");

export const attributesSchema = z
  .record(
    name("attributes (a name)", 100).min(1, "attribute names must not be empty"),
    z.union([text("attributes (a value)", MAX_ATTRIBUTE_LENGTH), z.number().finite(), z.boolean(), z.null()], {
      error: "attribute values must be text, a number, true, false or null",
    }),
    { error: 'attributes must be an object of names and values, e.g. {"plan": "pro"}' },
  )
  .refine((a) => Object.keys(a).length <= MAX_ATTRIBUTES, `attributes may hold at most ${MAX_ATTRIBUTES} names`);

const experimentField = experimentKeySchema.describe("The experiment's key.");

export const assignRequestSchema = z.strictObject({
  experiment: experimentField,
  userId: userIdSchema,
  attributes: attributesSchema.optional(),
});
export type AssignRequest = z.infer<typeof assignRequestSchema>;

export const assignBatchRequestSchema = z.strictObject({
  experiment: experimentField,
  users: z
    .array(z.strictObject({ userId: userIdSchema, attributes: attributesSchema.optional() }), {
      error: "users must be a list of {userId, attributes?}",
    })
    .min(1, "users must list at least one user")
    .max(MAX_BATCH_USERS, `users may list at most ${MAX_BATCH_USERS} users per request; split the batch`),
});

export const REASONS = ["hash", "forced", "sticky", "killSwitch", "notRunning", "notTargeted", "shipped"] as const;

export const assignResponseSchema = z.object({
  variant: z.string().describe("The variant's key."),
  inExperiment: z.boolean().describe("True when the user counts in the analysis (hash or sticky)."),
  reason: z.enum(REASONS),
  config: z.record(z.string(), z.unknown()).describe("The variant's settings the app needs (never its endpoint)."),
});

export const exposuresRequestSchema = z.strictObject({
  experiment: experimentField,
  exposures: z
    .array(
      z.strictObject({
        userId: userIdSchema,
        variant: name("variant", 100).min(1),
        inExperiment: z.boolean({ error: "inExperiment must be true or false" }),
        reason: z.enum(REASONS, { error: `reason must be one of ${REASONS.join(", ")}` }),
      }),
      { error: "exposures must be a list" },
    )
    .min(1, "exposures must list at least one exposure")
    .max(MAX_BATCH_USERS, `exposures may list at most ${MAX_BATCH_USERS} per request`),
});
