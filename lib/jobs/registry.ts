import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { validationError } from "@/lib/validation/issues";
import { heartbeatPayload, runHeartbeat } from "./heartbeat";
import { judgeBatch, judgeWatch } from "@/lib/judge/runs";
import { judgeBatchPayload, judgeWatchPayload } from "@/lib/validation/judgeRuns";
import { queue } from "./queue";
import { loadShardAbandoned, runLoadShard } from "@/lib/loadRuns/job";
import { loadRunShardPayload } from "@/lib/validation/loadRuns";
import { runRampChecks } from "@/lib/rollouts/rampJob";
import { rampCheckPayload } from "@/lib/validation/ramp";
import { runAllocationUpdates } from "@/lib/rollouts/allocation";
import { allocationUpdatePayload } from "@/lib/validation/allocation";
import { deliverWebhook, deliveryAbandoned, WEBHOOK_ATTEMPTS } from "@/lib/webhooks/deliver";
import { webhookDeliveryPayload } from "@/lib/validation/webhooks";

/** What a handler gets for one job. */
export interface JobContext<P> {
  payload: P;
  jobId: string;
  /** 1 on the first run, 2 on the first retry, and so on. */
  attempt: number;
  /**
   * Aborted when the worker shuts down or the job outlives `expireInSeconds`: stop soon (the job is then retried, here or
   * on another worker, so progress already written must be safe to resume from).
   */
  signal: AbortSignal;
}

/** How a job that threw is retried: up to `limit` more runs, `delaySeconds` apart, doubling each time when `backoff`. */
export interface RetryPolicy {
  limit: number;
  delaySeconds: number;
  backoff: boolean;
}

export interface JobDefinition<S extends z.ZodType> {
  payload: S;
  /** Idempotent: safe to run twice for the same payload, and after a crash. */
  handle(ctx: JobContext<z.infer<S>>): Promise<void>;
  /** Jobs of this kind one worker process runs at the same time. */
  concurrency: number;
  /** Seconds a job may run before it is failed (and retried under `retry`), and its signal aborted. */
  expireInSeconds: number;
  /** For errors that may pass on a later run. A payload that fails its schema, or a PermanentJobError, is never retried. */
  retry: RetryPolicy;
  /**
   * Called once when a job of this kind is failed for good because the worker running it died (no retry is left to
   * finish it): where its kind records that nothing will, so the work it stood for does not stay "running" for ever.
   */
  onAbandoned?(payload: z.infer<S>, reason: string): Promise<void>;
}

/** Job name -> definition. */
export type JobRegistry = Record<string, JobDefinition<z.ZodType>>;

/** Thrown by a handler (or for a payload that fails its schema) when running the job again can never succeed: it is failed at once. */
export class PermanentJobError extends Error {
  override name = "PermanentJobError";
}

export function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}

/** Every job kind: name -> zod payload -> idempotent handler. Workers subscribe to all of them. */
export const jobs = {
  heartbeat: defineJob({
    payload: heartbeatPayload,
    handle: ({ payload }) => runHeartbeat(payload),
    concurrency: 1,
    expireInSeconds: 60,
    // A missed beat is replaced by the next one 15 s later.
    retry: { limit: 0, delaySeconds: 0, backoff: false },
  }),
  /** Judges a batch of a judge run's interactions (lib/judge/runs.ts); a retry takes up what a dead worker left PENDING. */
  judgeBatch: defineJob({
    payload: judgeBatchPayload,
    handle: ({ payload, signal }) => judgeBatch(payload, signal),
    concurrency: 8,
    expireInSeconds: 900,
    retry: { limit: 5, delaySeconds: 5, backoff: true },
  }),
  /** A continuous judge run's look for new interactions; queues the next look while the experiment runs. */
  judgeWatch: defineJob({
    payload: judgeWatchPayload,
    handle: ({ payload }) => judgeWatch(payload),
    concurrency: 2,
    expireInSeconds: 120,
    retry: { limit: 10, delaySeconds: 5, backoff: true },
  }),
  /** One shard of a load run (lib/loadRuns/job.ts): never retried, since a re-run would send the schedule twice. */
  loadRunShard: defineJob({
    payload: loadRunShardPayload,
    handle: ({ payload, signal }) => runLoadShard(payload, signal),
    concurrency: 1,
    expireInSeconds: 6 * 3600,
    retry: { limit: 0, delaySeconds: 0, backoff: false },
    onAbandoned: (payload, reason) => loadShardAbandoned(payload, reason),
  }),
  /** The automatic ramp check (lib/rollouts/rampJob.ts): queued at every heartbeat; each ramp is looked at when due. */
  rampCheck: defineJob({
    payload: rampCheckPayload,
    handle: async () => void (await runRampChecks()),
    concurrency: 1,
    expireInSeconds: 600,
    // The next heartbeat queues another.
    retry: { limit: 0, delaySeconds: 0, backoff: false },
  }),
  /** Thompson-sampling weights (lib/rollouts/allocation.ts): queued at every heartbeat; each experiment is recomputed when due. */
  allocationUpdate: defineJob({
    payload: allocationUpdatePayload,
    handle: async () => void (await runAllocationUpdates()),
    concurrency: 1,
    expireInSeconds: 600,
    retry: { limit: 0, delaySeconds: 0, backoff: false },
  }),
  /** One webhook announcement (lib/webhooks/deliver.ts), retried with backoff while the receiver fails. */
  webhookDelivery: defineJob({
    payload: webhookDeliveryPayload,
    handle: ({ payload, attempt }) => deliverWebhook(payload.deliveryId, attempt),
    concurrency: 4,
    expireInSeconds: 60,
    retry: { limit: WEBHOOK_ATTEMPTS - 1, delaySeconds: 5, backoff: true },
    onAbandoned: (payload, reason) => deliveryAbandoned(payload.deliveryId, reason),
  }),
} satisfies JobRegistry;

export type JobName = keyof typeof jobs;

/** Validates a payload against its job's schema in `registry` and puts it on the queue, with the job's expiry and retry policy. */
export async function enqueueJob<R extends JobRegistry, N extends keyof R & string>(
  registry: R,
  name: N,
  payload: z.input<R[N]["payload"]>,
  options: { singletonKey?: string; startAfterSeconds?: number } = {},
): Promise<string | null> {
  const def = registry[name];
  const parsed = def.payload.safeParse(payload);
  if (!parsed.success) throw validationError(parsed.error);
  const boss = await queue();
  const id = await boss.send(name, parsed.data as object, {
    expireInSeconds: def.expireInSeconds,
    retryLimit: def.retry.limit,
    retryDelay: def.retry.delaySeconds,
    retryBackoff: def.retry.backoff,
    ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
    ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
  });
  if (!id && !options.singletonKey) throw new AppError("INTERNAL", `The queue refused job ${name}.`);
  return id;
}

/** Puts an Assay job on the queue (see enqueueJob). */
export function enqueue<N extends JobName>(
  name: N,
  payload: z.input<(typeof jobs)[N]["payload"]>,
  options: { singletonKey?: string; startAfterSeconds?: number } = {},
) {
  return enqueueJob(jobs, name, payload, options);
}

/** Creates every queue of `registry` (idempotent). */
export async function ensureQueues(registry: JobRegistry = jobs): Promise<void> {
  const boss = await queue();
  for (const name of Object.keys(registry)) {
    if (!(await boss.getQueue(name))) await boss.createQueue(name);
  }
}
