// One interaction record as the ingestion API takes it: the guide's logging schema (snake_case) plus experiment_key,
// timestamp, ttft_ms, cost_usd, metrics and error. Shared by POST /api/v1/interactions, the browser upload and the CLI.
import { z } from "zod";
import { experimentKeySchema, METRIC_VALUE_LIMIT } from "./experiments";
import { name, text } from "./text";

export const MAX_RECORDS = 10_000;
export const MAX_INGEST_BYTES = 10 * 1024 * 1024;
export const MAX_TEXT = 200_000;
export const MAX_METRICS = 50;
const DAY_MS = 86_400_000;
const EARLIEST = Date.UTC(2000, 0, 1);

const count = (field: string) =>
  z
    .number({ error: `${field} must be a whole number` })
    .int(`${field} must be a whole number`)
    .min(0, `${field} must not be negative`)
    .max(100_000_000, `${field} must be at most 100000000`);
const millis = (field: string) =>
  z
    .number({ error: `${field} must be a number of milliseconds` })
    .finite()
    .min(0, `${field} must not be negative`)
    .max(DAY_MS, `${field} must be at most ${DAY_MS} (a day)`);
const value = (field: string) =>
  z
    .number({ error: `${field} must be a number` })
    .finite(`${field} must be a finite number`)
    .min(-METRIC_VALUE_LIMIT, `${field} must be between -1e12 and 1e12`)
    .max(METRIC_VALUE_LIMIT, `${field} must be between -1e12 and 1e12`);

/** ISO 8601 text with a time zone, or Unix seconds (what varcas writes). Not before 2000, not more than a day ahead. */
const timestamp = z
  .union(
    [
      z.iso.datetime({ offset: true, error: "timestamp must be ISO 8601 with a time zone (2026-12-02T10:00:00Z) or Unix seconds" }),
      z.number().finite(),
    ],
    {
      error: "timestamp must be ISO 8601 with a time zone (2026-12-02T10:00:00Z) or Unix seconds",
    },
  )
  .transform((t) => new Date(typeof t === "number" ? t * 1000 : t))
  .refine(
    (d) => d.getTime() >= EARLIEST && d.getTime() <= Date.now() + DAY_MS,
    "timestamp must be between 2000-01-01 and tomorrow (Unix seconds, not milliseconds)",
  );

export const interactionRecordSchema = z
  .strictObject({
    request_id: name("request_id", 200).min(1, "request_id must not be empty"),
    user_id: name("user_id", 256).min(1, "user_id must not be empty"),
    experiment_key: experimentKeySchema,
    variant_id: name("variant_id", 100).min(1, "variant_id must name a variant key, e.g. B"),
    model_name: name("model_name", 200).optional(),
    system_prompt_version: name("system_prompt_version", 100).optional(),
    latency_ms: millis("latency_ms").optional(),
    ttft_ms: millis("ttft_ms").optional(),
    prompt_tokens: count("prompt_tokens").optional(),
    completion_tokens: count("completion_tokens").optional(),
    user_input: text("user_input", MAX_TEXT).optional(),
    model_output: text("model_output", MAX_TEXT).optional(),
    safety_flag: z.boolean({ error: "safety_flag must be true or false" }).optional(),
    user_feedback_score: value("user_feedback_score").optional(),
    goal_completed: z.boolean({ error: "goal_completed must be true or false" }).optional(),
    timestamp: timestamp.optional(),
    cost_usd: z
      .number({ error: "cost_usd must be a number" })
      .finite()
      .min(0, "cost_usd must not be negative")
      .max(1_000_000, "cost_usd must be at most 1000000")
      .optional(),
    metrics: z
      .record(name("metrics (a name)", 100).min(1, "metric names must not be empty"), value("each metrics value"), {
        error: 'metrics must be an object of names and numbers, e.g. {"resolved": 1}',
      })
      .refine((m) => Object.keys(m).length <= MAX_METRICS, `metrics may hold at most ${MAX_METRICS} values`)
      .optional(),
    error: text("error", 10_000).optional(),
  })
  .refine((r) => r.ttft_ms === undefined || r.latency_ms === undefined || r.ttft_ms <= r.latency_ms, {
    path: ["ttft_ms"],
    message: "ttft_ms must not exceed latency_ms (the first token cannot come after the last)",
  });
export type InteractionRecord = z.infer<typeof interactionRecordSchema>;

/** The ingestion answer: how many landed, how many were already there, and which records were refused and why. */
export const ingestResultSchema = z.object({
  accepted: z.number().int().describe("Records stored by this request."),
  duplicates: z
    .number()
    .int()
    .describe("Records whose (experiment_key, request_id) was already stored, or repeated in the batch: not stored again."),
  rejected: z
    .array(z.object({ index: z.number().int(), field: z.string(), message: z.string() }))
    .describe("Refused records (at most 100 listed); when any is refused, nothing of the batch is stored."),
  rejectedCount: z.number().int().optional(),
});
export type IngestResult = z.infer<typeof ingestResultSchema>;
