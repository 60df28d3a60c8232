// The one set of schemas for experiments, shared by the design form, the REST API and tests.
import { z } from "zod";
import { name, text } from "./text";
import { PLAN_DEFAULTS } from "@/lib/stats/power";

export const VARIABLES = ["SYSTEM_PROMPT", "MODEL", "GENERATION_PARAMETERS", "RAG_CONFIGURATION", "TOOL_USE_PROMPT", "OTHER"] as const;
/** The one variable a design changes between its variants. */
export const variableUnderTestSchema = z.enum(VARIABLES, { error: `variableUnderTest must be one of ${VARIABLES.join(", ")}` });
export type VariableUnderTest = z.infer<typeof variableUnderTestSchema>;

export const variableLabels: Record<VariableUnderTest, string> = {
  SYSTEM_PROMPT: "System prompt",
  MODEL: "Model",
  GENERATION_PARAMETERS: "Generation parameters",
  RAG_CONFIGURATION: "RAG configuration",
  TOOL_USE_PROMPT: "Tool-use prompt",
  OTHER: "Other",
};

const number = (field: string) =>
  z.number({ error: `${field} must be a number` }).refine(Number.isFinite, `${field} must be a finite number`);

/** The largest magnitude a metric's values may have (a baseline, its SD, a margin): far beyond any latency, cost or score. */
export const METRIC_VALUE_LIMIT = 1e12;

/** A metric value: finite and within ±METRIC_VALUE_LIMIT, so the planner and the database can always handle it. */
const metricValue = (field: string) =>
  number(field).refine((v) => Math.abs(v) <= METRIC_VALUE_LIMIT, `${field} must be between -1e12 and 1e12`);

/** RAG settings of a variant. */
export const ragConfigSchema = z.strictObject({
  retriever: name("rag.retriever", 200).optional(),
  topK: number("rag.topK")
    .int("rag.topK must be a whole number")
    .min(1, "rag.topK must be at least 1")
    .max(1000, "rag.topK must be at most 1000")
    .optional(),
  chunkSize: number("rag.chunkSize").int("rag.chunkSize must be a whole number").min(1).max(100_000).optional(),
  reranker: name("rag.reranker", 200).optional(),
});

/** A variant's versioned configuration: what the gateway sends to the model, and where (a base URL or a managed endpoint). */
export const variantConfigSchema = z.strictObject({
  endpoint: z
    .url({ error: "endpoint must be an http(s) URL, e.g. http://vllm:8000/v1", protocol: /^https?$/ })
    .max(2000)
    .optional(),
  /** A managed endpoint (Settings > Endpoints; GET /api/v1/endpoints) by id: its base URL, API key and default model. */
  endpointId: name("endpointId", 100).min(1, "endpointId must not be empty").optional(),
  model: name("model", 200).trim().min(1, "model must not be empty").optional(),
  systemPrompt: text("systemPrompt", 100_000).optional(),
  systemPromptVersion: name("systemPromptVersion", 100).optional(),
  temperature: number("temperature").min(0, "temperature must be between 0 and 2").max(2, "temperature must be between 0 and 2").optional(),
  topP: number("topP").gt(0, "topP must be in (0, 1]").max(1, "topP must be in (0, 1]").optional(),
  maxTokens: number("maxTokens").int("maxTokens must be a whole number").min(1, "maxTokens must be at least 1").max(1_000_000).optional(),
  rag: ragConfigSchema.optional(),
  toolUsePrompt: text("toolUsePrompt", 100_000).optional(),
  pricePer1MInput: number("pricePer1MInput").min(0, "pricePer1MInput must not be negative").max(1_000_000).optional(),
  pricePer1MOutput: number("pricePer1MOutput").min(0, "pricePer1MOutput must not be negative").max(1_000_000).optional(),
});
export type VariantConfig = z.infer<typeof variantConfigSchema>;

type RagConfig = z.infer<typeof ragConfigSchema>;
/** A configuration field as a dotted name: "temperature", "rag.topK". */
export type ConfigField = Exclude<keyof VariantConfig, "rag"> | `rag.${keyof RagConfig & string}`;

/** Every configuration field, flattened to dotted names (rag.topK), in the schema's order: the list the forms, diffs and audit walk. */
export const CONFIG_FIELDS: readonly ConfigField[] = Object.keys(variantConfigSchema.shape).flatMap((key) =>
  key === "rag" ? Object.keys(ragConfigSchema.shape).map((r) => `rag.${r}`) : [key],
) as ConfigField[];

/** True when the schema takes a number for the field (temperature, rag.topK), false for text (model, endpoint, prompts). */
export function isNumberConfigField(field: ConfigField): boolean {
  const [head, tail] = field.split(".");
  const schema = tail
    ? ragConfigSchema.shape[tail as keyof typeof ragConfigSchema.shape]
    : variantConfigSchema.shape[head as keyof typeof variantConfigSchema.shape];
  return schema.unwrap().def.type === "number";
}

export const variantSchema = z.strictObject({
  key: z
    .string({ error: "key must be text" })
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, "key must be 1-32 letters, digits, _ or -, starting with a letter or digit"),
  name: name("name", 100).trim().min(1, "name is required"),
  isControl: z.boolean({ error: "isControl must be true or false" }).default(false),
  weight: number("weight").min(0, "weight must be between 0 and 100").max(100, "weight must be between 0 and 100"),
  config: variantConfigSchema.default({}),
});
export type VariantInput = z.infer<typeof variantSchema>;

export const METRIC_ROLES = ["GOAL", "GUARDRAIL"] as const;
export const METRIC_KINDS = ["MEAN", "PROPORTION", "QUANTILE"] as const;
export const METRIC_DIRECTIONS = ["INCREASE", "DECREASE"] as const;
export const METRIC_SOURCES = ["LOG_FIELD", "JUDGE_CRITERION", "CUSTOM_VALUE"] as const;

export const metricSchema = z
  .strictObject({
    name: name("name", 100).trim().min(1, "name is required"),
    role: z.enum(METRIC_ROLES, { error: "role must be GOAL or GUARDRAIL" }),
    kind: z.enum(METRIC_KINDS, { error: "kind must be MEAN, PROPORTION or QUANTILE" }),
    source: z.enum(METRIC_SOURCES, { error: "source must be LOG_FIELD, JUDGE_CRITERION or CUSTOM_VALUE" }).default("LOG_FIELD"),
    /** The log field, judge criterion or custom value the metric reads (e.g. latency_ms, helpfulness). */
    field: name("field", 100)
      .regex(/^[A-Za-z0-9_.-]*$/, "field must be letters, digits, _, . or -")
      .default(""),
    quantile: number("quantile").gt(0, "quantile must be in (0, 1)").lt(1, "quantile must be in (0, 1)").optional(),
    direction: z.enum(METRIC_DIRECTIONS, { error: "direction must be INCREASE or DECREASE" }),
    mde: number("mde")
      .refine((v) => v !== 0, "mde must not be 0")
      .refine((v) => Math.abs(v) <= 1_000_000, "mde is too large"),
    mdeAbsolute: z.boolean({ error: "mdeAbsolute must be true or false" }).default(false),
    nonInferiorityMargin: metricValue("nonInferiorityMargin").min(0, "nonInferiorityMargin must not be negative").optional(),
    baseline: metricValue("baseline").optional(),
    baselineSd: metricValue("baselineSd").gt(0, "baselineSd must be positive").optional(),
    /**
     * The range a score can take (a judge's 1-5). A MEAN reads the score on it; a PROPORTION reads the normalised score,
     * the score / max as a rate (the guide's 3.8 of 5 = 0.76).
     */
    scale: z
      .strictObject({
        min: number("scale.min").min(-1e9, "scale.min must be at least -1e9"),
        max: number("scale.max").gt(0, "scale.max must be positive").max(1e9, "scale.max must be at most 1e9"),
      })
      .refine((s) => s.min < s.max, { message: "scale.min must be below scale.max", path: ["min"] })
      .optional(),
  })
  .superRefine((m, ctx) => {
    if (m.kind === "PROPORTION" && m.baseline !== undefined && (m.baseline <= 0 || m.baseline >= 1)) {
      const hint = m.scale ? `; for the normalised score, divide the score by ${m.scale.max}` : "";
      ctx.addIssue({ code: "custom", path: ["baseline"], message: `baseline of a proportion must be between 0 and 1${hint}` });
    }
    if (m.mde < 0 && m.direction === "INCREASE")
      ctx.addIssue({
        code: "custom",
        path: ["mde"],
        message:
          "mde is negative but direction is INCREASE: give the size of the change as a positive number, and the direction says which way",
      });
    if (m.kind === "QUANTILE" && m.quantile === undefined) m.quantile = 0.95;
  });
export type MetricInput = z.infer<typeof metricSchema>;

/** What a plan counts: interactions or users. */
export const PLAN_UNITS = ["interactions", "users"] as const;

/** Planner settings saved with the design (the sample size itself is computed, never stored as typed). */
export const experimentPlanSchema = z.strictObject({
  metricName: name("plan.metricName", 100).optional(),
  dailyTraffic: number("plan.dailyTraffic")
    .min(1, "plan.dailyTraffic must be at least 1 a day")
    .max(1e12, "plan.dailyTraffic must be at most 1e12 a day")
    .optional(),
  alpha: number("plan.alpha").gt(0, "plan.alpha must be in (0, 1)").lt(1, "plan.alpha must be in (0, 1)").default(PLAN_DEFAULTS.alpha),
  power: number("plan.power").gt(0, "plan.power must be in (0, 1)").lt(1, "plan.power must be in (0, 1)").default(PLAN_DEFAULTS.power),
  correction: z.enum(["none", "bonferroni"], { error: "plan.correction must be none or bonferroni" }).default(PLAN_DEFAULTS.correction),
  effectSize: z.enum(["guide", "cohens-h"], { error: "plan.effectSize must be guide or cohens-h" }).default(PLAN_DEFAULTS.effectSize),
  /** What n and the daily traffic count: interactions (the guide's plan_ab_test) or users (the unit assignment hashes). */
  unit: z.enum(PLAN_UNITS, { error: "plan.unit must be interactions or users" }).default("interactions"),
  /** Interactions a user makes during the test, on average: above 1, counting interactions overstates power. */
  interactionsPerUser: number("plan.interactionsPerUser")
    .min(1, "plan.interactionsPerUser must be at least 1")
    .max(1_000_000, "plan.interactionsPerUser must be at most 1,000,000")
    .optional(),
});

export const hypothesisSchema = z.strictObject({
  change: text("hypothesis.change", 2000).default(""),
  expectation: text("hypothesis.expectation", 2000).default(""),
  reason: text("hypothesis.reason", 2000).default(""),
});

const WEIGHT_TOLERANCE = 1e-6;

/** Rules across variants that hold for every saved design: unique keys, one place to be served from, exactly one control, weights summing to 100. */
function checkVariants(variants: VariantInput[], ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  variants.forEach((v, i) => {
    if (seen.has(v.key.toLowerCase()))
      ctx.addIssue({ code: "custom", path: ["variants", i, "key"], message: `variant key "${v.key}" is used twice; keys must be unique` });
    seen.add(v.key.toLowerCase());
    if (v.config.endpoint !== undefined && v.config.endpointId !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["variants", i, "config", "endpointId"],
        message: "set endpoint (a base URL) or endpointId (a managed endpoint), not both",
      });
  });
  const controls = variants.filter((v) => v.isControl).length;
  if (controls !== 1)
    ctx.addIssue({
      code: "custom",
      path: ["variants"],
      message: `exactly one variant must be the control (isControl: true); found ${controls}`,
    });
  const total = variants.reduce((s, v) => s + v.weight, 0);
  if (Math.abs(total - 100) > WEIGHT_TOLERANCE)
    ctx.addIssue({
      code: "custom",
      path: ["variants"],
      message: `variant weights must sum to 100; they sum to ${Number(total.toFixed(6))}`,
    });
}

function checkMetrics(metrics: MetricInput[], ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  metrics.forEach((m, i) => {
    if (seen.has(m.name.toLowerCase()))
      ctx.addIssue({ code: "custom", path: ["metrics", i, "name"], message: `metric "${m.name}" is listed twice; names must be unique` });
    seen.add(m.name.toLowerCase());
  });
}

export const experimentKeySchema = z
  .string({ error: "key must be text" })
  .regex(
    /^[a-z0-9][a-z0-9-]{1,62}$/,
    "key must be 2-63 lowercase letters, digits or -, starting with a letter or digit (e.g. support-persona)",
  );

const experimentFields = {
  key: experimentKeySchema,
  name: name("name", 200).trim().min(1, "name is required"),
  description: text("description", 10_000).default(""),
  hypothesis: hypothesisSchema.default({ change: "", expectation: "", reason: "" }),
  variableUnderTest: variableUnderTestSchema,
  gatewayEnabled: z.boolean({ error: "gatewayEnabled must be true or false" }).default(false),
  variants: z
    .array(variantSchema, { error: "variants must be a list" })
    .min(2, "an experiment needs at least 2 variants")
    .max(8, "an experiment has at most 8 variants"),
  metrics: z.array(metricSchema, { error: "metrics must be a list" }).max(30, "at most 30 metrics").default([]),
  plan: experimentPlanSchema.optional(),
};

/** A new experiment (POST /api/v1/experiments and the "New experiment" form); saved as a DRAFT. */
export const createExperimentSchema = z.strictObject(experimentFields).superRefine((e, ctx) => {
  checkVariants(e.variants, ctx);
  checkMetrics(e.metrics, ctx);
});
export type CreateExperimentInput = z.infer<typeof createExperimentSchema>;

/** A change to an experiment (PATCH /api/v1/experiments/{key}); lists (variants, metrics) replace the old ones whole. */
export const updateExperimentSchema = z
  .strictObject({
    key: experimentFields.key.optional(),
    name: experimentFields.name.optional(),
    description: text("description", 10_000).optional(),
    hypothesis: hypothesisSchema.optional(),
    variableUnderTest: experimentFields.variableUnderTest.optional(),
    gatewayEnabled: z.boolean({ error: "gatewayEnabled must be true or false" }).optional(),
    variants: experimentFields.variants.optional(),
    metrics: z.array(metricSchema, { error: "metrics must be a list" }).max(30, "at most 30 metrics").optional(),
    plan: experimentPlanSchema.nullable().optional(),
  })
  .superRefine((e, ctx) => {
    if (e.variants) checkVariants(e.variants, ctx);
    if (e.metrics) checkMetrics(e.metrics, ctx);
  });
export type UpdateExperimentInput = z.infer<typeof updateExperimentSchema>;

/** POST /api/v1/experiments/{key}/start: the written reason is required when variants differ in more than the declared variable. */
export const startExperimentSchema = z.strictObject({
  singleVariableReason: text("singleVariableReason", 5000).trim().optional(),
});

/** POST /api/v1/experiments/{key}/stop. */
export const stopExperimentSchema = z.strictObject({
  reason: text("reason", 5000).trim().optional(),
});

/** POST /api/v1/experiments/{key}/clone. */
export const cloneExperimentSchema = z.strictObject({
  key: experimentKeySchema,
  name: name("name", 200).trim().min(1, "name must not be empty").optional(),
});

/** GET /api/v1/experiments query. */
export const listExperimentsQuerySchema = z.strictObject({
  status: z.enum(["DRAFT", "RUNNING", "STOPPED", "DECIDED"], { error: "status must be DRAFT, RUNNING, STOPPED or DECIDED" }).optional(),
  owner: name("owner", 200).optional(),
  q: name("q", 200).optional(),
  archived: z.enum(["true", "false"]).optional(),
});

/** POST /api/v1/experiments/{key}/archive. */
export const archiveExperimentSchema = z.strictObject({
  archived: z.boolean({ error: "archived must be true or false" }),
});
