// The worker job of one load-run shard: it plans the whole schedule (every shard plans the same one), keeps every N-th
// request, waits for the run's shared absolute start, runs against the endpoint or a built-in simulator of its own,
// reports progress about every second, and stores its records. The last shard to end merges all of them into the
// run's results (under the run's advisory lock, so exactly one does).
import type { z } from "zod";
import {
  findLoadRun,
  findTrace,
  insertLoadRecords,
  loadRecordsOf,
  loadRunCancelRequested,
  updateLoadRun,
  updateLoadShard,
  withLoadRunLock,
} from "@/lib/db/loadRuns";
import { decryptEndpointApiKey } from "@/lib/endpoints/apiKeyEncryption";
import { firstModel, mergeShardResults, planRun, runHarness, type HarnessOptions } from "@/lib/harness/harness";
import type { RunOutput } from "@/lib/harness/run";
import type { TraceRequest } from "@/lib/harness/types";
import { startSimulator, type RunningSimulator } from "@/lib/simulator";
import type { CreateLoadRunInput, loadRunShardPayload } from "@/lib/validation/loadRuns";
import { harnessOptionsOf, summaryFor } from "./service";
import { runSweepJob } from "./sweep";
import { sweepViewOf } from "./sweepView";

/** A shard that starts more than this late (ms) after the shared start says so in its error field; it still runs. */
const LATE_MS = 2000;

async function optionsFor(runId: string, shard: number) {
  const run = await findLoadRun(runId);
  if (!run) return null;
  const settings = run.settings as unknown as CreateLoadRunInput;
  const t = run.traceId ? await findTrace(run.traceId) : null;
  const trace = t
    ? { requests: t.requests as unknown as TraceRequest[], hasTimestamps: t.hasTimestamps, format: t.format, name: t.name }
    : null;
  const base = await harnessOptionsOf(settings, trace);
  return { run, settings, base: { ...base, shard, shards: run.shards } };
}

export async function runLoadShard(payload: z.infer<typeof loadRunShardPayload>, signal?: AbortSignal): Promise<void> {
  const loaded = await optionsFor(payload.runId, payload.shard);
  if (!loaded) return;
  const { run, settings, base } = loaded;
  if (run.cancelRequested || run.status === "CANCELLED") {
    await updateLoadShard(run.id, payload.shard, { status: "CANCELLED" });
    await finishIfLast(run.id);
    return;
  }
  let sim: RunningSimulator | null = null;
  let url: string;
  let apiKey: string | null = null;
  if (run.endpoint) {
    url = run.endpoint.baseUrl;
    apiKey = run.endpoint.apiKeyEncrypted ? decryptEndpointApiKey(run.endpoint.apiKeyEncrypted, run.endpoint.name) : null;
  } else {
    sim = await startSimulator({
      port: 0,
      ttftMs: settings.simulator.ttftMs,
      itlMs: settings.simulator.itlMs,
      errorRate: settings.simulator.errorRate,
      maxConcurrency: settings.simulator.maxConcurrency,
      jitter: 0.1,
      seed: settings.seed + payload.shard,
    });
    url = sim.url;
  }
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const model = settings.model ?? run.endpoint?.defaultModel ?? (await firstModel(url, apiKey));
    await updateLoadRun(run.id, { model, ...(run.status === "QUEUED" ? { status: "RUNNING", startedAt: new Date() } : {}) });
    const now = Date.now();
    const startAtMs = run.startAtMs && run.startAtMs > now - LATE_MS ? run.startAtMs : now + 200;
    const options: HarnessOptions = { ...base, url, apiKey, model, startAtMs, signal: controller.signal };
    if (settings.sweepSteps) {
      // A sweep ends its own row (its steps are runs of their own); there is nothing to merge.
      await updateLoadShard(run.id, payload.shard, { status: "RUNNING", startedAtMs: startAtMs });
      await runSweepJob(run, settings, options, () => controller.abort());
      return;
    }
    const total = planRun(options).requests.length;
    await updateLoadShard(run.id, payload.shard, {
      status: "RUNNING",
      total,
      startedAtMs: startAtMs,
      error:
        startAtMs === run.startAtMs
          ? null
          : `started ${Math.round((now - (run.startAtMs ?? now)) / 1000)} s after the run's start: no worker was free`,
    });
    let lastWrite = 0;
    let writing: Promise<unknown> = Promise.resolve();
    const result = await runHarness({
      ...options,
      onProgress: (p) => {
        const t = Date.now();
        if (t - lastWrite < 1000) return;
        lastWrite = t;
        writing = writing
          .then(async () => {
            await updateLoadShard(run.id, payload.shard, {
              sent: p.sent,
              done: p.done,
              failed: p.failed,
              inFlight: p.inFlight,
              currentRate: p.currentRate,
              p50Ms: p.p50Ms,
            });
            if (await loadRunCancelRequested(run.id)) controller.abort();
          })
          .catch(() => undefined);
      },
    });
    await writing;
    await insertLoadRecords(run.id, result.run.records);
    const out = result.run;
    await updateLoadShard(run.id, payload.shard, {
      status: out.aborted ? "CANCELLED" : "SUCCEEDED",
      sent: out.records.length,
      done: out.records.filter((r) => r.assay?.status === "ok").length,
      failed: out.records.filter((r) => r.assay?.status === "error").length,
      inFlight: 0,
      currentRate: 0,
      endedAtMs: out.endedAtMs,
      startedAtMs: out.startedAtMs,
      clientCpuCores: out.clientCpuCores,
      notSent: out.notSent,
      aborted: out.aborted,
    });
  } catch (err) {
    await updateLoadShard(run.id, payload.shard, { status: "FAILED", error: err instanceof Error ? err.message : String(err) });
  } finally {
    signal?.removeEventListener("abort", onAbort);
    await sim?.close();
  }
  await finishIfLast(run.id);
}

/** A shard whose worker died mid-run (its job is never retried): the shard failed, and the run ends once it was the last. */
export async function loadShardAbandoned(payload: z.infer<typeof loadRunShardPayload>, reason: string): Promise<void> {
  const run = await findLoadRun(payload.runId);
  if (!run || run.finishedAt) return;
  await updateLoadShard(run.id, payload.shard, { status: "FAILED", inFlight: 0, currentRate: 0, error: `the run stopped: ${reason}` });
  await finishIfLast(run.id);
}

/** When every shard has ended: merges their records into the run's results (exactly once). */
async function finishIfLast(runId: string): Promise<void> {
  await withLoadRunLock(runId, async (shards) => {
    if (shards.some((s) => s.status === "QUEUED" || s.status === "RUNNING")) return;
    const run = await findLoadRun(runId);
    if (!run || run.finishedAt) return;
    const view = sweepViewOf(run.sweep);
    if (view) {
      // A sweep ended by a failure: its finished steps stay (each a run of its own); the sweep says why it stopped.
      const failed = run.shardRuns.find((s) => s.status === "FAILED");
      await updateLoadRun(runId, {
        status: failed ? "FAILED" : "CANCELLED",
        error: failed?.error ?? null,
        sweep: { ...view, current: null, stopped: true } as unknown as object,
        finishedAt: new Date(),
        progress: 1,
      });
      return;
    }
    const failed = run.shardRuns.filter((s) => s.status === "FAILED");
    const cancelled = run.cancelRequested || run.shardRuns.some((s) => s.status === "CANCELLED");
    const records = await loadRecordsOf(runId);
    if (records.length === 0) {
      await updateLoadRun(runId, {
        status: cancelled ? "CANCELLED" : "FAILED",
        error: failed.map((s) => `shard ${s.shard}: ${s.error}`).join("; ") || (cancelled ? null : "no request was sent"),
        finishedAt: new Date(),
        progress: 1,
      });
      return;
    }
    const loaded = await optionsFor(runId, 0);
    if (!loaded) return;
    const outs: { run: RunOutput; plan: ReturnType<typeof planRun> }[] = run.shardRuns
      .filter((s) => s.startedAtMs !== null)
      .map((s) => ({
        run: {
          records: records.filter((r) => (r.assay?.shard ?? 0) === s.shard),
          startedAtMs: s.startedAtMs ?? 0,
          scheduleEndMs: s.endedAtMs ?? 0,
          endedAtMs: s.endedAtMs ?? s.startedAtMs ?? 0,
          clientCpuCores: s.clientCpuCores ?? 0,
          aborted: s.aborted,
          notSent: s.notSent,
        },
        plan: planRun({ ...loaded.base, url: "http://planning", apiKey: null, model: run.model ?? "" }),
      }));
    const file = mergeShardResults({ ...loaded.base, url: run.targetUrl ?? "", apiKey: null, model: run.model ?? "" }, outs);
    await updateLoadRun(runId, {
      status: failed.length ? "FAILED" : cancelled ? "CANCELLED" : "SUCCEEDED",
      error: failed.length ? failed.map((s) => `shard ${s.shard}: ${s.error}`).join("; ") : null,
      summary: summaryFor(file) as unknown as object,
      finishedAt: new Date(),
      progress: 1,
    });
  });
}
