import { z } from "zod";
import { upsertWorkerHeartbeat } from "@/lib/db/workers";

export const heartbeatPayload = z.object({
  workerId: z.string().min(1).max(200),
  hostname: z.string().max(255),
  pid: z.number().int().nonnegative(),
  startedAt: z.string().datetime(),
});

/** Heartbeat job: stamps the sending worker as alive (idempotent: an upsert keyed by worker id). */
export async function runHeartbeat(payload: z.infer<typeof heartbeatPayload>): Promise<void> {
  await upsertWorkerHeartbeat({
    workerId: payload.workerId,
    hostname: payload.hostname,
    pid: payload.pid,
    startedAt: new Date(payload.startedAt),
  });
}
