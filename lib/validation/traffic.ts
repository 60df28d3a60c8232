// A change to a live experiment's traffic (PATCH /api/v1/experiments/{key}/traffic and the Traffic panel).
import { z } from "zod";
import { MAX_PATTERN_LENGTH, patternProblem, TARGETING_OPERATORS } from "@/lib/assignment";
import { name } from "./text";
import { userIdSchema } from "./assign";

export const MAX_FORCED_USERS = 1_000;
export const MAX_TARGETING_CONDITIONS = 20;
const MAX_VALUES = 100;

const weight = z
  .number({ error: "each weight must be a number from 0 to 100" })
  .finite()
  .min(0, "each weight must be between 0 and 100")
  .max(100, "each weight must be between 0 and 100");

export const targetingConditionSchema = z
  .strictObject({
    attribute: name("attribute", 100).min(1, "attribute must name a user attribute, e.g. plan"),
    operator: z.enum(TARGETING_OPERATORS, { error: `operator must be one of ${TARGETING_OPERATORS.join(", ")}` }),
    value: z.union([name("value", 1_000), z.array(name("value", 1_000)).min(1, "value must list at least one entry").max(MAX_VALUES)], {
      error: "value must be text, or a list of texts for in and notIn",
    }),
  })
  .superRefine((c, ctx) => {
    const list = Array.isArray(c.value);
    if ((c.operator === "in" || c.operator === "notIn") && !list)
      ctx.addIssue({ code: "custom", path: ["value"], message: `value must be a list of texts for ${c.operator}, e.g. ["FR", "DE"]` });
    if ((c.operator === "equals" || c.operator === "regex") && list)
      ctx.addIssue({ code: "custom", path: ["value"], message: `value must be one text for ${c.operator}` });
    if (c.operator === "regex" && typeof c.value === "string") {
      const problem = patternProblem(c.value);
      if (problem)
        ctx.addIssue({ code: "custom", path: ["value"], message: `value: ${problem} (at most ${MAX_PATTERN_LENGTH} characters)` });
    }
  });

export const trafficChangeSchema = z
  .strictObject({
    weights: z
      .record(name("weights (a variant key)", 100), weight, {
        error: 'weights must map each variant key to a percentage, e.g. {"A": 90, "B": 10}',
      })
      .optional(),
    coverage: z
      .number({ error: "coverage must be a number from 0 to 1 (the share of users in the experiment)" })
      .finite()
      .min(0, "coverage must be between 0 and 1")
      .max(1, "coverage must be between 0 and 1")
      .optional(),
    forcedVariants: z
      .record(userIdSchema, name("forcedVariants (a variant key)", 100), {
        error: 'forcedVariants must map user ids to variant keys, e.g. {"qa-ana": "B"}',
      })
      .refine((m) => Object.keys(m).length <= MAX_FORCED_USERS, `forcedVariants may hold at most ${MAX_FORCED_USERS} users`)
      .optional(),
    killSwitch: z
      .strictObject({
        on: z.boolean({ error: "killSwitch.on must be true or false" }),
        variant: name("killSwitch.variant", 100).nullable().optional(),
      })
      .optional(),
    targeting: z
      .array(targetingConditionSchema, { error: "targeting must be a list of conditions" })
      .max(MAX_TARGETING_CONDITIONS, `targeting may hold at most ${MAX_TARGETING_CONDITIONS} conditions`)
      .optional(),
  })
  .refine((c) => Object.keys(c).length > 0, "send at least one of weights, coverage, forcedVariants, killSwitch, targeting");
export type TrafficChange = z.infer<typeof trafficChangeSchema>;
