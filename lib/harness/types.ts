// The load harness's shared shapes: what a trace or a workload asks to send (TraceRequest), and what a run recorded
// (HarnessRecord, a varcas results record with Assay's own fields beside it under `assay`). The trace readers
// (lib/harness/traces), the scheduler and client (lib/harness/run*.ts), and the metrics and comparisons
// (lib/harness/metrics.ts, compare.ts) all speak these.

/** One request to send. Times are seconds from the run's start; lengths are tokens. */
export interface TraceRequest {
  /** Seconds from the start of the run (0 for the first), never decreasing along a trace. */
  timestamp: number;
  /** The prompt's text; null when the trace gives only lengths (Azure, BurstGPT, Mooncake): the harness then synthesises one of inputTokens tokens. */
  prompt: string | null;
  /** Chat messages when the trace has a conversation (ShareGPT); the harness then sends them to /v1/chat/completions as given. */
  messages?: { role: "system" | "user" | "assistant"; content: string }[];
  /** The most tokens to generate. */
  maxTokens: number;
  /** The workload's name or type ("chat", "rag", "code", ...); "trace" when the file has none. */
  workloadType: string;
  /** The prompt's length in tokens as the trace records it (null when unknown). */
  inputTokens: number | null;
  /** The answer's length in tokens as the trace records it (null when unknown). */
  outputTokens: number | null;
  /** Sampling settings the trace carries, overridable by flags. */
  temperature?: number;
  seed?: number;
  ignoreEos?: boolean;
}

/** Where a request ended. `in_flight`: still running when the run stopped, never counted as a success. */
export type RecordStatus = "ok" | "error" | "in_flight";

/** Why a request failed. */
export type ErrorClass = "http_4xx" | "http_429" | "http_5xx" | "timeout" | "connection" | "malformed_stream" | "cancelled";

/** Assay's fields of one record (absent from varcas's own files). Times are Unix seconds, durations ms. */
export interface AssayRecordFields {
  /** When the schedule meant to send it (start + offset). */
  intended_send_time: number;
  status: RecordStatus;
  error_class: ErrorClass | null;
  http_status: number | null;
  /** How long it waited for a slot under --max-concurrency before it was sent. */
  slot_wait_ms: number;
  /** Token counts as the server's `usage` gave them (null when it gave none). */
  usage_input_tokens: number | null;
  usage_output_tokens: number | null;
  /** Where the record's input_tokens/output_tokens came from: the server's usage, or an estimate (characters / 4). */
  tokens_source: "usage" | "estimate";
  /** Gaps between successive content chunks, ms (the inter-token latencies as the client saw them). */
  itl_ms: number[];
  /** Within the measured window (false: warm-up or cool-down, left out of Assay's metrics). */
  measured: boolean;
  /** Which shard of a distributed run sent it (0 when not sharded). */
  shard: number;
}

/** One request of a results file: varcas's keys exactly, and Assay's beside them (absent in varcas's files). */
export interface HarnessRecord {
  request_id: string;
  workload_name: string;
  /** Unix seconds, as sent. */
  timestamp_sent: number;
  timestamp_first_token: number | null;
  timestamp_last_token: number | null;
  input_tokens: number;
  output_tokens: number;
  prompt_text: string;
  output_text: string;
  error: string | null;
  assay?: AssayRecordFields;
}

/** varcas's `metrics` block, with its names. */
export interface VarcasMetrics {
  total_requests: number;
  successful_requests: number;
  failed_requests: number;
  throughput_rps: number;
  throughput_tok_s: number;
  ttft_p50_ms: number;
  ttft_p99_ms: number;
  tpot_p50_ms: number;
  tpot_p99_ms: number;
  latency_p50_ms: number;
  latency_p99_ms: number;
}

/** A results file: varcas's keys, plus an `assay` section in Assay's own files. */
export interface HarnessResultsFile {
  experiment_id: string;
  profile_name: string;
  config: Record<string, unknown>;
  start_time: string;
  end_time: string;
  metrics: VarcasMetrics;
  records: HarnessRecord[];
  assay?: Record<string, unknown>;
}
