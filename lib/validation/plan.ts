// The one schema for a sample-size plan request, shared by the API, the browser form and `assay plan`.
import { z } from "zod";
import { planInputProblems, type PlanInput } from "../stats/power";

/** A finite number whose type errors name the field ("baseline is required", "baseline must be a number"). */
const numberField = (field: string) =>
  z.number({
    error: (issue) =>
      issue.input === undefined ? `${field} is required` : `${field} must be a number, got ${JSON.stringify(issue.input)}`,
  });

const enumField = <const T extends readonly [string, ...string[]]>(field: string, values: T) =>
  z.enum(values, {
    error: (issue) => `${field} must be one of ${values.map((v) => `"${v}"`).join(", ")}, got ${JSON.stringify(issue.input)}`,
  });

/** PlanInput with defaults (alpha 0.05, power 0.8, 2 variants, coverage 1, no correction, the guide's effect size); range and cross-field rules come from planInputProblems in lib/stats/power. */
export const planInputSchema = z
  .strictObject({
    metric: enumField("metric", ["proportion", "mean"] as const),
    baseline: numberField("baseline"),
    sd: numberField("sd").optional(),
    mde: numberField("mde"),
    mdeAbsolute: z.boolean({ error: "mdeAbsolute must be true or false" }).default(false),
    alpha: numberField("alpha").default(0.05),
    power: numberField("power").default(0.8),
    variants: numberField("variants").default(2),
    dailyTraffic: numberField("dailyTraffic").nullish(),
    coverage: numberField("coverage").default(1),
    correction: enumField("correction", ["none", "bonferroni"] as const).default("none"),
    effectSize: enumField("effectSize", ["guide", "cohens-h"] as const).default("guide"),
  })
  .superRefine((input, ctx) => {
    for (const { field, message } of planInputProblems(input)) {
      ctx.addIssue({ code: "custom", path: [field], message });
    }
  });

export type PlanInputParsed = z.infer<typeof planInputSchema>;

// Compile-time check: what the schema produces is what planSampleSize accepts.
const _parsedIsPlanInput = (x: PlanInputParsed): PlanInput => x;
void _parsedIsPlanInput;
