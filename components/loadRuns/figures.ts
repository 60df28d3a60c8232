// How load-test numbers and states read on screen: one place, so the list, the run page and the comparison agree.

export const RUN_STATUS_WORDS: Record<string, string> = {
  QUEUED: "Waiting to start",
  RUNNING: "Running",
  MERGING: "Gathering results",
  SUCCEEDED: "Finished",
  FAILED: "Failed",
  CANCELLED: "Cancelled",
};

export const runStatusWords = (status: string) => RUN_STATUS_WORDS[status] ?? status.toLowerCase();

export const runStatusTone = (status: string) =>
  status === "SUCCEEDED" ? "green" : status === "FAILED" ? "red" : status === "CANCELLED" ? "gray" : "blue";

/** A time in ms: whole ms from 100, one decimal below, "—" when unknown. */
export function ms(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  return Math.abs(x) >= 100 ? `${Math.round(x).toLocaleString("en-US")} ms` : `${(Math.round(x * 10) / 10).toFixed(1)} ms`;
}

/** A rate per second, two significant decimals. */
export function perSecond(x: number | null | undefined, unit = "requests/s"): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  return `${x >= 100 ? Math.round(x).toLocaleString("en-US") : (Math.round(x * 100) / 100).toFixed(2)} ${unit}`;
}

export const count = (x: number | null | undefined) => (x === null || x === undefined ? "—" : x.toLocaleString("en-US"));

/** What the failure classes mean. */
export const FAILURE_WORDS: Record<string, string> = {
  http_429: "Too many requests (the server asked the client to slow down)",
  http_4xx: "Refused by the server (a 4xx answer: a bad request, a wrong model or key)",
  http_5xx: "Server error (a 5xx answer)",
  timeout: "No answer in time",
  connection: "Could not connect, or the connection dropped",
  malformed_stream: "An answer that could not be read",
  cancelled: "Stopped by a cancel",
  other: "Other errors",
};

/** The compared metrics in plain words, with the unit their values read in. */
export const COMPARED_WORDS: Record<string, { label: string; unit: "ms" | "rps" | "tok" | "share"; lowerIsBetter: boolean }> = {
  throughput_rps: { label: "Requests per second", unit: "rps", lowerIsBetter: false },
  throughput_tok_s: { label: "Output tokens per second", unit: "tok", lowerIsBetter: false },
  ttft_p50_ms: { label: "First token, median", unit: "ms", lowerIsBetter: true },
  ttft_p99_ms: { label: "First token, 99th pct.", unit: "ms", lowerIsBetter: true },
  tpot_p50_ms: { label: "Per output token, median", unit: "ms", lowerIsBetter: true },
  tpot_p99_ms: { label: "Per output token, 99th pct.", unit: "ms", lowerIsBetter: true },
  latency_p50_ms: { label: "Whole answer, median", unit: "ms", lowerIsBetter: true },
  latency_p99_ms: { label: "Whole answer, 99th pct.", unit: "ms", lowerIsBetter: true },
  latency_per_token_p50_ms: { label: "Whole answer per token, median", unit: "ms", lowerIsBetter: true },
  latency_per_token_p99_ms: { label: "Whole answer per token, 99th pct.", unit: "ms", lowerIsBetter: true },
  error_rate: { label: "Failed requests", unit: "share", lowerIsBetter: true },
};

export function valueIn(unit: "ms" | "rps" | "tok" | "share", x: number | null): string {
  if (x === null || !Number.isFinite(x)) return "—";
  if (unit === "ms") return ms(x);
  if (unit === "rps") return perSecond(x);
  if (unit === "tok") return perSecond(x, "tokens/s");
  return `${(Math.round(x * 10000) / 100).toFixed(2)}%`;
}

/** A change with its sign. */
export function signedIn(unit: "ms" | "rps" | "tok" | "share", x: number | null): string {
  if (x === null || !Number.isFinite(x)) return "—";
  return `${x > 0 ? "+" : x < 0 ? "−" : ""}${valueIn(unit, Math.abs(x))}`;
}

/**
 * The verdict on one compared metric: "no clear difference" when the 95% interval covers 0 (or, without an interval, when
 * p is 0.05 or more), else better or worse in the direction that matters for it.
 */
export function verdictOf(
  m: { delta: number; ci95: [number, number] | null; pValue: number | null },
  lowerIsBetter: boolean,
): { words: string; tone: "gray" | "green" | "red" } {
  const covers0 = m.ci95 ? m.ci95[0] <= 0 && m.ci95[1] >= 0 : m.pValue === null ? null : m.pValue >= 0.05;
  if (covers0 === null) return { words: "not tested", tone: "gray" };
  if (covers0 || m.delta === 0) return { words: "no clear difference", tone: "gray" };
  const better = lowerIsBetter ? m.delta < 0 : m.delta > 0;
  return better ? { words: "clearly better", tone: "green" } : { words: "clearly worse", tone: "red" };
}
