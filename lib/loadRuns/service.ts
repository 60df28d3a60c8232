// Load testing in the app: traces uploaded (checked whole before anything is stored) or made from a dataset, load runs
// planned from a profile or a trace and run by worker jobs (one per shard, all aligned on one absolute start time, then
// merged), results files imported as runs, downloads in varcas's formats, and comparisons of runs or replicate sets.
import type { Identity } from "@/lib/auth/identity";
import { actorLabel } from "@/lib/auth/identity";
import { appendAuditEvent } from "@/lib/db/audit";
import { listDatasetItemsForTrace } from "@/lib/db/datasets";
import {
  createLoadRunRow,
  createTraceRow,
  findEndpointByName,
  findLoadRun,
  findTrace,
  findTraceByName,
  insertLoadRecords,
  listLoadRuns,
  listTraceRows,
  loadRecordsOf,
  updateLoadRun,
} from "@/lib/db/loadRuns";
import { AppError } from "@/lib/errors";
import { compareRuns, type CompareResult } from "@/lib/harness/compare";
import { HarnessError, planRun, type HarnessOptions } from "@/lib/harness/harness";
import { assayMetrics } from "@/lib/harness/metrics";
import { builtInProfile } from "@/lib/harness/profiles";
import { parseResultsText, ResultsFileError } from "@/lib/harness/resultsFile";
import { readTraceFromString, TraceFormatError, type TraceFormat } from "@/lib/harness/traces";
import type { HarnessResultsFile, TraceRequest } from "@/lib/harness/types";
import { enqueue } from "@/lib/jobs/registry";
import { fieldIssuesError } from "@/lib/validation/issues";
import type { CreateLoadRunInput } from "@/lib/validation/loadRuns";
import { MAX_LOAD_REQUESTS } from "@/lib/validation/loadRuns";
import { runCharts, traceStats, type RunCharts, type TraceStats } from "./charts";
import { sweepViewOf, type SweepView } from "./sweepView";

/** The largest trace or results file accepted (bytes). */
export const MAX_TRACE_BYTES = 64 * 1024 * 1024;
/** Shards start together this long after the run is queued, so every worker has taken its shard by then. */
export const SHARD_START_DELAY_MS = 4000;

export interface LoadRunListItem {
  id: string;
  name: string;
  status: string;
  source: string;
  target: string | null;
  model: string | null;
  workload: string;
  requests: number | null;
  throughputRps: number | null;
  ttftP50Ms: number | null;
  clientBound: boolean;
  /** A sweep's planned steps (its steps are runs of their own, listed beside it); null for a run. */
  sweepSteps: number | null;
  /** A sweep step's place in its sweep (1-based), listed right after the sweep; null for any other run. */
  sweepStep: number | null;
  createdAt: string;
}

type Summary = Omit<HarnessResultsFile, "records"> & { charts?: RunCharts };

const summaryOf = (s: unknown) => (s ?? null) as Summary | null;

export async function recentLoadRuns(): Promise<LoadRunListItem[]> {
  const rows = await listLoadRuns();
  return rows.map((r) => {
    const s = summaryOf(r.summary);
    const flags = ((s?.assay as { flags?: string[] } | undefined)?.flags ?? []) as string[];
    return {
      id: r.id,
      name: r.name,
      status: r.status,
      source: r.source,
      target: r.targetUrl,
      model: r.model,
      workload: r.trace ? `trace ${r.trace.name}` : (r.profile ?? "—"),
      requests: s?.metrics.total_requests ?? null,
      throughputRps: s?.metrics.throughput_rps ?? null,
      ttftP50Ms: s?.metrics.ttft_p50_ms ?? null,
      clientBound: flags.includes("CLIENT_BOUND"),
      sweepSteps: sweepViewOf(r.sweep)?.plannedSteps ?? null,
      sweepStep: r.sweepOfId ? (r.sweepIndex ?? 0) + 1 : null,
      createdAt: r.createdAt.toISOString(),
    };
  });
}

export interface LoadRunView {
  id: string;
  name: string;
  status: string;
  source: string;
  target: string | null;
  model: string | null;
  workload: string;
  trace: { id: string; name: string } | null;
  settings: Record<string, unknown> | null;
  shards: {
    shard: number;
    status: string;
    total: number;
    sent: number;
    done: number;
    failed: number;
    inFlight: number;
    currentRate: number;
    p50Ms: number | null;
    error: string | null;
  }[];
  progress: { total: number; sent: number; done: number; failed: number; inFlight: number; currentRate: number; p50Ms: number | null };
  startAt: string | null;
  error: string | null;
  summary: Summary | null;
  /** A sweep's steps and where it has got; null for a run. */
  sweep: SweepView | null;
  /** The sweep a step's run belongs to. */
  sweepOf: { id: string; name: string; step: number } | null;
  /** The share done (0-1): a sweep's across all its steps. */
  share: number;
  createdAt: string;
  finishedAt: string | null;
}

export async function getLoadRun(id: string): Promise<LoadRunView> {
  const r = await findLoadRun(id);
  if (!r) throw new AppError("NOT_FOUND", `No load run has the id "${id}".`);
  const shards = r.shardRuns.map((s) => ({
    shard: s.shard,
    status: s.status,
    total: s.total,
    sent: s.sent,
    done: s.done,
    failed: s.failed,
    inFlight: s.inFlight,
    currentRate: s.currentRate,
    p50Ms: s.p50Ms,
    error: s.error,
  }));
  const sum = (k: "total" | "sent" | "done" | "failed" | "inFlight" | "currentRate") => shards.reduce((a, s) => a + s[k], 0);
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    source: r.source,
    target: r.targetUrl,
    model: r.model,
    workload: r.trace ? `trace ${r.trace.name}` : (r.profile ?? "—"),
    trace: r.trace ? { id: r.trace.id, name: r.trace.name } : null,
    settings: (r.settings ?? null) as Record<string, unknown> | null,
    shards,
    progress: {
      total: sum("total"),
      sent: sum("sent"),
      done: sum("done"),
      failed: sum("failed"),
      inFlight: sum("inFlight"),
      currentRate: sum("currentRate"),
      p50Ms: shards.length === 1 ? shards[0].p50Ms : (shards.find((s) => s.p50Ms !== null)?.p50Ms ?? null),
    },
    startAt: r.startAtMs ? new Date(r.startAtMs).toISOString() : null,
    error: r.error,
    summary: summaryOf(r.summary),
    sweep: sweepViewOf(r.sweep),
    sweepOf: r.sweepOf ? { id: r.sweepOf.id, name: r.sweepOf.name, step: (r.sweepIndex ?? 0) + 1 } : null,
    share: r.progress,
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

/** The options a run's shards run with (the trace's requests included); the API key is looked up by the job. */
export async function harnessOptionsOf(
  settings: CreateLoadRunInput,
  trace: { requests: TraceRequest[]; hasTimestamps: boolean; format: string; name: string } | null,
) {
  const profile = settings.profile ? builtInProfile(settings.profile) : trace ? null : builtInProfile("chat_medium");
  const options: Omit<HarnessOptions, "url" | "apiKey" | "model"> = {
    endpoint: settings.endpointKind,
    profile: profile ?? undefined,
    trace: trace ?? undefined,
    durationS: settings.durationS ?? null,
    numPrompts: settings.numPrompts ?? null,
    requestRate: settings.requestRate ?? null,
    concurrentUsers: settings.concurrentUsers ?? null,
    arrival: settings.arrival ?? null,
    burstiness: settings.burstiness ?? null,
    seed: settings.seed,
    timeScale: settings.timeScale,
    maxConcurrency: settings.maxConcurrency ?? null,
    overrides: { maxTokens: settings.maxTokens, temperature: settings.temperature, ignoreEos: settings.ignoreEos },
    timeoutMs: settings.timeoutS * 1000,
    warmupS: settings.warmupS,
    cooldownS: settings.cooldownS,
    drainS: settings.drainS,
    slo: settings.slo ?? null,
  };
  return options;
}

async function traceRequestsOf(traceId: string) {
  const t = await findTrace(traceId);
  if (!t) return null;
  return { id: t.id, requests: t.requests as unknown as TraceRequest[], hasTimestamps: t.hasTimestamps, format: t.format, name: t.name };
}

/** Queues a load run: checks the target and plans the whole schedule first (a bad setting is a 400 naming it). */
export async function createLoadRun(identity: Identity, input: CreateLoadRunInput): Promise<LoadRunView> {
  let endpointId: string | null = null;
  let targetUrl = "built-in simulator";
  if (input.target !== "simulator") {
    const endpoint = await findEndpointByName(input.target);
    if (!endpoint)
      throw fieldIssuesError([
        { field: "target", message: `no endpoint is named "${input.target}"; choose the simulator or a configured endpoint` },
      ]);
    endpointId = endpoint.id;
    targetUrl = endpoint.baseUrl;
  }
  const trace = input.traceId ? await traceRequestsOf(input.traceId) : null;
  if (input.traceId && !trace) throw fieldIssuesError([{ field: "traceId", message: `no trace has the id "${input.traceId}"` }]);
  const options = await harnessOptionsOf(input, trace);
  let planned: number;
  try {
    // Planned with a cap one past the limit, so a huge rate x duration is refused without making its schedule.
    const cap = Math.min(options.numPrompts ?? Infinity, MAX_LOAD_REQUESTS + 1);
    // A sweep's steps pick their own load: its workload is checked as one user's step.
    const load = input.sweepSteps ? { concurrentUsers: 1 } : {};
    planned = planRun({ ...options, ...load, numPrompts: cap, url: "http://planning", apiKey: null, model: "m" }, true).requests.length;
  } catch (err) {
    if (err instanceof HarnessError || err instanceof RangeError)
      throw fieldIssuesError([{ field: input.traceId ? "traceId" : "durationS", message: err.message }]);
    throw err;
  }
  if (planned > MAX_LOAD_REQUESTS && !input.sweepSteps)
    throw fieldIssuesError([
      {
        field: "durationS",
        message: `the run would send more than ${MAX_LOAD_REQUESTS.toLocaleString("en-US")} requests; shorten it or lower the rate`,
      },
    ]);
  const startAtMs = Date.now() + SHARD_START_DELAY_MS;
  const { id } = await createLoadRunRow(
    {
      name: input.name,
      profile: input.traceId ? null : (input.profile ?? "chat_medium"),
      traceId: trace?.id ?? null,
      endpointId,
      targetUrl,
      model: input.model ?? null,
      arrival: { process: input.arrival ?? null, requestRate: input.requestRate ?? null, concurrentUsers: input.concurrentUsers ?? null },
      settings: input as unknown as object,
      shards: input.shards,
      startAtMs,
      createdById: identity.userId,
      ...(input.sweepSteps
        ? { sweep: { plannedSteps: input.sweepSteps, steps: [], skippedRates: [], current: null, stopped: false } satisfies SweepView }
        : {}),
    },
    input.shards,
  );
  for (let shard = 0; shard < input.shards; shard++) await enqueue("loadRunShard", { runId: id, shard });
  await appendAuditEvent({
    action: "loadRun.create",
    actorId: identity.userId,
    actorLabel: actorLabel(identity),
    entityType: "LoadRun",
    entityId: id,
    details: input.sweepSteps
      ? { name: input.name, target: input.target, sweepSteps: input.sweepSteps, stepSeconds: input.durationS }
      : { name: input.name, target: input.target, shards: input.shards, requests: planned },
  });
  return getLoadRun(id);
}

export async function cancelLoadRun(identity: Identity, id: string): Promise<LoadRunView> {
  const run = await getLoadRun(id);
  if (run.status !== "QUEUED" && run.status !== "RUNNING")
    throw new AppError("CONFLICT", `The run has already ended (${run.status.toLowerCase()}).`);
  await updateLoadRun(id, { cancelRequested: true });
  await appendAuditEvent({
    action: "loadRun.cancel",
    actorId: identity.userId,
    actorLabel: actorLabel(identity),
    entityType: "LoadRun",
    entityId: id,
    details: {},
  });
  return getLoadRun(id);
}

/** The run as a results file: varcas's keys and records, Assay's section beside them. */
export async function resultsFileOf(id: string): Promise<HarnessResultsFile> {
  const run = await getLoadRun(id);
  if (run.sweep) throw new AppError("CONFLICT", "This is a sweep: each of its steps has a results file of its own.");
  if (!run.summary) throw new AppError("CONFLICT", "The run has no results yet: wait until it has ended.");
  const { charts: _charts, ...summary } = run.summary;
  void _charts;
  return { ...summary, records: await loadRecordsOf(id) } as HarnessResultsFile;
}

function fileError(err: unknown): never {
  if (err instanceof TraceFormatError) {
    throw fieldIssuesError([{ field: err.field ? `line ${err.line}: ${err.field}` : `line ${err.line}`, message: err.message }]);
  }
  if (err instanceof ResultsFileError) throw fieldIssuesError([{ field: err.field ?? "file", message: err.message }]);
  throw err;
}

/** Reads a whole uploaded trace (any format Assay reads); stores nothing unless every line is good. */
export async function uploadTrace(identity: Identity, input: { name: string; format?: TraceFormat; text: string }) {
  if (await findTraceByName(input.name))
    throw fieldIssuesError([{ field: "name", message: `a trace is already named "${input.name}"; choose another name` }]);
  const requests: TraceRequest[] = [];
  let reading;
  try {
    reading = await readTraceFromString(input.text, { format: input.format, name: input.name });
    for await (const r of reading.requests) {
      requests.push(r);
      if (requests.length > MAX_LOAD_REQUESTS)
        throw fieldIssuesError([
          { field: "file", message: `the trace has more than ${MAX_LOAD_REQUESTS.toLocaleString("en-US")} requests` },
        ]);
    }
  } catch (err) {
    fileError(err);
  }
  if (requests.length === 0) throw fieldIssuesError([{ field: "file", message: "the file holds no requests" }]);
  const stats = traceStats(requests, reading.hasTimestamps);
  const { id } = await createTraceRow({
    name: input.name,
    format: reading.format,
    metadata: reading.metadata as object,
    requests: requests as unknown as object,
    requestCount: requests.length,
    hasTimestamps: reading.hasTimestamps,
    stats: { ...stats, notes: reading.notes } as unknown as object,
    createdById: identity.userId,
  });
  await appendAuditEvent({
    action: "trace.upload",
    actorId: identity.userId,
    actorLabel: actorLabel(identity),
    entityType: "Trace",
    entityId: id,
    details: { name: input.name, format: reading.format, requests: requests.length },
  });
  return getTrace(id);
}

export interface TraceView {
  id: string;
  name: string;
  format: string;
  requestCount: number;
  hasTimestamps: boolean;
  stats: (TraceStats & { notes?: string[] }) | null;
  fromDataset: boolean;
  createdAt: string;
}

export async function listTraces(): Promise<TraceView[]> {
  return (await listTraceRows()).map((t) => ({
    id: t.id,
    name: t.name,
    format: t.format,
    requestCount: t.requestCount,
    hasTimestamps: t.hasTimestamps,
    stats: (t.stats ?? null) as TraceView["stats"],
    fromDataset: t.datasetId !== null,
    createdAt: t.createdAt.toISOString(),
  }));
}

export async function getTrace(id: string): Promise<TraceView> {
  const t = await findTrace(id);
  if (!t) throw new AppError("NOT_FOUND", `No trace has the id "${id}".`);
  return {
    id: t.id,
    name: t.name,
    format: t.format,
    requestCount: t.requestCount,
    hasTimestamps: t.hasTimestamps,
    stats: (t.stats ?? null) as TraceView["stats"],
    fromDataset: t.datasetId !== null,
    createdAt: t.createdAt.toISOString(),
  };
}

/** A trace's requests, for a varcas trace download. */
export async function traceRequests(id: string): Promise<{ name: string; requests: TraceRequest[] }> {
  const t = await traceRequestsOf(id);
  if (!t) throw new AppError("NOT_FOUND", `No trace has the id "${id}".`);
  return { name: t.name, requests: t.requests };
}

/** A dataset (issue 9) as a trace: each item's input is a prompt, its output's length the answer's length. */
export async function traceFromDataset(identity: Identity, input: { datasetId: string; name: string }) {
  if (await findTraceByName(input.name))
    throw fieldIssuesError([{ field: "name", message: `a trace is already named "${input.name}"; choose another name` }]);
  const items = await listDatasetItemsForTrace(input.datasetId);
  if (items === null) throw fieldIssuesError([{ field: "datasetId", message: `no dataset has the id "${input.datasetId}"` }]);
  if (items.length === 0) throw fieldIssuesError([{ field: "datasetId", message: "the dataset is empty" }]);
  const requests: TraceRequest[] = items.map((it) => {
    const out = Math.max(1, Math.ceil((it.output ?? "").length / 4));
    return {
      timestamp: 0,
      prompt: it.input ?? "",
      maxTokens: out,
      workloadType: "dataset",
      inputTokens: Math.max(1, Math.ceil((it.input ?? "").length / 4)),
      outputTokens: out,
    };
  });
  const { id } = await createTraceRow({
    name: input.name,
    format: "dataset",
    metadata: { dataset: input.datasetId },
    requests: requests as unknown as object,
    requestCount: requests.length,
    hasTimestamps: false,
    stats: traceStats(requests, false) as unknown as object,
    datasetId: input.datasetId,
    createdById: identity.userId,
  });
  await appendAuditEvent({
    action: "trace.fromDataset",
    actorId: identity.userId,
    actorLabel: actorLabel(identity),
    entityType: "Trace",
    entityId: id,
    details: { name: input.name, dataset: input.datasetId, requests: requests.length },
  });
  return getTrace(id);
}

/** The summary kept for a finished run: the results file without records, and the charts. */
export function summaryFor(file: HarnessResultsFile): Summary {
  const { records, ...rest } = file;
  return { ...rest, charts: runCharts(records) };
}

/** An uploaded results file (varcas's or Assay's) as a finished run, so it can be read and compared. */
export async function importResults(
  identity: Identity,
  input: { name: string; text: string; source?: "import" | "run" },
): Promise<LoadRunView> {
  let file: HarnessResultsFile;
  try {
    file = parseResultsText(input.text, input.name);
  } catch (err) {
    fileError(err);
  }
  if (!file.assay) file = { ...file, assay: { imported: true, metrics: assayMetrics(file.records) } };
  const openLoop = (file.config as { open_loop?: boolean }).open_loop;
  const { id } = await createLoadRunRow(
    {
      name: input.name,
      profile: file.profile_name,
      source: input.source ?? "import",
      status: "SUCCEEDED",
      progress: 1,
      targetUrl: ((file.assay as { target?: { url?: string } }).target?.url as string | undefined) ?? null,
      model: ((file.assay as { target?: { model?: string } }).target?.model as string | undefined) ?? null,
      arrival: { process: (file.config as { arrival_process?: string }).arrival_process ?? null, openLoop: openLoop ?? null },
      summary: summaryFor(file) as unknown as object,
      finishedAt: new Date(),
      createdById: identity.userId,
    },
    0,
  );
  await insertLoadRecords(id, file.records);
  await appendAuditEvent({
    action: "loadRun.import",
    actorId: identity.userId,
    actorLabel: actorLabel(identity),
    entityType: "LoadRun",
    entityId: id,
    details: { name: input.name, records: file.records.length },
  });
  return getLoadRun(id);
}

/** Compares runs (one or several a side) as `assay compare` does. */
export async function compareLoadRuns(input: {
  baseline: string[];
  optimized: string[];
  seed: number;
}): Promise<CompareResult & { baselineRuns: { id: string; name: string }[]; optimizedRuns: { id: string; name: string }[] }> {
  const load = async (ids: string[], side: string) =>
    Promise.all(
      ids.map(async (id) => {
        const run = await getLoadRun(id).catch(() => null);
        if (!run) throw fieldIssuesError([{ field: side, message: `no load run has the id "${id}"` }]);
        if (run.sweep) throw fieldIssuesError([{ field: side, message: `"${run.name}" is a sweep: choose one of its steps to compare` }]);
        if (!run.summary) throw fieldIssuesError([{ field: side, message: `the run "${run.name}" has no results yet` }]);
        return { run, file: await resultsFileOf(id) };
      }),
    );
  const b = await load(input.baseline, "baseline");
  const o = await load(input.optimized, "optimized");
  const result = compareRuns(
    b.map((x) => x.file),
    o.map((x) => x.file),
    { seed: input.seed },
  );
  return {
    ...result,
    baselineRuns: b.map((x) => ({ id: x.run.id, name: x.run.name })),
    optimizedRuns: o.map((x) => ({ id: x.run.id, name: x.run.name })),
  };
}
