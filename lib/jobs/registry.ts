import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { validationError } from "@/lib/validation/issues";
import { heartbeatPayload, runHeartbeat } from "./heartbeat";
import { queue } from "./queue";

interface JobDefinition<S extends z.ZodType> {
  payload: S;
  /** Idempotent: safe to run twice for the same payload, and after a crash. */
  handle: (payload: z.infer<S>) => Promise<void>;
  /** Seconds a job may run before pg-boss retries it elsewhere. */
  expireInSeconds: number;
  retryLimit: number;
}

function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}

/** Every job kind: name -> zod payload -> idempotent handler. Workers subscribe to all of them. */
export const jobs = {
  heartbeat: defineJob({ payload: heartbeatPayload, handle: runHeartbeat, expireInSeconds: 60, retryLimit: 0 }),
};

export type JobName = keyof typeof jobs;

/** Validates a payload against its job's schema and puts it on the queue. */
export async function enqueue<N extends JobName>(
  name: N,
  payload: z.input<(typeof jobs)[N]["payload"]>,
  options: { singletonKey?: string } = {},
) {
  const def = jobs[name];
  const parsed = def.payload.safeParse(payload);
  if (!parsed.success) throw validationError(parsed.error);
  const boss = await queue();
  const id = await boss.send(name, parsed.data as object, {
    expireInSeconds: def.expireInSeconds,
    retryLimit: def.retryLimit,
    ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
  });
  if (!id && !options.singletonKey) throw new AppError("INTERNAL", `The queue refused job ${name}.`);
  return id;
}

/** Creates every registered queue (idempotent). */
export async function ensureQueues(): Promise<void> {
  const boss = await queue();
  for (const name of Object.keys(jobs)) {
    if (!(await boss.getQueue(name))) await boss.createQueue(name);
  }
}
