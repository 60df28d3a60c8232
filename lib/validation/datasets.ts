// Making a dataset from an experiment's interactions (POST /api/v1/experiments/{key}/datasets and the results page).
import { z } from "zod";

export const DATASET_MODES = ["lowest", "safety", "disagreement", "random"] as const;
/** Items one dataset holds at most. */
export const MAX_DATASET_ITEMS = 10_000;

export const createDatasetSchema = z.strictObject({
  name: z
    .string({ error: "name must be text" })
    .trim()
    .min(1, "give the dataset a name")
    .max(100, "a dataset's name is at most 100 characters"),
  description: z.string({ error: "description must be text" }).trim().max(2000, "a description is at most 2,000 characters").default(""),
  mode: z.enum(DATASET_MODES, { error: "mode must be lowest, safety, disagreement or random" }),
  limit: z
    .number({ error: `limit must be a whole number from 1 to ${MAX_DATASET_ITEMS}` })
    .int(`limit must be a whole number from 1 to ${MAX_DATASET_ITEMS}`)
    .min(1, "limit must be at least 1")
    .max(MAX_DATASET_ITEMS, `a dataset holds at most ${MAX_DATASET_ITEMS.toLocaleString("en-US")} interactions`)
    .default(100),
  criterion: z
    .string({ error: "criterion must be a judge criterion's key" })
    .regex(/^[a-z][a-z0-9_]{0,39}$/, "criterion must be a judge criterion's key, such as helpfulness")
    .default("helpfulness"),
  threshold: z
    .number({ error: "threshold must be a number from 0 to 1" })
    .gt(0, "threshold must be above 0")
    .max(1, "threshold must be at most 1")
    .default(0.5),
  variant: z.string({ error: "variant must be a variant key" }).trim().min(1).max(100).optional(),
  seed: z
    .number({ error: "seed must be a whole number" })
    .int("seed must be a whole number")
    .min(0)
    .max(2 ** 31 - 1)
    .default(1),
});
export type CreateDatasetInput = z.infer<typeof createDatasetSchema>;
