// A run's metrics from its records, two ways side by side. varcasMetrics() recomputes varcas_load_harness.py's own
// `metrics` block exactly (checked against a real varcas file in tests/unit/harness-metrics.test.ts), so Assay's numbers
// for a varcas file are varcas's. assayMetrics() is what Assay reports beside it: only the measured window, in-flight
// requests apart, usage-based token counts, latency from the intended send time, schedule lag, goodput, failures by
// class. Pure: plain records in, plain numbers out.
import { quantileSorted } from "@/lib/stats/quantile";
import type { ErrorClass, HarnessRecord, VarcasMetrics } from "./types";

/** The percentiles Assay reports by default. */
export const DEFAULT_PERCENTILES = [50, 90, 95, 99] as const;

/** numpy.percentile(values, p) (linear interpolation), or `empty` when there are none. */
export function percentile(values: readonly number[], p: number, empty = 0): number {
  if (values.length === 0) return empty;
  return quantileSorted(Float64Array.from(values).sort(), p / 100);
}

/** TTFT of one record, ms: (first token - sent) * 1000 (varcas); null without a first token. */
export function ttftMs(r: HarnessRecord): number | null {
  return r.timestamp_first_token === null ? null : (r.timestamp_first_token - r.timestamp_sent) * 1000;
}

/**
 * TPOT of one record, ms: (last token - first token) * 1000 / (tokens - 1), for tokens > 1 (varcas's definition; the
 * variant dividing by `tokens` does not reproduce varcas's file). `tokens` defaults to the record's output_tokens.
 */
export function tpotMs(r: HarnessRecord, tokens = r.output_tokens): number | null {
  if (r.timestamp_first_token === null || r.timestamp_last_token === null || !(tokens > 1)) return null;
  return ((r.timestamp_last_token - r.timestamp_first_token) * 1000) / (tokens - 1);
}

/** E2E latency of one record from its actual send, ms: (last token - sent) * 1000 (varcas); null without a last token. */
export function latencyMs(r: HarnessRecord): number | null {
  return r.timestamp_last_token === null ? null : (r.timestamp_last_token - r.timestamp_sent) * 1000;
}

function defined(values: (number | null)[]): number[] {
  return values.filter((v): v is number => v !== null);
}

/**
 * varcas's metrics block: successful = records with error null; TTFT, TPOT and latency P50/P99 over the successful
 * records that have them (numpy's linear percentiles, 0 when none); throughput_rps = successes / (max sent - min sent)
 * over all records, throughput_tok_s = successful output_tokens / the same span (0 when the span is 0). As varcas,
 * a record with error null counts as a success, so an Assay record still in flight does too; assayMetrics() does not.
 */
export function varcasMetrics(records: readonly HarnessRecord[]): VarcasMetrics {
  const ok = records.filter((r) => r.error === null);
  const ttft = defined(ok.map((r) => ttftMs(r)));
  const tpot = defined(ok.map((r) => tpotMs(r)));
  const latency = defined(ok.map(latencyMs));
  let first = Infinity;
  let last = -Infinity;
  for (const r of records) {
    first = Math.min(first, r.timestamp_sent);
    last = Math.max(last, r.timestamp_sent);
  }
  const span = records.length > 0 ? last - first : 0;
  const tokens = ok.reduce((s, r) => s + r.output_tokens, 0);
  return {
    total_requests: records.length,
    successful_requests: ok.length,
    failed_requests: records.length - ok.length,
    throughput_rps: span > 0 ? ok.length / span : 0,
    throughput_tok_s: span > 0 ? tokens / span : 0,
    ttft_p50_ms: percentile(ttft, 50),
    ttft_p99_ms: percentile(ttft, 99),
    tpot_p50_ms: percentile(tpot, 50),
    tpot_p99_ms: percentile(tpot, 99),
    latency_p50_ms: percentile(latency, 50),
    latency_p99_ms: percentile(latency, 99),
  };
}

/** A failure's class as Assay names it, or "other". */
export type FailureClass = ErrorClass | "other";

/**
 * The class of a varcas error string (varcas records only the text): an HTTP status 429 -> http_429, 4xx -> http_4xx,
 * 5xx -> http_5xx; "timeout"/"timed out" -> timeout; connection refused/reset (ECONNREFUSED, ECONNRESET) -> connection;
 * anything else -> other.
 */
export function classifyErrorText(text: string): FailureClass {
  // URLs carry ports and paths that look like codes; a status is a 4xx/5xx next to "http", "status", "error" or at the start.
  const t = text.toLowerCase().replace(/[a-z]+:\/\/\S+/g, " ");
  const status = /(?:http|status|error|code)\D{0,12}?\b([45]\d\d)\b/.exec(t) ?? /^\W*([45]\d\d)\b/.exec(t);
  if (status) {
    const code = Number(status[1]);
    if (code === 429) return "http_429";
    return code >= 500 ? "http_5xx" : "http_4xx";
  }
  if (/timeout|timed out/.test(t)) return "timeout";
  if (/connection (refused|reset)|econnrefused|econnreset|connection aborted|cannot connect/.test(t)) return "connection";
  return "other";
}

/** A distribution: count, mean, max and the requested percentiles as p50, p90, ... (null when count is 0). */
export type Distribution = { count: number; mean: number | null; max: number | null } & { [key: `p${number}`]: number | null };

/** count, mean, max and numpy-linear percentiles of `values`. */
export function distribution(values: readonly number[], percentiles: readonly number[] = DEFAULT_PERCENTILES): Distribution {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const out: Distribution = { count: n, mean: n ? sorted.reduce((s, v) => s + v, 0) / n : null, max: n ? sorted[n - 1] : null };
  for (const p of percentiles) out[`p${p}`] = n ? quantileSorted(sorted, p / 100) : null;
  return out;
}

/** Service-level objectives for goodput, ms (vLLM's --goodput ttft:, tpot:, e2el:). */
export interface Slo {
  ttftMs?: number;
  tpotMs?: number;
  e2elMs?: number;
}

export interface AssayMetricsOptions {
  percentiles?: readonly number[];
  slo?: Slo;
}

export interface AssayMetrics {
  /** Records in the measured window (assay.measured !== false); warm-up and cool-down are left out. */
  measuredRequests: number;
  successful: number;
  failed: number;
  /** Still running when the run stopped: neither a success nor a failure. Always 0 for varcas's files. */
  inFlight: number;
  /** First intended (else actual) send to the last completion, s. */
  windowS: number;
  throughputRps: number;
  /** Output tokens of the successful requests: the server's usage where it gave one, else the record's count. */
  outputTokens: number;
  outputTokensPerS: number;
  /** Where those counts came from: "usage", "estimate" (Assay's characters / 4), "file" (a varcas record, no `assay`). */
  tokensSource: { usage: number; estimate: number; file: number };
  /** Successful requests meeting every SLO, and their rate over the window; null without an SLO. */
  goodput: { slo: Slo; requests: number; perS: number; share: number } | null;
  ttftMs: Distribution;
  tpotMs: Distribution;
  /** Gaps between content chunks over every successful request (assay.itl_ms, flattened). */
  itlMs: Distribution;
  /** From the actual send. */
  e2eMs: Distribution;
  /** From the intended send (records with assay.intended_send_time): includes any lag behind the schedule. */
  e2eFromIntendedMs: Distribution;
  /** (sent - intended) * 1000 - slot wait: how late the client itself sent, beyond waiting for a concurrency slot. */
  scheduleLagMs: Distribution;
  slotWaitMs: Distribution;
  /** Failed requests by class. */
  errors: Record<string, number>;
}

function statusOf(r: HarnessRecord): "ok" | "error" | "in_flight" {
  return r.assay?.status ?? (r.error === null ? "ok" : "error");
}

function outputTokensOf(r: HarnessRecord): number {
  return r.assay?.usage_output_tokens ?? r.output_tokens;
}

/** A failed record's class: Assay's error_class, else the class of its error text. */
export function failureClassOf(r: HarnessRecord): FailureClass {
  return r.assay?.error_class ?? classifyErrorText(r.error ?? "");
}

/**
 * Assay's metrics of a run over its measured records (see AssayMetrics). TPOT uses the usage token count when present;
 * goodput counts a success whose TTFT, TPOT (when defined: more than one token) and E2E from the actual send are each at
 * most its SLO, as vLLM's benchmark_serving does, per second of the window.
 */
export function assayMetrics(records: readonly HarnessRecord[], options: AssayMetricsOptions = {}): AssayMetrics {
  const percentiles = options.percentiles ?? DEFAULT_PERCENTILES;
  const measured = records.filter((r) => r.assay?.measured !== false);
  const ok = measured.filter((r) => statusOf(r) === "ok");
  const failed = measured.filter((r) => statusOf(r) === "error");
  const inFlight = measured.length - ok.length - failed.length;

  let start = Infinity;
  for (const r of measured) start = Math.min(start, r.assay?.intended_send_time ?? r.timestamp_sent, r.timestamp_sent);
  let end = -Infinity;
  for (const r of ok) if (r.timestamp_last_token !== null) end = Math.max(end, r.timestamp_last_token);
  const windowS = Number.isFinite(start) && Number.isFinite(end) && end > start ? end - start : 0;
  const rate = (n: number) => (windowS > 0 ? n / windowS : 0);

  const tokensSource = { usage: 0, estimate: 0, file: 0 };
  let outputTokens = 0;
  for (const r of ok) {
    outputTokens += outputTokensOf(r);
    if (!r.assay) tokensSource.file++;
    else if (r.assay.usage_output_tokens !== null) tokensSource.usage++;
    else tokensSource.estimate++;
  }

  const ttft = ok.map(ttftMs);
  const tpot = ok.map((r) => tpotMs(r, outputTokensOf(r)));
  const e2e = ok.map(latencyMs);
  let goodput: AssayMetrics["goodput"] = null;
  if (options.slo) {
    const slo = options.slo;
    const meets = (v: number | null, limit: number | undefined, required: boolean) =>
      limit === undefined || (v === null ? !required : v <= limit);
    let good = 0;
    for (let i = 0; i < ok.length; i++)
      if (meets(ttft[i], slo.ttftMs, true) && meets(tpot[i], slo.tpotMs, false) && meets(e2e[i], slo.e2elMs, true)) good++;
    goodput = { slo, requests: good, perS: rate(good), share: ok.length ? good / ok.length : 0 };
  }

  const withIntended = measured.filter((r) => r.assay && statusOf(r) !== "in_flight");
  const errors: Record<string, number> = {};
  for (const r of failed) {
    const c = failureClassOf(r);
    errors[c] = (errors[c] ?? 0) + 1;
  }
  const dist = (values: (number | null)[]) => distribution(defined(values), percentiles);
  return {
    measuredRequests: measured.length,
    successful: ok.length,
    failed: failed.length,
    inFlight,
    windowS,
    throughputRps: rate(ok.length),
    outputTokens,
    outputTokensPerS: rate(outputTokens),
    tokensSource,
    goodput,
    ttftMs: dist(ttft),
    tpotMs: dist(tpot),
    itlMs: dist(ok.flatMap((r) => r.assay?.itl_ms ?? [])),
    e2eMs: dist(e2e),
    e2eFromIntendedMs: dist(
      ok.map((r) => (r.assay && r.timestamp_last_token !== null ? (r.timestamp_last_token - r.assay.intended_send_time) * 1000 : null)),
    ),
    scheduleLagMs: dist(withIntended.map((r) => (r.timestamp_sent - r.assay!.intended_send_time) * 1000 - r.assay!.slot_wait_ms)),
    slotWaitMs: dist(withIntended.map((r) => r.assay!.slot_wait_ms)),
    errors,
  };
}
