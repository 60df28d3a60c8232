// Load-harness runs as the pages list them.
import { listLoadRuns } from "@/lib/db/loadRuns";

/** The latest load runs, newest first. */
export function recentLoadRuns() {
  return listLoadRuns();
}
