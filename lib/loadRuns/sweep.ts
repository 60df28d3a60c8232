// A sweep in the workers: one load run whose job runs the steps one after another (lib/harness/sweep.ts: synchronous,
// throughput, then rates between, stopping once a rate is over-saturated). Each finished step is stored as a run of
// its own under the sweep (its records, its results file, its page, comparable with any other run); the sweep's row
// keeps the steps' figures for the throughput-latency curve and its progress across the steps.
import { createSweepStepRun, loadRunCancelRequested, updateLoadRun, updateLoadShard, type findLoadRun } from "@/lib/db/loadRuns";
import type { HarnessOptions } from "@/lib/harness/harness";
import { runSweep } from "@/lib/harness/sweep";
import type { CreateLoadRunInput } from "@/lib/validation/loadRuns";
import { summaryFor } from "./service";
import type { SweepView } from "./sweepView";

type Run = NonNullable<Awaited<ReturnType<typeof findLoadRun>>>;

/** Runs a sweep's steps in this worker and stores each as it ends; the sweep's row ends SUCCEEDED or CANCELLED. */
export async function runSweepJob(run: Run, settings: CreateLoadRunInput, options: HarnessOptions, abort: () => void): Promise<void> {
  const planned = settings.sweepSteps ?? 3;
  const durationS = settings.durationS ?? 1;
  const view: SweepView = { plannedSteps: planned, steps: [], skippedRates: [], current: null, stopped: false };
  let stepStartedAt = Date.now();
  let lastWrite = 0;
  let writing: Promise<unknown> = Promise.resolve();
  const overall = () => Math.min(0.999, (view.steps.length + Math.min(1, (Date.now() - stepStartedAt) / (durationS * 1000))) / planned);

  // The step running reports about every second: its shard row (requests), the sweep's share across all its steps, and
  // a look for a cancel.
  const onProgress: HarnessOptions["onProgress"] = (p) => {
    const t = Date.now();
    if (t - lastWrite < 1000) return;
    lastWrite = t;
    writing = writing
      .then(async () => {
        await updateLoadShard(run.id, 0, {
          total: p.total,
          sent: p.sent,
          done: p.done,
          failed: p.failed,
          inFlight: p.inFlight,
          currentRate: p.currentRate,
          p50Ms: p.p50Ms,
        });
        await updateLoadRun(run.id, { progress: overall() });
        if (await loadRunCancelRequested(run.id)) abort();
      })
      .catch(() => undefined);
  };

  const result = await runSweep({ ...options, durationS, onProgress }, planned, {
    onStepStart: async (index, name) => {
      await writing;
      stepStartedAt = Date.now();
      view.current = { index, name };
      await updateLoadRun(run.id, { sweep: view as unknown as object, progress: index / planned });
      await updateLoadShard(run.id, 0, { status: "RUNNING", sent: 0, done: 0, failed: 0, inFlight: 0, currentRate: 0, p50Ms: null });
    },
    onStep: async (step, file, index) => {
      await writing;
      const records = file.records;
      const ok = records.filter((r) => r.assay?.status === "ok").length;
      const runId = await createSweepStepRun(
        {
          name: `${run.name} · step ${index + 1}: ${step.mode === "rate" ? `${step.name}` : step.name}`,
          profile: run.profile,
          traceId: run.traceId,
          endpointId: run.endpointId,
          targetUrl: run.targetUrl,
          model: options.model,
          arrival: {
            process: step.mode === "rate" ? (settings.arrival ?? "poisson") : null,
            requestRate: step.targetRate,
            concurrentUsers: step.mode === "synchronous" ? 1 : step.mode === "throughput" ? (file.config.concurrent_users ?? null) : null,
          },
          settings: { ...settings, sweepSteps: undefined, sweepStep: step.name } as unknown as object,
          source: "run",
          shards: 1,
          status: "SUCCEEDED",
          progress: 1,
          summary: summaryFor(file) as unknown as object,
          startedAt: new Date(stepStartedAt),
          finishedAt: new Date(),
          createdById: run.createdById,
          sweepOfId: run.id,
          sweepIndex: index,
        },
        { status: "SUCCEEDED", total: records.length, sent: records.length, done: ok, failed: records.length - ok },
        records,
      );
      view.steps.push({ ...step, runId });
      await updateLoadRun(run.id, { sweep: view as unknown as object, progress: (index + 1) / planned });
    },
  });

  await writing;
  view.current = null;
  view.skippedRates = result.skippedRates;
  view.stopped = result.aborted || result.failedReason !== null;
  const cancelled = !result.failedReason && (result.aborted || (await loadRunCancelRequested(run.id)));
  const status = result.failedReason ? "FAILED" : cancelled ? "CANCELLED" : "SUCCEEDED";
  await updateLoadShard(run.id, 0, { status, inFlight: 0, currentRate: 0, aborted: cancelled, error: result.failedReason });
  await updateLoadRun(run.id, {
    sweep: view as unknown as object,
    status,
    error: result.failedReason,
    progress: 1,
    finishedAt: new Date(),
  });
}
