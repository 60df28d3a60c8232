import { latestWorkerHeartbeat, pingDatabase, queueInstalled } from "@/lib/db/workers";
import { QUEUE_SCHEMA } from "@/lib/jobs/queue";
import packageJson from "@/package.json";

export type Check = "ok" | "down";
export interface Health {
  status: "ok" | "degraded";
  db: Check;
  queue: Check;
  worker: Check;
  version: string;
  workerLastSeen: string | null;
}

/** A worker counts as alive when one of its heartbeat jobs ran within this window. */
export const WORKER_STALE_AFTER_MS = 60_000;

/** Checks the database, the queue schema and the latest worker heartbeat. */
export async function checkHealth(now = new Date()): Promise<Health> {
  const dbOk = await pingDatabase().catch(() => false);
  const [queueOk, lastBeat] = dbOk
    ? await Promise.all([queueInstalled(QUEUE_SCHEMA, "heartbeat").catch(() => false), latestWorkerHeartbeat().catch(() => null)])
    : [false, null];
  const workerOk = lastBeat !== null && now.getTime() - lastBeat.getTime() <= WORKER_STALE_AFTER_MS;
  return {
    status: dbOk && queueOk && workerOk ? "ok" : "degraded",
    db: dbOk ? "ok" : "down",
    queue: queueOk ? "ok" : "down",
    worker: workerOk ? "ok" : "down",
    version: packageJson.version,
    workerLastSeen: lastBeat?.toISOString() ?? null,
  };
}
