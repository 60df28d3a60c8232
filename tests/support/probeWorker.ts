// A real worker process (`node --import tsx tests/support/probeWorker.ts`, DATABASE_URL in its environment) running the
// probe job kinds below through the same startJobWorker as workers/index.ts. Every handler event is one stdout line:
// `PROBE {"event", "kind", "jobId", "attempt", "at", ...}`, which tests read.
import { z } from "zod";
import { defineJob, type JobRegistry } from "@/lib/jobs/registry";
import { startJobWorker, stopOnSignals } from "@/lib/jobs/worker";

function record(event: string, fields: Record<string, unknown>): void {
  process.stdout.write(`PROBE ${JSON.stringify({ event, at: Date.now(), ...fields })}\n`);
}

export const probeJobs = {
  /** Throws until `attempt` reaches `passOnAttempt`. */
  probe_flaky: defineJob({
    payload: z.object({ passOnAttempt: z.number().int().min(1) }),
    async handle({ payload, jobId, attempt }) {
      record("run", { kind: "probe_flaky", jobId, attempt });
      if (attempt < payload.passOnAttempt) throw new Error(`transient failure on attempt ${attempt}`);
    },
    concurrency: 1,
    expireInSeconds: 30,
    retry: { limit: 3, delaySeconds: 1, backoff: true },
  }),
  /** Accepts only `{ count: number }`, and would be retried three times if it threw. */
  probe_strict: defineJob({
    payload: z.object({ count: z.number().int() }),
    async handle({ jobId, attempt }) {
      record("run", { kind: "probe_strict", jobId, attempt });
    },
    concurrency: 1,
    expireInSeconds: 30,
    retry: { limit: 3, delaySeconds: 1, backoff: false },
  }),
  /** Sleeps `ms`; two run at once. */
  probe_sleep: defineJob({
    payload: z.object({ ms: z.number().int().min(0) }),
    async handle({ payload, jobId }) {
      record("start", { kind: "probe_sleep", jobId });
      await new Promise((r) => setTimeout(r, payload.ms));
      record("end", { kind: "probe_sleep", jobId });
    },
    concurrency: 2,
    expireInSeconds: 30,
    retry: { limit: 0, delaySeconds: 0, backoff: false },
  }),
  /** Runs until its signal aborts (a long job), then reports the reason. */
  probe_long: defineJob({
    payload: z.object({}),
    async handle({ jobId, attempt, signal }) {
      record("start", { kind: "probe_long", jobId, attempt });
      await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
      record("aborted", {
        kind: "probe_long",
        jobId,
        reason: signal.reason instanceof Error ? signal.reason.message : String(signal.reason),
      });
      throw signal.reason;
    },
    concurrency: 1,
    expireInSeconds: 120,
    retry: { limit: 1, delaySeconds: 1, backoff: false },
  }),
} satisfies JobRegistry;

const log = (line: string) => process.stdout.write(`[probe-worker] ${line}\n`);
if (process.argv[1]?.endsWith("probeWorker.ts")) {
  const worker = await startJobWorker(probeJobs, { pollingIntervalSeconds: 0.5, log });
  log(`ready: ${worker.kinds.map((k) => `${k.name}=${k.concurrency}`).join(", ")}`);
  stopOnSignals(worker, log);
}
