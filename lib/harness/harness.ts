// One load run from start to file: the plan from a profile or a trace and the flags, the run (lib/harness/run.ts), and
// the results in varcas's format (all its keys, its own metric definitions) with an `assay` section beside them: the
// schedule that was asked for, the schedule lag and achieved rate that were measured, the client's CPU, the run's flags
// (CLIENT_BOUND when the client, not the server, limited the run) and Assay's metrics. Shared by `assay harness`, the
// load-run worker job and the shards of a distributed run (each replays every N-th request of one schedule, all aligned
// on one absolute start time, and mergeShardResults joins them).
import { randomBytes } from "node:crypto";
import { arrivalOffsets, traceOffsets, type ArrivalProcess } from "./arrivals";
import { assayMetrics, varcasMetrics, type Slo } from "./metrics";
import type { Profile } from "./profiles";
import { runLoad, type RunOutput, type RunProgress, type SamplingOverrides } from "./run";
import type { HarnessRecord, HarnessResultsFile, TraceRequest } from "./types";
import { promptForLengths, synthesiseRequest, type ContextLimit } from "./workload";
import type { CompletionEndpoint } from "@/lib/openai/stream";
import { getJson, openaiBase, openaiUrl, UpstreamFailure } from "@/lib/openai/transport";
import { pythonIsoformat } from "@/lib/format/dateTime";

/** A run whose schedule lag p99 is above this (ms) is flagged CLIENT_BOUND. */
export const CLIENT_BOUND_LAG_P99_MS = 5;
/** ... or whose achieved rate falls short of the schedule's by more than this share. */
export const CLIENT_BOUND_RATE_SHORTFALL = 0.01;

export interface HarnessSource {
  /** A built-in or custom profile (synthetic prompts), or */
  profile?: Profile;
  /** a trace's requests, in order. */
  trace?: { requests: TraceRequest[]; hasTimestamps: boolean; format: string; name: string };
}

export interface HarnessOptions extends HarnessSource {
  url: string;
  apiKey: string | null;
  model: string;
  endpoint: CompletionEndpoint;
  /** Stop sending after this many seconds of schedule (profile default: its durationS; a trace: its own span). */
  durationS?: number | null;
  /** At most this many requests (vLLM's --num-prompts). */
  numPrompts?: number | null;
  /** Open loop at this rate (requests/s); for a trace, replaces its timestamps. */
  requestRate?: number | null;
  /** Closed loop with this many users (varcas's --concurrent-users). */
  concurrentUsers?: number | null;
  arrival?: ArrivalProcess | null;
  burstiness?: number | null;
  seed: number;
  /** A trace replayed this many times faster (2 = twice the rate). */
  timeScale?: number;
  maxConcurrency?: number | null;
  context?: ContextLimit | null;
  overrides: SamplingOverrides;
  timeoutMs: number;
  warmupS: number;
  cooldownS: number;
  drainS: number;
  slo?: Slo | null;
  percentiles?: number[];
  /** Distributed runs: this shard of `shards` sends requests i with i % shards === shard, from startAtMs. */
  shard?: number;
  shards?: number;
  startAtMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: RunProgress) => void;
  onPlan?: (p: { total: number; openLoop: boolean; targetRate: number | null }) => void;
}

export interface PlannedRun {
  requests: TraceRequest[];
  /** Open loop: send offsets (s). Absent: closed loop. */
  offsets?: Float64Array;
  concurrentUsers?: number;
  durationS?: number;
  /** The schedule's own rate ((n - 1) / span of offsets), null for closed loop. */
  targetRate: number | null;
  arrival: ArrivalProcess | "trace" | "closed";
  profileName: string;
}

function fail(message: string): never {
  throw new HarnessError(message);
}

/** The server could not be asked for its models: a runtime failure (exit 1), not a usage error. */
function unreachable(message: string): never {
  throw new Error(message);
}

/** A problem with the run's settings or source, worded for the person who gave them. */
export class HarnessError extends Error {}

/**
 * Builds the whole schedule (every shard builds the same one and keeps its part). `countOnly`: the schedule's size and
 * errors without synthesising a profile's prompts (requests is then an empty array of the right length).
 */
export function planRun(o: HarnessOptions, countOnly = false): PlannedRun {
  const shards = o.shards ?? 1;
  const shard = o.shard ?? 0;
  if (!Number.isInteger(shards) || shards < 1 || !Number.isInteger(shard) || shard < 0 || shard >= shards) {
    fail(`shard ${shard} of ${shards} does not exist`);
  }
  const limit = o.numPrompts ?? undefined;
  let requests: TraceRequest[];
  let offsets: Float64Array | undefined;
  let arrival: PlannedRun["arrival"];
  let concurrentUsers: number | undefined;
  let durationS: number | undefined;
  let profileName: string;

  if (o.trace) {
    profileName = `trace:${o.trace.name}`;
    const all = o.trace.requests;
    if (all.length === 0) fail(`the trace ${o.trace.name} has no requests`);
    requests = all.map((r, i) =>
      r.prompt === null && !r.messages ? { ...r, prompt: promptForLengths(o.seed, i, r.inputTokens ?? 1, "chat") } : r,
    );
    if (o.concurrentUsers) {
      concurrentUsers = o.concurrentUsers;
      durationS = o.durationS ?? undefined;
      arrival = "closed";
      if (limit !== undefined) requests = requests.slice(0, limit);
    } else if (o.requestRate || !o.trace.hasTimestamps) {
      const rate = o.requestRate ?? fail(`the ${o.trace.format} file has no timestamps: give a --request-rate or --concurrent-users`);
      arrival = o.arrival ?? "poisson";
      offsets = arrivalOffsets(
        { process: arrival, rate, burstiness: o.burstiness ?? 1, seed: o.seed },
        { durationS: o.durationS ?? undefined, limit: Math.min(limit ?? Infinity, requests.length) },
      );
      requests = requests.slice(0, offsets.length);
    } else {
      arrival = "trace";
      offsets = traceOffsets(
        requests.map((r) => r.timestamp),
        o.timeScale ?? 1,
      );
      let n = offsets.length;
      if (limit !== undefined) n = Math.min(n, limit);
      if (o.durationS) while (n > 0 && offsets[n - 1] >= o.durationS) n--;
      offsets = offsets.slice(0, n);
      requests = requests.slice(0, n);
    }
  } else {
    const p = o.profile ?? fail("give a --profile or a --trace");
    profileName = p.name;
    const users = o.concurrentUsers ?? (o.requestRate ? null : p.concurrentUsers);
    const duration = o.durationS ?? (limit !== undefined ? null : p.durationS);
    if (users) {
      arrival = "closed";
      concurrentUsers = users;
      durationS = duration ?? undefined;
      // Closed loop sends as fast as answers come: enough requests for any duration, made on demand would be nicer,
      // but a fixed list keeps request i's prompt the same across runs; at most numPrompts or 1,000 per user-minute.
      const n = limit ?? Math.min(1_000_000, Math.ceil(users * Math.max(1, (duration ?? 60) / 60) * 1000));
      requests = countOnly
        ? new Array<TraceRequest>(n)
        : Array.from({ length: n }, (_, i) => synthesiseRequest(p, o.seed, i, 0, o.context ?? null));
    } else {
      const rate = o.requestRate ?? p.rate;
      arrival = o.arrival ?? p.arrival;
      offsets = arrivalOffsets(
        { process: arrival, rate, burstiness: o.burstiness ?? p.burstiness, seed: o.seed },
        { durationS: duration ?? undefined, limit },
      );
      requests = countOnly
        ? new Array<TraceRequest>(offsets.length)
        : Array.from(offsets, (t, i) => synthesiseRequest(p, o.seed, i, t, o.context ?? null));
    }
  }
  if (requests.length === 0) fail("the schedule is empty: the duration is too short for the rate");
  if (o.context && o.trace) {
    const room = Math.max(2, o.context.maxContext - o.context.margin);
    requests = requests.map((r) =>
      r.inputTokens !== null && r.inputTokens + r.maxTokens > room ? { ...r, maxTokens: Math.max(1, room - r.inputTokens) } : r,
    );
  }
  const targetRate = offsets && offsets.length > 1 ? (offsets.length - 1) / (offsets[offsets.length - 1] - offsets[0] || Infinity) : null;
  if (shards > 1) {
    const keep = (_: unknown, i: number) => i % shards === shard;
    requests = requests.filter(keep);
    if (offsets) offsets = offsets.filter(keep);
    if (concurrentUsers) concurrentUsers = Math.max(1, Math.round(concurrentUsers / shards));
  }
  return { requests, offsets, concurrentUsers, durationS, targetRate, arrival, profileName };
}

/** numpy-style linear-interpolation percentile of sorted values. */
function pct(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * (p / 100);
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

const r3 = (v: number | null) => (v === null || !Number.isFinite(v) ? null : Math.round(v * 1000) / 1000);

/** The schedule lag (actual minus intended send, less any slot wait) and slot wait, and the achieved send rate. */
export function scheduleFigures(records: HarnessRecord[], targetRate: number | null, openLoop: boolean) {
  const sentRecords = records.filter((r) => r.assay);
  const lags = sentRecords
    .map((r) => (r.timestamp_sent - r.assay!.intended_send_time) * 1000 - r.assay!.slot_wait_ms)
    .sort((a, b) => a - b);
  const waits = sentRecords.map((r) => r.assay!.slot_wait_ms).sort((a, b) => a - b);
  const intended = sentRecords.map((r) => r.assay!.intended_send_time).sort((a, b) => a - b);
  // Achieved: the sends' rate over the span the schedule gave them, so a slow client shows up as a shortfall.
  const dispatched = sentRecords.map((r) => r.timestamp_sent - r.assay!.slot_wait_ms / 1000).sort((a, b) => a - b);
  const n = dispatched.length;
  const achievedRate = n > 1 ? (n - 1) / (dispatched[n - 1] - dispatched[0] || Infinity) : null;
  const lagP99 = pct(lags, 99);
  const flags: string[] = [];
  const reasons: string[] = [];
  if (openLoop && lagP99 !== null && lagP99 > CLIENT_BOUND_LAG_P99_MS) {
    reasons.push(`schedule lag p99 ${lagP99.toFixed(1)} ms is over ${CLIENT_BOUND_LAG_P99_MS} ms`);
  }
  if (openLoop && targetRate && achievedRate !== null && achievedRate < targetRate * (1 - CLIENT_BOUND_RATE_SHORTFALL)) {
    reasons.push(`achieved ${achievedRate.toFixed(1)} requests/s against ${targetRate.toFixed(1)} scheduled (more than 1% short)`);
  }
  if (reasons.length) flags.push("CLIENT_BOUND");
  return {
    scheduleLagMs: { p50: r3(pct(lags, 50)), p90: r3(pct(lags, 90)), p99: r3(lagP99), max: r3(lags.length ? lags[lags.length - 1] : null) },
    slotWaitMs: { p50: r3(pct(waits, 50)), p99: r3(pct(waits, 99)), max: r3(waits.length ? waits[waits.length - 1] : null) },
    targetRate: openLoop ? r3(targetRate) : null,
    achievedRate: r3(achievedRate),
    intendedSpanS: intended.length > 1 ? r3(intended[intended.length - 1] - intended[0]) : null,
    flags,
    flagReasons: reasons,
  };
}

/** varcas's timestamp style: ISO with microseconds and no zone ("2026-02-09T05:54:31.762438"), in UTC. */
export const varcasTime = pythonIsoformat;

/** The server's first model from /v1/models (varcas and vLLM bench's default), with an answer worded for a person. */
export async function firstModel(url: string, apiKey: string | null, timeoutMs = 10_000): Promise<string> {
  const modelsUrl = openaiUrl(openaiBase(url), "models");
  let answer: { status: number; body: unknown };
  try {
    answer = await getJson(modelsUrl, { apiKey, timeoutMs });
  } catch (err) {
    const code = err instanceof UpstreamFailure && err.kind === "timeout" ? "ETIMEDOUT" : (err as NodeJS.ErrnoException).code;
    unreachable(`could not reach ${modelsUrl.origin}${code ? ` (${code})` : ""}: check --url, or give --model`);
  }
  if (answer.status !== 200) unreachable(`${modelsUrl.href} answered HTTP ${answer.status}: give --model, or check --api-key`);
  const id = (answer.body as { data?: { id?: unknown }[] } | null)?.data?.[0]?.id;
  if (typeof id !== "string" || !id) unreachable(`${modelsUrl.href} lists no models: give --model`);
  return id;
}

export interface HarnessResult {
  file: HarnessResultsFile;
  run: RunOutput;
  plan: PlannedRun;
}

/** Plans, runs and writes up one load run (or one shard of one). */
export async function runHarness(o: HarnessOptions): Promise<HarnessResult> {
  const plan = planRun(o);
  const openLoop = Boolean(plan.offsets);
  o.onPlan?.({
    total: plan.requests.length,
    openLoop,
    targetRate: plan.targetRate && o.shards && o.shards > 1 ? plan.targetRate / o.shards : plan.targetRate,
  });
  const run = await runLoad(
    { requests: plan.requests, offsets: plan.offsets, concurrentUsers: plan.concurrentUsers, durationS: plan.durationS },
    {
      url: o.url,
      apiKey: o.apiKey,
      model: o.model,
      endpoint: o.endpoint,
      overrides: o.overrides,
      maxConcurrency: o.maxConcurrency ?? null,
      timeoutMs: o.timeoutMs,
      drainS: o.drainS,
      warmupS: o.warmupS,
      cooldownS: o.cooldownS,
      startAtMs: o.startAtMs,
      shard: o.shard ?? 0,
      signal: o.signal,
      onProgress: o.onProgress,
    },
  );
  const file = resultsFile(o, plan, run);
  return { file, run, plan };
}

/** The results file of a run: varcas's keys and metrics, and Assay's section. */
export function resultsFile(o: HarnessOptions, plan: PlannedRun, run: RunOutput): HarnessResultsFile {
  const openLoop = Boolean(plan.offsets);
  const shards = o.shards ?? 1;
  const targetRate = plan.targetRate === null ? null : shards > 1 ? plan.targetRate / shards : plan.targetRate;
  return buildResults({
    options: o,
    profileName: plan.profileName,
    arrival: plan.arrival,
    openLoop,
    targetRate,
    records: run.records,
    startedAtMs: run.startedAtMs,
    endedAtMs: run.endedAtMs,
    clientCpuCores: run.clientCpuCores,
    aborted: run.aborted,
    notSent: run.notSent,
    shardsMerged: 1,
  });
}

interface BuildInput {
  options: HarnessOptions;
  profileName: string;
  arrival: PlannedRun["arrival"];
  openLoop: boolean;
  targetRate: number | null;
  records: HarnessRecord[];
  startedAtMs: number;
  endedAtMs: number;
  clientCpuCores: number;
  aborted: boolean;
  notSent: number;
  shardsMerged: number;
}

function buildResults(b: BuildInput): HarnessResultsFile {
  const o = b.options;
  const figures = scheduleFigures(b.records, b.targetRate, b.openLoop);
  const profile = o.profile;
  const safeUrl = (() => {
    try {
      const u = new URL(o.url);
      u.username = "";
      u.password = "";
      u.search = "";
      return u.href.replace(/\/$/, "");
    } catch {
      return o.url;
    }
  })();
  return {
    experiment_id: randomBytes(4).toString("hex"),
    profile_name: b.profileName,
    config: {
      arrival_process: b.arrival,
      target_rps: b.targetRate,
      concurrency: o.concurrentUsers ?? o.maxConcurrency ?? null,
      duration_seconds: o.durationS ?? profile?.durationS ?? null,
      open_loop: b.openLoop,
      workloads: (profile?.workloads ?? []).map((w) => ({
        name: w.name,
        type: w.type,
        weight: w.weight,
        input_mean: w.input.mean,
        output_mean: w.output.mean,
      })),
    },
    start_time: varcasTime(b.startedAtMs),
    end_time: varcasTime(b.endedAtMs),
    // varcas's definitions; an in-flight record carries an error text, so it is never one of its successes.
    metrics: varcasMetrics(b.records),
    records: b.records,
    assay: assaySection(b, safeUrl, figures),
  };
}

function assaySection(b: BuildInput, safeUrl: string, figures: ReturnType<typeof scheduleFigures>) {
  const o = b.options;
  const profile = o.profile;
  return {
    version: 1,
    target: { url: safeUrl, model: o.model, endpoint: o.endpoint },
    schedule: {
      mode: b.openLoop ? "open" : "closed",
      arrival: b.arrival,
      requestRate: o.requestRate ?? null,
      burstiness: o.burstiness ?? profile?.burstiness ?? null,
      concurrentUsers: o.concurrentUsers ?? null,
      maxConcurrency: o.maxConcurrency ?? null,
      seed: o.seed,
      timeScale: o.timeScale ?? 1,
      numPrompts: o.numPrompts ?? null,
      warmupS: o.warmupS,
      cooldownS: o.cooldownS,
      drainS: o.drainS,
      timeoutMs: o.timeoutMs,
      trace: o.trace ? { name: o.trace.name, format: o.trace.format, requests: o.trace.requests.length } : null,
      overrides: o.overrides,
    },
    shards: b.shardsMerged,
    aborted: b.aborted,
    notSent: b.notSent,
    clientCpuCores: r3(b.clientCpuCores),
    ...figures,
    metrics: assayMetrics(b.records, { percentiles: o.percentiles, slo: o.slo ?? undefined }),
  };
}

/** Assay's section of a results file it wrote. */
export type AssaySection = ReturnType<typeof assaySection>;

/** Joins the shards of one distributed run (same options, same start) into one results file. */
export function mergeShardResults(o: HarnessOptions, shardsOut: { run: RunOutput; plan: PlannedRun }[]): HarnessResultsFile {
  if (shardsOut.length === 0) fail("no shard results to merge");
  const full = planRun({ ...o, shard: 0, shards: 1 });
  const records = shardsOut.flatMap((s) => s.run.records).sort((a, b) => a.timestamp_sent - b.timestamp_sent);
  return buildResults({
    options: { ...o, shard: 0, shards: 1 },
    profileName: full.profileName,
    arrival: full.arrival,
    openLoop: Boolean(full.offsets),
    targetRate: full.targetRate,
    records,
    startedAtMs: Math.min(...shardsOut.map((s) => s.run.startedAtMs)),
    endedAtMs: Math.max(...shardsOut.map((s) => s.run.endedAtMs)),
    clientCpuCores: shardsOut.reduce((sum, s) => sum + s.run.clientCpuCores, 0),
    aborted: shardsOut.some((s) => s.run.aborted),
    notSent: shardsOut.reduce((sum, s) => sum + s.run.notSent, 0),
    shardsMerged: shardsOut.length,
  });
}
