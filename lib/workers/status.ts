import { listLiveWorkers } from "@/lib/db/workers";
import { WORKER_STALE_AFTER_MS } from "@/lib/health";

/** Workers whose heartbeat job ran within the health window. */
export function liveWorkers(now = new Date()) {
  return listLiveWorkers(new Date(now.getTime() - WORKER_STALE_AFTER_MS));
}
