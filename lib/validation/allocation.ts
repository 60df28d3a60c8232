// An experiment's allocation mode: a fixed split, or Thompson sampling toward the goal metric (lib/rollouts/allocation.ts).
import { z } from "zod";

export const allocationRequestSchema = z.strictObject({
  mode: z.enum(["fixed", "thompson"], { error: 'mode must be "fixed" or "thompson"' }),
  floor: z
    .number({ error: "floor must be a number, the least share of traffic each variant keeps (0.01 is 1%)" })
    .min(0, "floor must be at least 0")
    .max(0.5, "floor must be at most 0.5 (50% each)")
    .refine((f) => Math.abs(f * 10_000 - Math.round(f * 10_000)) < 1e-6, {
      message: "floor must be a whole number of hundredths of a percent (steps of 0.0001)",
    })
    .optional(),
  minPerArm: z
    .number({ error: "minPerArm must be a whole number of units" })
    .int("minPerArm must be a whole number of units")
    .min(1, "minPerArm must be at least 1")
    .max(1_000_000, "minPerArm must be at most 1,000,000")
    .optional(),
});
export type AllocationRequest = z.infer<typeof allocationRequestSchema>;

/** The allocation job carries nothing: it looks at every Thompson experiment that is due. */
export const allocationUpdatePayload = z.object({});
