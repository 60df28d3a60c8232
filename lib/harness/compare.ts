// Two builds' load runs compared (baseline against optimized): varcas's metrics side by side with their deltas, a
// seeded bootstrap interval for the P50/P99 deltas, a rank test for TTFT, TPOT and latency, a two-proportion z test for
// the error rate, and warnings for the ways such a comparison misleads (different traces, shorter answers, throughput
// set by the schedule, a client that was the bottleneck, a single run per side).
//
// Requests are matched by prompt text and occurrence number (the 2nd "hello" of one run with the 2nd of the other).
// When every request matches (both runs replayed the same trace, one run per side), per-request values are paired and
// tested with Wilcoxon's signed-rank test; otherwise the samples are independent (Mann-Whitney U). With two or more runs
// per side, each run gives one value of each metric and the difference is judged against the run-to-run variation with
// Welch's t test: requests of one run share its server's state, so pooling them would overstate the evidence.
import { PLAN_DEFAULTS } from "@/lib/stats/power";
import { mean, sampleStandardDeviation } from "simple-statistics";
import { bootstrapQuantileDifference, BOOTSTRAP_DEFAULTS } from "@/lib/stats/bootstrap";
import { mannWhitneyU, rankSummary } from "@/lib/stats/mannWhitney";
import { twoProportionZTest } from "@/lib/stats/proportions";
import { welchTest } from "@/lib/stats/welch";
import { wilcoxonSignedRank } from "@/lib/stats/wilcoxon";
import { latencyMs, percentile, tpotMs, ttftMs, varcasMetrics } from "./metrics";
import type { HarnessRecord, HarnessResultsFile } from "./types";

/** Defaults: 1000 bootstrap resamples, seed 1, alpha 0.05, a 5% output-length shift, a 50 ms schedule tolerance. */
export const COMPARE_DEFAULTS = {
  ...BOOTSTRAP_DEFAULTS,
  outputShift: 0.05,
  scheduleToleranceS: 0.05,
  alpha: PLAN_DEFAULTS.alpha,
} as const;

/** Per-request measures, ms, over the successful records (varcas's definitions); latency per token = latency / output_tokens. */
const MEASURES = {
  ttft: (r: HarnessRecord) => ttftMs(r),
  tpot: (r: HarnessRecord) => tpotMs(r),
  latency: latencyMs,
  latency_per_token: (r: HarnessRecord) => {
    const l = latencyMs(r);
    return l === null || !(r.output_tokens > 0) ? null : l / r.output_tokens;
  },
} as const;
type Measure = keyof typeof MEASURES;

/** The metrics compared, in order: varcas's names, the error rate, and latency per output token. */
export const COMPARED_METRICS = [
  "throughput_rps",
  "throughput_tok_s",
  "ttft_p50_ms",
  "ttft_p99_ms",
  "tpot_p50_ms",
  "tpot_p99_ms",
  "latency_p50_ms",
  "latency_p99_ms",
  "latency_per_token_p50_ms",
  "latency_per_token_p99_ms",
  "error_rate",
] as const;
export type ComparedMetric = (typeof COMPARED_METRICS)[number];

const QUANTILE_METRICS: Partial<Record<ComparedMetric, { measure: Measure; q: number }>> = {
  ttft_p50_ms: { measure: "ttft", q: 0.5 },
  ttft_p99_ms: { measure: "ttft", q: 0.99 },
  tpot_p50_ms: { measure: "tpot", q: 0.5 },
  tpot_p99_ms: { measure: "tpot", q: 0.99 },
  latency_p50_ms: { measure: "latency", q: 0.5 },
  latency_p99_ms: { measure: "latency", q: 0.99 },
  latency_per_token_p50_ms: { measure: "latency_per_token", q: 0.5 },
  latency_per_token_p99_ms: { measure: "latency_per_token", q: 0.99 },
};

export type TestName = "wilcoxon" | "mann-whitney" | "two-proportion-z" | "welch" | null;

export interface MetricComparison {
  baseline: number;
  optimized: number;
  /** optimized - baseline. */
  delta: number;
  /** optimized / baseline; null when the baseline is 0. */
  ratio: number | null;
  /** 95% interval of the delta: bootstrap (P50/P99), Wald (error rate) or Welch (replicates); null when there is none. */
  ci95: [number, number] | null;
  pValue: number | null;
  test: TestName;
}

export type WarningCode =
  "DIFFERENT_TRACE" | "OUTPUT_LENGTH_SHIFT" | "SCHEDULE_BOUND_THROUGHPUT" | "ERROR_RATE_CHANGE" | "CLIENT_BOUND" | "NO_REPLICATES";

export interface CompareWarning {
  code: WarningCode;
  message: string;
  /** The two sides' figures the warning is about (OUTPUT_LENGTH_SHIFT: mean output tokens). */
  values?: { baseline: number; optimized: number };
}

export interface CompareResult {
  sameTrace: boolean;
  /** Requests matched by prompt text and occurrence; share = matched / the larger side. */
  matchedPrompts: { matched: number; baseline: number; optimized: number; share: number };
  paired: boolean;
  runs: { baseline: number; optimized: number };
  metrics: Record<ComparedMetric, MetricComparison>;
  warnings: CompareWarning[];
}

export interface CompareOptions {
  seed?: number;
  resamples?: number;
  alpha?: number;
}

/** Index pairs (i, j) of records of `a` and `b` with the same prompt text and occurrence number. */
export function matchRequests(a: readonly HarnessRecord[], b: readonly HarnessRecord[]): [number, number][] {
  const bIndex = new Map(requestKeys(b).map((k, j) => [k, j]));
  const pairs: [number, number][] = [];
  requestKeys(a).forEach((k, i) => {
    const j = bIndex.get(k);
    if (j !== undefined) pairs.push([i, j]);
  });
  return pairs;
}

/** "prompt\u0000occurrence" keys of records, in order: the k-th record with a prompt gets occurrence k. */
export function requestKeys(records: readonly HarnessRecord[]): string[] {
  const seen = new Map<string, number>();
  return records.map((r) => {
    const k = seen.get(r.prompt_text) ?? 0;
    seen.set(r.prompt_text, k + 1);
    return `${r.prompt_text}\u0000${k}`;
  });
}

function runValues(file: HarnessResultsFile): Record<ComparedMetric, number> {
  const v = varcasMetrics(file.records);
  const ok = file.records.filter((r) => r.error === null);
  const perToken = ok.map(MEASURES.latency_per_token).filter((x): x is number => x !== null);
  return {
    throughput_rps: v.throughput_rps,
    throughput_tok_s: v.throughput_tok_s,
    ttft_p50_ms: v.ttft_p50_ms,
    ttft_p99_ms: v.ttft_p99_ms,
    tpot_p50_ms: v.tpot_p50_ms,
    tpot_p99_ms: v.tpot_p99_ms,
    latency_p50_ms: v.latency_p50_ms,
    latency_p99_ms: v.latency_p99_ms,
    latency_per_token_p50_ms: percentile(perToken, 50),
    latency_per_token_p99_ms: percentile(perToken, 99),
    error_rate: v.total_requests ? v.failed_requests / v.total_requests : 0,
  };
}

function comparison(baseline: number, optimized: number, ci95: [number, number] | null, pValue: number | null, test: TestName) {
  return { baseline, optimized, delta: optimized - baseline, ratio: baseline !== 0 ? optimized / baseline : null, ci95, pValue, test };
}

/** Whether a run sent on a fixed schedule: config.open_loop (varcas) or the assay section's open_loop / mode; null when unsaid. */
export function openLoopOf(file: HarnessResultsFile): boolean | null {
  const said = file.assay?.open_loop ?? file.config.open_loop;
  if (typeof said === "boolean") return said;
  const mode = file.assay?.mode ?? file.assay?.loop;
  if (mode === "open" || mode === "closed") return mode === "open";
  return null;
}

/** Median |send offset difference| (s) of matched requests, offsets from each run's first send; null without matches. */
function scheduleGap(a: readonly HarnessRecord[], b: readonly HarnessRecord[]): number | null {
  const first = (rs: readonly HarnessRecord[]) => rs.reduce((m, r) => Math.min(m, r.timestamp_sent), Infinity);
  const a0 = first(a);
  const b0 = first(b);
  const offsets = new Map<string, number>();
  requestKeys(a).forEach((k, i) => offsets.set(k, a[i].timestamp_sent - a0));
  const gaps: number[] = [];
  requestKeys(b).forEach((k, i) => {
    const o = offsets.get(k);
    if (o !== undefined) gaps.push(Math.abs(b[i].timestamp_sent - b0 - o));
  });
  return gaps.length ? percentile(gaps, 50) : null;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * Compares runs of a baseline build with runs of an optimized one (see the file's header for the tests). Metrics are
 * varcas's definitions over each run's records; with one run per side the intervals and p-values come from the
 * requests, with several from the runs.
 */
export function compareRuns(
  baselineRuns: readonly HarnessResultsFile[],
  optimizedRuns: readonly HarnessResultsFile[],
  options: CompareOptions = {},
): CompareResult {
  if (!baselineRuns.length || !optimizedRuns.length) throw new Error("compareRuns needs at least one run on each side.");
  const seed = options.seed ?? COMPARE_DEFAULTS.seed;
  const resamples = options.resamples ?? COMPARE_DEFAULTS.resamples;
  const alpha = options.alpha ?? COMPARE_DEFAULTS.alpha;
  const pairs = matchRequests(baselineRuns[0].records, optimizedRuns[0].records);
  const nb = baselineRuns[0].records.length;
  const no = optimizedRuns[0].records.length;
  const larger = Math.max(nb, no);
  const matchedPrompts = { matched: pairs.length, baseline: nb, optimized: no, share: larger ? pairs.length / larger : 0 };
  // Replicates must replay their side's first run too, or the runs differ in workload as well as in build.
  const offTrace: string[] = [];
  for (const [side, runs] of [
    ["baseline", baselineRuns],
    ["optimized", optimizedRuns],
  ] as const)
    runs.slice(1).forEach((run, k) => {
      const n = matchRequests(runs[0].records, run.records).length;
      if (n !== runs[0].records.length || n !== run.records.length)
        offTrace.push(
          `${side} run ${k + 2} matches ${pct(n / Math.max(1, runs[0].records.length, run.records.length))} of its side's first run`,
        );
    });
  const sameTrace = pairs.length === nb && pairs.length === no && offTrace.length === 0;
  const replicates = baselineRuns.length >= 2 && optimizedRuns.length >= 2;
  const paired = sameTrace && baselineRuns.length === 1 && optimizedRuns.length === 1;

  const base = baselineRuns.flatMap((f) => f.records);
  const opt = optimizedRuns.flatMap((f) => f.records);
  const baseRunValues = baselineRuns.map(runValues);
  const optRunValues = optimizedRuns.map(runValues);
  const metrics = {} as Record<ComparedMetric, MetricComparison>;

  if (replicates) {
    for (const name of COMPARED_METRICS) {
      const b = baseRunValues.map((v) => v[name]);
      const o = optRunValues.map((v) => v[name]);
      const w = welchTest(
        { n: o.length, mean: mean(o), sd: sampleStandardDeviation(o) },
        { n: b.length, mean: mean(b), sd: sampleStandardDeviation(b) },
      );
      metrics[name] = comparison(mean(b), mean(o), w?.ci95 ?? null, w?.pValue ?? null, "welch");
    }
  } else {
    // A side with several runs (the other has one) shows the mean of its runs' values; its requests are pooled for the tests.
    const baseValue = (name: ComparedMetric) => mean(baseRunValues.map((v) => v[name]));
    const optValue = (name: ComparedMetric) => mean(optRunValues.map((v) => v[name]));
    const tests = new Map<Measure, { ci: ([number, number] | null)[]; p: number | null; test: TestName }>();
    (Object.keys(MEASURES) as Measure[]).forEach((measure, k) => {
      const f = MEASURES[measure];
      let x: number[];
      let y: number[];
      if (paired) {
        x = [];
        y = [];
        for (const [i, j] of pairs) {
          const bx = base[i].error === null ? f(base[i]) : null;
          const oy = opt[j].error === null ? f(opt[j]) : null;
          if (bx !== null && oy !== null) {
            x.push(bx);
            y.push(oy);
          }
        }
      } else {
        const values = (rs: HarnessRecord[]) =>
          rs
            .filter((r) => r.error === null)
            .map(f)
            .filter((v): v is number => v !== null);
        x = values(base);
        y = values(opt);
      }
      // One seed per measure, so adding a measure never moves another's interval.
      const ci = bootstrapQuantileDifference(x, y, [0.5, 0.99], { seed: (seed + k * 0x9e3779b9) >>> 0, resamples, paired });
      const p = paired
        ? (wilcoxonSignedRank(y, x)?.pValue ?? null)
        : (mannWhitneyU(rankSummary(x, y, "optimized"), x.length, y.length)?.pValue ?? null);
      tests.set(measure, { ci, p, test: paired ? "wilcoxon" : "mann-whitney" });
    });
    for (const name of COMPARED_METRICS) {
      const quantile = QUANTILE_METRICS[name];
      if (quantile) {
        const t = tests.get(quantile.measure)!;
        metrics[name] = comparison(baseValue(name), optValue(name), t.ci[quantile.q === 0.5 ? 0 : 1], t.p, t.test);
      } else if (name === "error_rate") {
        const failures = (rs: HarnessRecord[]) => rs.filter((r) => r.error !== null).length;
        const z = twoProportionZTest({ n: opt.length, successes: failures(opt) }, { n: base.length, successes: failures(base) }, alpha);
        const same = failures(opt) / opt.length === failures(base) / base.length;
        // No failures (or only failures) on both sides: the pooled test is undefined, and there is no difference to find.
        metrics[name] = comparison(
          baseValue(name),
          optValue(name),
          z?.ci95 ?? (same ? [0, 0] : null),
          z?.pValue ?? (same ? 1 : null),
          "two-proportion-z",
        );
      } else {
        metrics[name] = comparison(baseValue(name), optValue(name), null, null, null);
      }
    }
  }

  const warnings: CompareWarning[] = [];
  if (!sameTrace)
    warnings.push({
      code: "DIFFERENT_TRACE",
      message: `The runs did not replay the same trace: ${pairs.length} of ${larger} requests (${pct(matchedPrompts.share)}) match by prompt text and occurrence${offTrace.length ? `, and ${offTrace.join(", ")}` : ""}; requests are compared as independent samples, and differences may come from the workload rather than the build.`,
    });
  const meanOutput = (rs: HarnessRecord[]) => {
    const ok = rs.filter((r) => r.error === null);
    return ok.length ? ok.reduce((s, r) => s + r.output_tokens, 0) / ok.length : 0;
  };
  const mb = meanOutput(base);
  const mo = meanOutput(opt);
  if (mb > 0 && Math.abs(mo - mb) / mb > COMPARE_DEFAULTS.outputShift)
    warnings.push({
      code: "OUTPUT_LENGTH_SHIFT",
      message: `Mean output length changed from ${mb.toFixed(1)} to ${mo.toFixed(1)} tokens (${mo > mb ? "+" : ""}${pct((mo - mb) / mb)}): latency and throughput in tokens move with answer length, so latency per output token (latency_per_token_*) is compared too.`,
      values: { baseline: mb, optimized: mo },
    });
  const loops = [...baselineRuns, ...optimizedRuns].map(openLoopOf);
  const gap = scheduleGap(baselineRuns[0].records, optimizedRuns[0].records);
  const scheduleBound =
    loops.every((l) => l === true) || (loops.every((l) => l !== false) && gap !== null && gap <= COMPARE_DEFAULTS.scheduleToleranceS);
  if (scheduleBound)
    warnings.push({
      code: "SCHEDULE_BOUND_THROUGHPUT",
      message:
        "Both runs sent on a fixed schedule (open loop): throughput_rps follows the schedule's rate while the server keeps up, not the server's capacity. Compare goodput and latency instead, or run closed loop to compare capacity.",
    });
  const errorRate = metrics.error_rate;
  if (errorRate.pValue !== null && errorRate.pValue < alpha)
    warnings.push({
      code: "ERROR_RATE_CHANGE",
      message: `The error rate changed from ${pct(errorRate.baseline)} to ${pct(errorRate.optimized)} (p = ${errorRate.pValue.toPrecision(3)}): latencies are over successful requests only, so a build that fails its slow requests looks faster.`,
    });
  const clientBound = [...baselineRuns.map((f) => ["baseline", f] as const), ...optimizedRuns.map((f) => ["optimized", f] as const)].filter(
    ([, f]) => Array.isArray(f.assay?.flags) && (f.assay.flags as unknown[]).includes("CLIENT_BOUND"),
  );
  if (clientBound.length)
    warnings.push({
      code: "CLIENT_BOUND",
      message: `The load client was the bottleneck in ${[...new Set(clientBound.map(([side]) => side))].join(" and ")} run(s) (flag CLIENT_BOUND): their latencies include the client's own delay. Rerun with more shards or a lighter client before comparing.`,
    });
  if (baselineRuns.length < 2 || optimizedRuns.length < 2)
    warnings.push({
      code: "NO_REPLICATES",
      message: `${baselineRuns.length} baseline and ${optimizedRuns.length} optimized run(s): the tests see request-to-request variation only, not run-to-run (server warm-up, neighbours, thermal state). Run each build at least twice and pass them with --baseline and --optimized to judge against that.`,
    });
  return { sameTrace, matchedPrompts, paired, runs: { baseline: baselineRuns.length, optimized: optimizedRuns.length }, metrics, warnings };
}
