// Comparing two variants head to head (POST /api/v1/experiments/{key}/pairwise and the Judge page).
import { z } from "zod";
import { judgeEndpointField, judgeModelField } from "./judgeRuns";

/** Pairs one request judges (two judge calls each): it answers when they are done. */
export const MAX_PAIRWISE_PAIRS = 200;

const variantKey = (field: string) =>
  z
    .string({ error: `${field} must be a variant's key` })
    .trim()
    .min(1, `${field} may not be empty`)
    .max(100, `${field} is at most 100 characters`);

export const pairwiseRequestSchema = z.strictObject({
  endpoint: judgeEndpointField,
  model: judgeModelField,
  variant: variantKey("variant"),
  against: variantKey("against").optional(),
  maxPairs: z
    .number({ error: `maxPairs must be a whole number from 1 to ${MAX_PAIRWISE_PAIRS}` })
    .int(`maxPairs must be a whole number from 1 to ${MAX_PAIRWISE_PAIRS}`)
    .min(1, "maxPairs must be at least 1")
    .max(MAX_PAIRWISE_PAIRS, `maxPairs is at most ${MAX_PAIRWISE_PAIRS} per request`)
    .default(50),
  criterion: z
    .string({ error: "criterion must be text" })
    .trim()
    .min(1, "criterion may not be empty")
    .max(300, "criterion is at most 300 characters")
    .optional(),
});
export type PairwiseRequest = z.infer<typeof pairwiseRequestSchema>;
