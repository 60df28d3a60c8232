// What the load-testing pages draw, computed once from a run's records (at merge or import) and kept in its summary:
// the latency CDF, TTFT and TPOT histograms, throughput and in-flight requests per second, and the schedule lag; and
// for a trace, its request rate over time and its length histograms.
import { latencyMs, tpotMs, ttftMs } from "@/lib/harness/metrics";
import type { HarnessRecord, TraceRequest } from "@/lib/harness/types";

export interface HistogramBin {
  from: number;
  to: number;
  count: number;
}

/** Equal-width bins from the smallest value to the 99.5th percentile (the last bin takes the rest). */
export function histogram(values: number[], bins = 24): HistogramBin[] {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return [];
  const lo = v[0];
  const hi = v[Math.min(v.length - 1, Math.floor(v.length * 0.995))];
  const width = hi > lo ? (hi - lo) / bins : 1;
  const out: HistogramBin[] = Array.from({ length: hi > lo ? bins : 1 }, (_, i) => ({
    from: round(lo + i * width),
    to: round(lo + (i + 1) * width),
    count: 0,
  }));
  for (const x of v) out[Math.min(out.length - 1, Math.floor((x - lo) / width))].count++;
  return out;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The CDF at 101 points: the latency at each percentile 0..100. */
export function cdf(values: number[]): { p: number; ms: number }[] {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return [];
  return Array.from({ length: 101 }, (_, p) => {
    const h = (v.length - 1) * (p / 100);
    const i = Math.floor(h);
    return { p, ms: round(v[i] + (h - i) * ((v[Math.min(i + 1, v.length - 1)] ?? v[i]) - v[i])) };
  });
}

export interface RunCharts {
  latencyCdf: { p: number; ms: number }[];
  ttftHistogram: HistogramBin[];
  tpotHistogram: HistogramBin[];
  /** Per second from the first send: requests sent, answers completed, failures, and requests in flight at some moment of it. */
  timeline: { t: number; sent: number; completed: number; inFlight: number; failed: number }[];
  /** Schedule lag (ms) per second: the worst and the median of the sends in that second. */
  lagTimeline: { t: number; p50: number; max: number }[];
  lagHistogram: HistogramBin[];
}

export function runCharts(records: readonly HarnessRecord[]): RunCharts {
  const ok = records.filter((r) => (r.assay?.status ?? (r.error === null ? "ok" : "error")) === "ok");
  const num = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null);
  const start = records.reduce((m, r) => Math.min(m, r.timestamp_sent), records.length ? Infinity : 0);
  const seconds = Math.min(
    3600,
    Math.ceil(records.reduce((m, r) => Math.max(m, (r.timestamp_last_token ?? r.timestamp_sent) - start), 0)) + 1,
  );
  const sent = new Array(seconds).fill(0);
  const completed = new Array(seconds).fill(0);
  const failed = new Array(seconds).fill(0);
  const delta = new Array(seconds + 1).fill(0);
  const lags: number[][] = Array.from({ length: seconds }, () => []);
  const allLags: number[] = [];
  for (const r of records) {
    const s = Math.min(seconds - 1, Math.floor(r.timestamp_sent - start));
    sent[s]++;
    delta[s]++;
    const endT = r.timestamp_last_token ?? (r.assay?.status === "in_flight" ? null : (r.timestamp_first_token ?? r.timestamp_sent));
    const e = endT === null ? seconds : Math.min(seconds, Math.floor(endT - start) + 1);
    delta[e]--;
    const isOk = (r.assay?.status ?? (r.error === null ? "ok" : "error")) === "ok";
    if (endT !== null) (isOk ? completed : failed)[Math.min(seconds - 1, Math.floor(endT - start))]++;
    if (r.assay) {
      const lag = (r.timestamp_sent - r.assay.intended_send_time) * 1000 - r.assay.slot_wait_ms;
      lags[s].push(lag);
      allLags.push(lag);
    }
  }
  let running = 0;
  const timeline = sent.map((n, t) => {
    running += delta[t];
    return { t, sent: n, completed: completed[t], failed: failed[t], inFlight: running };
  });
  const lagTimeline = lags
    .map((xs, t) => {
      if (!xs.length) return null;
      xs.sort((a, b) => a - b);
      return { t, p50: round(xs[Math.floor((xs.length - 1) / 2)]), max: round(xs[xs.length - 1]) };
    })
    .filter((x): x is { t: number; p50: number; max: number } => x !== null);
  return {
    latencyCdf: cdf(num(ok.map(latencyMs))),
    ttftHistogram: histogram(num(ok.map(ttftMs))),
    tpotHistogram: histogram(num(ok.map((r) => tpotMs(r)))),
    timeline,
    lagTimeline,
    lagHistogram: histogram(allLags),
  };
}

export interface TraceStats {
  requests: number;
  spanS: number | null;
  meanRate: number | null;
  inputTokens: { mean: number | null; max: number | null; histogram: HistogramBin[] };
  outputTokens: { mean: number | null; max: number | null; histogram: HistogramBin[] };
  /** Requests per second over the trace, at most 600 points (wider buckets for long traces). */
  rate: { t: number; perS: number }[];
  workloads: Record<string, number>;
}

export function traceStats(requests: readonly TraceRequest[], hasTimestamps: boolean): TraceStats {
  const n = requests.length;
  const span = hasTimestamps && n > 1 ? requests[n - 1].timestamp - requests[0].timestamp : null;
  const lengths = (xs: (number | null)[]) => {
    const v = xs.filter((x): x is number => x !== null && Number.isFinite(x));
    return {
      mean: v.length ? round(v.reduce((a, b) => a + b, 0) / v.length) : null,
      max: v.length ? v.reduce((m, x) => Math.max(m, x), -Infinity) : null,
      histogram: histogram(v, 20),
    };
  };
  const rate: { t: number; perS: number }[] = [];
  if (span && span > 0) {
    const bucket = Math.max(1, Math.ceil(span / 600));
    const counts = new Array(Math.floor(span / bucket) + 1).fill(0);
    for (const r of requests) counts[Math.floor((r.timestamp - requests[0].timestamp) / bucket)]++;
    counts.forEach((c, i) => rate.push({ t: i * bucket, perS: round(c / bucket) }));
  }
  const workloads: Record<string, number> = {};
  for (const r of requests) workloads[r.workloadType] = (workloads[r.workloadType] ?? 0) + 1;
  return {
    requests: n,
    spanS: span === null ? null : round(span),
    meanRate: span && span > 0 ? round((n - 1) / span) : null,
    inputTokens: lengths(requests.map((r) => r.inputTokens)),
    outputTokens: lengths(requests.map((r) => r.outputTokens ?? r.maxTokens)),
    rate,
    workloads,
  };
}
