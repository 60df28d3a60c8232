// Reads a results file, varcas's or Assay's (varcas's keys plus `assay` sections), checking every record with zod so a
// bad file is refused with the record index and the field to fix, never half-read. A file without a `metrics` block
// gets varcas's, recomputed from its records.
import fs from "node:fs";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { varcasMetrics } from "./metrics";
import type { HarnessResultsFile } from "./types";

/** A results file that cannot be read: `message` names the file, the record index and the field. */
export class ResultsFileError extends AppError {
  constructor(
    message: string,
    public readonly field: string | null = null,
  ) {
    super("VALIDATION", message, field ? { field } : undefined);
    this.name = "ResultsFileError";
  }
}

const finite = z.number().refine(Number.isFinite, "expected a finite number");
const count = z.number().int().nonnegative();

export const assayRecordFieldsSchema = z.object({
  intended_send_time: finite,
  status: z.enum(["ok", "error", "in_flight"]),
  error_class: z.enum(["http_4xx", "http_429", "http_5xx", "timeout", "connection", "malformed_stream", "cancelled"]).nullable(),
  http_status: z.number().int().nullable(),
  slot_wait_ms: finite.nonnegative(),
  usage_input_tokens: count.nullable(),
  usage_output_tokens: count.nullable(),
  tokens_source: z.enum(["usage", "estimate"]),
  itl_ms: z.array(finite).default([]),
  measured: z.boolean().default(true),
  shard: count.default(0),
});

export const harnessRecordSchema = z.object({
  request_id: z.string(),
  workload_name: z.string(),
  timestamp_sent: finite,
  timestamp_first_token: finite.nullable(),
  timestamp_last_token: finite.nullable(),
  input_tokens: count,
  output_tokens: count,
  prompt_text: z.string(),
  output_text: z
    .string()
    .nullable()
    .transform((s) => s ?? ""),
  error: z.string().nullable(),
  assay: assayRecordFieldsSchema.optional(),
});

const varcasMetricsSchema = z.object({
  total_requests: count,
  successful_requests: count,
  failed_requests: count,
  throughput_rps: finite,
  throughput_tok_s: finite,
  ttft_p50_ms: finite,
  ttft_p99_ms: finite,
  tpot_p50_ms: finite,
  tpot_p99_ms: finite,
  latency_p50_ms: finite,
  latency_p99_ms: finite,
});

export const resultsFileSchema = z.object({
  experiment_id: z.string().default(""),
  profile_name: z.string().default(""),
  config: z.record(z.string(), z.unknown()).default({}),
  start_time: z.string().default(""),
  end_time: z.string().default(""),
  metrics: varcasMetricsSchema.optional(),
  records: z.array(harnessRecordSchema),
  assay: z.record(z.string(), z.unknown()).optional(),
});

/** "records[12].timestamp_sent" from a zod path. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, k) => (typeof k === "number" ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), "");
}

/** A results file from its JSON text; `source` (the path) starts every error message. */
export function parseResultsText(text: string, source = "results file"): HarnessResultsFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ResultsFileError(`${source}: not valid JSON (${(err as Error).message}).`);
  }
  const parsed = resultsFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = fieldName(issue.path);
    const hint = field === "records" ? " (a results file has a records array; a trace file has prompts instead)" : "";
    throw new ResultsFileError(`${source}: ${field || "top level"}: ${issue.message}${hint}.`, field || null);
  }
  const { metrics, ...rest } = parsed.data;
  return { ...rest, metrics: metrics ?? varcasMetrics(rest.records) };
}

/** A results file from a path, or from JSON text when the argument starts with "{". */
export function parseResultsFile(textOrPath: string): HarnessResultsFile {
  if (textOrPath.trimStart().startsWith("{")) return parseResultsText(textOrPath);
  let text: string;
  try {
    text = fs.readFileSync(textOrPath, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ResultsFileError(code === "ENOENT" ? `${textOrPath}: no such file.` : `${textOrPath}: cannot read it (${code}).`);
  }
  return parseResultsText(text, textOrPath);
}
