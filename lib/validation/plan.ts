// The one schema for a sample-size plan request, shared by the API, the browser form and `assay plan`.
import { z } from "zod";
import { PLAN_DEFAULTS, planInputProblems, type PlanInput } from "../stats/power";

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

/** PlanInput with PLAN_DEFAULTS filled in (variants stays unset so `weights` can give the number of arms); range, cross-field and computability rules come from planInputProblems in lib/stats/power. */
export const planInputSchema = z
  .strictObject({
    metric: enumField("metric", ["proportion", "mean"] as const),
    baseline: numberField("baseline"),
    sd: numberField("sd").optional(),
    mde: numberField("mde"),
    mdeAbsolute: z.boolean({ error: "mdeAbsolute must be true or false" }).default(false),
    alpha: numberField("alpha").default(PLAN_DEFAULTS.alpha),
    power: numberField("power").default(PLAN_DEFAULTS.power),
    variants: numberField("variants").optional(),
    weights: z.array(numberField("weights"), { error: "weights must be a list of numbers, the control first, e.g. [90, 10]" }).optional(),
    dailyTraffic: numberField("dailyTraffic").nullish(),
    coverage: numberField("coverage").default(PLAN_DEFAULTS.coverage),
    correction: enumField("correction", ["none", "bonferroni"] as const).default(PLAN_DEFAULTS.correction),
    effectSize: enumField("effectSize", ["guide", "cohens-h"] as const).default(PLAN_DEFAULTS.effectSize),
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
