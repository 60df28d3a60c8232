import type PgBoss from "pg-boss";
import { validationError } from "@/lib/validation/issues";
import { isDatabaseUnavailable } from "@/lib/db/client";
import { dropJobLease, orphanedJobLeases, takeJobLease, unleasedActiveJobs } from "@/lib/db/workers";
import { queue, QUEUE_SCHEMA, reportQueueError, stopQueue } from "./queue";
import type { z } from "zod";
import { ensureQueues, PermanentJobError, type JobDefinition, type JobRegistry } from "./registry";

export interface JobWorker {
  /** The job kinds this worker takes, each with its concurrency. */
  kinds: { name: string; concurrency: number }[];
  /** Aborts the signal of every running handler, lets them finish for up to `waitMs`, then stops taking jobs. */
  stop(waitMs?: number): Promise<void>;
  /**
   * Fails the jobs that dead workers held (their leases outlived their heartbeats), so that the jobs' retries run them
   * again now rather than when they expire; returns how many. Any live worker may call it.
   */
  reapOrphans(): Promise<number>;
}

/**
 * Ends a job as failed on this run, whatever its retry policy: pg-boss 10 retries every failure while retry_count < retry_limit
 * and has no call to fail a job for good, so the job's limit is lowered to the runs it has had before it is failed.
 */
async function spendRetries(boss: PgBoss, name: string, jobId: string): Promise<void> {
  await boss
    .getDb()
    .executeSql(`UPDATE ${QUEUE_SCHEMA}.job SET retry_limit = retry_count WHERE name = $1 AND id = $2 AND state = 'active'`, [name, jobId]);
}

/**
 * Runs the jobs of `registry` in this process: `concurrency` jobs of each kind at a time, each handler given
 * `{ payload, jobId, attempt, signal }`. A payload that fails its schema, or a handler's PermanentJobError, fails the job at
 * once; any other error is retried under the kind's retry policy (pg-boss backs off between runs).
 */
let outageRejectionsTolerated = false;

/**
 * pg-boss 10 does not await its own complete/fail calls after a handler (manager.js `work`), so a job that ends while the
 * database is away rejects with nobody to catch it, and Node would kill the worker with a stack trace. That is an outage the
 * queue reports once (reportQueueError) and the job is picked up again later; any other stray rejection still ends the worker.
 * For a worker process's entry point (workers/index.ts), not for a process that hosts a worker among other things (tests).
 */
export function tolerateOutageRejections(): void {
  if (outageRejectionsTolerated) return;
  outageRejectionsTolerated = true;
  process.on("unhandledRejection", (err) => {
    if (isDatabaseUnavailable(err)) return reportQueueError(err);
    console.error("[worker] unexpected error:", err instanceof Error ? err.message : err);
    process.exit(1);
  });
}

export async function startJobWorker(
  registry: JobRegistry,
  opts: {
    pollingIntervalSeconds?: number;
    log?: (line: string) => void;
    /**
     * This worker's heartbeat identity and interval: each job it runs is leased under the id, and taken for abandoned once
     * the worker is silent for three intervals. Without an id, jobs are not leased (a crash is then noticed at expiry).
     */
    workerId?: string;
    heartbeatSeconds?: number;
  } = {},
): Promise<JobWorker> {
  const log = opts.log ?? (() => undefined);
  const heartbeat = opts.heartbeatSeconds ?? 15;
  // Three beats, and never under ten seconds more than one: beats are themselves jobs, run when a worker polls for them.
  const silentLimitSeconds = Math.max(3 * heartbeat, heartbeat + 10);
  const boss = await queue();
  await ensureQueues(registry);
  const running = new Set<AbortController>();

  const run = async (name: string, def: JobDefinition<z.ZodType>, job: PgBoss.JobWithMetadata<unknown>) => {
    const parsed = def.payload.safeParse(job.data);
    if (!parsed.success) {
      await spendRetries(boss, name, job.id);
      log(`job ${name} ${job.id} failed for good: its payload does not match the schema`);
      throw new PermanentJobError(`The ${name} job's payload does not match its schema. ${validationError(parsed.error).message}`);
    }
    const controller = new AbortController();
    const expiry = setTimeout(
      () => controller.abort(new Error(`The job ran longer than its ${def.expireInSeconds} s limit.`)),
      def.expireInSeconds * 1000,
    );
    running.add(controller);
    if (opts.workerId) await takeJobLease({ jobId: job.id, queue: name, workerId: opts.workerId, silentLimitSeconds });
    try {
      await def.handle({ payload: parsed.data, jobId: job.id, attempt: job.retryCount + 1, signal: controller.signal });
    } catch (err) {
      if (err instanceof PermanentJobError) await spendRetries(boss, name, job.id);
      throw err;
    } finally {
      clearTimeout(expiry);
      running.delete(controller);
      // A lease left behind (the database away just now) is reaped harmlessly: failing a finished job changes nothing.
      if (opts.workerId) await dropJobLease(job.id, opts.workerId).catch(() => undefined);
    }
  };

  /** After a dead worker's job is failed: when no retry is left, its kind's onAbandoned records it. True when so. */
  const abandonedForGood = async (name: string, jobId: string, reason: string): Promise<boolean> => {
    const job = await boss.getJobById(name, jobId);
    if (!job || job.state !== "failed") return false;
    const def = registry[name];
    const parsed = def?.payload.safeParse(job.data);
    if (def?.onAbandoned && parsed?.success)
      await def
        .onAbandoned(parsed.data, reason)
        .catch((err: unknown) => log(`job ${name} ${jobId}: recording its end failed: ${String(err)}`));
    return true;
  };

  const kinds: JobWorker["kinds"] = [];
  for (const [name, def] of Object.entries(registry)) {
    // One polling loop per slot: pg-boss runs a loop's batch to the end before it fetches again, so a batch of N would hold
    // N slots until its slowest job ends; N loops of one job each keep every slot busy.
    // A loop sleeps the polling interval after each job shorter than it, so a queue of short jobs would drain at one job per
    // slot per interval. Instead a slot that ends a job looks again at once, and one that takes a job wakes its idle
    // siblings: while the queue has jobs every slot works; an empty queue is polled as before.
    const slots: { id: string | null; busy: boolean }[] = [];
    const wakeIdle = () => {
      for (const s of slots) if (!s.busy && s.id) boss.notifyWorker(s.id);
    };
    for (let slot = 0; slot < def.concurrency; slot++) {
      const me: { id: string | null; busy: boolean } = { id: null, busy: false };
      slots.push(me);
      me.id = await boss.work(
        name,
        { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2 },
        async (batch) => {
          me.busy = true;
          wakeIdle();
          try {
            for (const job of batch) await run(name, def, job);
          } finally {
            me.busy = false;
            if (me.id) boss.notifyWorker(me.id);
          }
        },
      );
    }
    kinds.push({ name, concurrency: def.concurrency });
  }

  return {
    kinds,
    async stop(waitMs = 10_000) {
      for (const controller of running) controller.abort(new Error("The worker is shutting down."));
      await stopQueue(waitMs);
    },
    async reapOrphans() {
      const orphans = await orphanedJobLeases();
      for (const o of orphans) {
        // Only an active job changes: it goes to retry (or fails when out of retries), as if its handler had thrown.
        const reason = `its worker ${o.workerId} stopped answering while running it`;
        await boss.fail(o.queue, o.jobId, { message: reason });
        await dropJobLease(o.jobId, o.workerId);
        const ended = await abandonedForGood(o.queue, o.jobId, reason);
        log(
          `job ${o.queue} ${o.jobId} was held by ${o.workerId}, which stopped answering: ${ended ? "failed for good (no retry left)" : "handed to a retry"}`,
        );
      }
      // A worker killed after it took a job and before it leased it leaves the job active with no lease: found here
      // once it is older than any live worker's silent limit (a lease is written within milliseconds of the take).
      let unleased: { jobId: string; queue: string }[] = [];
      if (opts.workerId) {
        unleased = await unleasedActiveJobs(
          kinds.map((k) => k.name).filter((n) => n !== "heartbeat"),
          Math.max(30, silentLimitSeconds),
        );
        for (const u of unleased) {
          const reason = "its worker stopped before it noted the job as its own";
          await boss.fail(u.queue, u.jobId, { message: reason });
          const ended = await abandonedForGood(u.queue, u.jobId, reason);
          log(
            `job ${u.queue} ${u.jobId} was taken by a worker that stopped before leasing it: ${ended ? "failed for good (no retry left)" : "handed to a retry"}`,
          );
        }
      }
      return orphans.length + unleased.length;
    },
  };
}

/** On SIGINT or SIGTERM: stops `worker` (aborting running handlers), runs `cleanup`, and exits 0. */
export function stopOnSignals(worker: JobWorker, log: (line: string) => void, cleanup: () => Promise<void> = async () => undefined): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping the running jobs`);
    await worker.stop();
    await cleanup();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}
