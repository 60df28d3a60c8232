// How an experiment's results are analysed (PATCH /api/v1/experiments/{key}/analysis and the results page's settings).
import { z } from "zod";

export const CORRECTIONS = ["holm", "bh", "none"] as const;

export const analysisSettingsSchema = z
  .strictObject({
    correction: z.enum(CORRECTIONS, { error: "correction must be holm, bh or none" }).optional(),
    sequential: z.boolean({ error: "sequential must be true or false" }).optional(),
  })
  .refine((s) => s.correction !== undefined || s.sequential !== undefined, {
    message: "send correction (holm, bh or none), sequential (true or false), or both",
  });
export type AnalysisSettingsChange = z.infer<typeof analysisSettingsSchema>;
