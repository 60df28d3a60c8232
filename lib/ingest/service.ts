// Ingestion of interaction records: validate every record, resolve experiments and variants, then store the batch in
// one statement (atomic: a database failure stores nothing), idempotent on (experiment, request_id). A batch with any
// invalid record stores nothing and lists what to fix (index, field, message), so a client can fix and resend it whole.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { AppError } from "@/lib/errors";
import { fieldIssues } from "@/lib/validation/issues";
import { interactionRecordSchema, MAX_RECORDS, type IngestResult, type InteractionRecord } from "@/lib/validation/ingest";

export type InteractionSource = "API" | "GATEWAY" | "UPLOAD" | "DEMO";

export interface IngestVariant {
  id: string;
  pricePer1MInput?: number;
  pricePer1MOutput?: number;
}

export interface IngestExperiment {
  id: string;
  key: string;
  variants: Map<string, IngestVariant>;
}

export interface Rejection {
  index: number;
  field: string;
  message: string;
}

const MAX_LISTED = 100;

/** A record's position and raw value; `index` is what the answer names (the array index, or the NDJSON line - 1). */
export interface RawRecord {
  index: number;
  value: unknown;
  /** Set when the record could not even be read (an NDJSON line that is not JSON). */
  problem?: Rejection;
}

/** The cost of an interaction from its variant's prices per million tokens, when the record has none. */
export function costFromPrices(r: Pick<InteractionRecord, "prompt_tokens" | "completion_tokens">, v: IngestVariant): number | null {
  if (v.pricePer1MInput === undefined && v.pricePer1MOutput === undefined) return null;
  if (r.prompt_tokens === undefined && r.completion_tokens === undefined) return null;
  return ((r.prompt_tokens ?? 0) * (v.pricePer1MInput ?? 0) + (r.completion_tokens ?? 0) * (v.pricePer1MOutput ?? 0)) / 1_000_000;
}

/** The error a batch with refused records answers with: 400, nothing stored, the refusals listed in the ingestion shape. */
export function rejectedBatch(rejected: Rejection[], total: number): AppError {
  const first = rejected[0];
  const err = new AppError(
    "VALIDATION",
    `${rejected.length} of ${total} records ${rejected.length === 1 ? "is" : "are"} invalid, so nothing was stored; fix ${rejected.length === 1 ? "it" : "them"} and send the batch again. First: record ${first.index}, ${first.field}: ${first.message}`,
    { issues: rejected.slice(0, MAX_LISTED).map((r) => ({ field: `${r.index}.${r.field}`, message: r.message })) },
  );
  return Object.assign(err, {
    ingest: { accepted: 0, duplicates: 0, rejected: rejected.slice(0, MAX_LISTED), rejectedCount: rejected.length } satisfies IngestResult,
  });
}

export interface ValidBatch {
  rows: { record: InteractionRecord; experiment: IngestExperiment; variant: IngestVariant }[];
}

/** Validates raw records and resolves their experiments; throws rejectedBatch when any record is refused. */
export async function validateBatch(raw: RawRecord[], resolve: (key: string) => Promise<IngestExperiment | null>): Promise<ValidBatch> {
  if (raw.length === 0)
    throw new AppError("VALIDATION", "The batch holds no records; send at least one.", {
      issues: [{ field: "(body)", message: "no records" }],
    });
  if (raw.length > MAX_RECORDS) {
    throw new AppError(
      "PAYLOAD_TOO_LARGE",
      `A batch holds at most ${MAX_RECORDS} records; this one has ${raw.length}. Split it into smaller batches.`,
    );
  }
  const rejected: Rejection[] = [];
  const parsed: { index: number; record: InteractionRecord }[] = [];
  for (const r of raw) {
    if (r.problem) {
      rejected.push(r.problem);
      continue;
    }
    if (typeof r.value !== "object" || r.value === null || Array.isArray(r.value)) {
      rejected.push({ index: r.index, field: "(record)", message: "each record must be a JSON object of logging fields" });
      continue;
    }
    const result = interactionRecordSchema.safeParse(r.value);
    if (result.success) parsed.push({ index: r.index, record: result.data });
    else
      for (const issue of fieldIssues(result.error).slice(0, 5))
        rejected.push({ index: r.index, field: issue.field, message: issue.message });
  }
  const experiments = new Map<string, IngestExperiment | null>();
  for (const key of new Set(parsed.map((p) => p.record.experiment_key))) experiments.set(key, await resolve(key));
  const rows: ValidBatch["rows"] = [];
  for (const { index, record } of parsed) {
    const experiment = experiments.get(record.experiment_key);
    if (!experiment) {
      rejected.push({ index, field: "experiment_key", message: `no experiment has the key "${record.experiment_key}"` });
      continue;
    }
    const variant = experiment.variants.get(record.variant_id);
    if (!variant) {
      rejected.push({
        index,
        field: "variant_id",
        message: `"${record.variant_id}" is not a variant of ${experiment.key}; use one of ${[...experiment.variants.keys()].join(", ")}`,
      });
      continue;
    }
    rows.push({ record, experiment, variant });
  }
  if (rejected.length)
    throw rejectedBatch(
      rejected.sort((a, b) => a.index - b.index),
      raw.length,
    );
  return { rows };
}

/** Stores a validated batch in one statement; returns how many were new and how many were already stored. */
export async function storeBatch(pool: pg.Pool, batch: ValidBatch, source: InteractionSource): Promise<IngestResult> {
  const n = batch.rows.length;
  const cols = {
    id: new Array<string>(n),
    requestId: new Array<string>(n),
    experimentId: new Array<string>(n),
    variantId: new Array<string>(n),
    userId: new Array<string>(n),
    modelName: new Array<string | null>(n),
    systemPromptVersion: new Array<string | null>(n),
    latencyMs: new Array<number | null>(n),
    ttftMs: new Array<number | null>(n),
    promptTokens: new Array<number | null>(n),
    completionTokens: new Array<number | null>(n),
    cost: new Array<string | null>(n),
    userInput: new Array<string | null>(n),
    modelOutput: new Array<string | null>(n),
    safetyFlag: new Array<boolean | null>(n),
    userFeedbackScore: new Array<number | null>(n),
    goalCompleted: new Array<boolean | null>(n),
    customMetrics: new Array<string | null>(n),
    timestamp: new Array<string | null>(n),
    error: new Array<string | null>(n),
  };
  batch.rows.forEach(({ record: r, experiment, variant }, i) => {
    cols.id[i] = randomUUID();
    cols.requestId[i] = r.request_id;
    cols.experimentId[i] = experiment.id;
    cols.variantId[i] = variant.id;
    cols.userId[i] = r.user_id;
    cols.modelName[i] = r.model_name ?? null;
    cols.systemPromptVersion[i] = r.system_prompt_version ?? null;
    cols.latencyMs[i] = r.latency_ms ?? null;
    cols.ttftMs[i] = r.ttft_ms ?? null;
    cols.promptTokens[i] = r.prompt_tokens ?? null;
    cols.completionTokens[i] = r.completion_tokens ?? null;
    const cost = r.cost_usd ?? costFromPrices(r, variant);
    cols.cost[i] = cost === null ? null : cost.toFixed(8);
    cols.userInput[i] = r.user_input ?? null;
    cols.modelOutput[i] = r.model_output ?? null;
    cols.safetyFlag[i] = r.safety_flag ?? null;
    cols.userFeedbackScore[i] = r.user_feedback_score ?? null;
    cols.goalCompleted[i] = r.goal_completed ?? null;
    cols.customMetrics[i] = r.metrics ? JSON.stringify(r.metrics) : null;
    cols.timestamp[i] = r.timestamp ? r.timestamp.toISOString() : null;
    cols.error[i] = r.error ?? null;
  });
  const res = await pool.query<{ n: number }>(
    `WITH inserted AS (
       INSERT INTO "Interaction" ("id", "requestId", "experimentId", "variantId", "userId", "modelName", "systemPromptVersion",
         "latencyMs", "ttftMs", "promptTokens", "completionTokens", "cost", "userInput", "modelOutput", "safetyFlag",
         "userFeedbackScore", "goalCompleted", "customMetrics", "timestamp", "source", "error")
       SELECT id, rid, eid, vid, uid, model, spv, lat, ttft, pt, ct, cost, input, output, safety, feedback, goal, metrics::jsonb,
         COALESCE(ts, now()), $21::"InteractionSource", err
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::float8[], $9::float8[],
         $10::int[], $11::int[], $12::numeric[], $13::text[], $14::text[], $15::boolean[], $16::float8[], $17::boolean[], $18::text[],
         $19::timestamp(3)[], $20::text[])
         AS t(id, rid, eid, vid, uid, model, spv, lat, ttft, pt, ct, cost, input, output, safety, feedback, goal, metrics, ts, err)
       ON CONFLICT ("experimentId", "requestId") DO NOTHING
       RETURNING 1
     ) SELECT count(*)::int AS n FROM inserted`,
    [
      cols.id,
      cols.requestId,
      cols.experimentId,
      cols.variantId,
      cols.userId,
      cols.modelName,
      cols.systemPromptVersion,
      cols.latencyMs,
      cols.ttftMs,
      cols.promptTokens,
      cols.completionTokens,
      cols.cost,
      cols.userInput,
      cols.modelOutput,
      cols.safetyFlag,
      cols.userFeedbackScore,
      cols.goalCompleted,
      cols.customMetrics,
      cols.timestamp,
      cols.error,
      source,
    ],
  );
  const accepted = res.rows[0].n;
  return { accepted, duplicates: n - accepted, rejected: [] };
}
