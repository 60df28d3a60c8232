// Worker entry point: `npm run worker` (any number of them, on any machine, against DATABASE_URL; on the machine that runs
// `npm start` with the embedded database, it finds that database through ASSAY_DATA_DIR).
import os from "node:os";
import { randomUUID } from "node:crypto";
import { jobs, enqueue } from "@/lib/jobs/registry";
import { startJobWorker, stopOnSignals, tolerateOutageRejections } from "@/lib/jobs/worker";
import { disconnectDb } from "@/lib/db/client";
import { dataDir, env, setEnv } from "@/lib/env";
import { findEmbeddedDatabaseUrl } from "@/lib/runtime/postgresHome";

const workerId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
const startedAt = new Date().toISOString();
const log = (line: string) => console.log(`[worker] ${line}`);

async function main(): Promise<void> {
  const e = env();
  if (!e.DATABASE_URL) {
    const url = findEmbeddedDatabaseUrl({ dataDir: dataDir(), sharedDir: e.ASSAY_SHARED_DIR, port: e.ASSAY_PG_PORT });
    if (!url) {
      console.error(
        `[worker] DATABASE_URL is not set, and ${dataDir()} holds no embedded database: run it beside \`npm start\` (same folder, same ASSAY_DATA_DIR and ASSAY_PG_PORT), or set DATABASE_URL=postgresql://... to Assay's database.`,
      );
      process.exit(2);
    }
    setEnv({ DATABASE_URL: url });
  }
  tolerateOutageRejections();
  const heartbeatSeconds = env().ASSAY_HEARTBEAT_SECONDS;
  const worker = await startJobWorker(jobs, { log, workerId, heartbeatSeconds });
  // Signals are handled from here on, before the first beat: a beat may be recorded (by another worker) before this one
  // is ready, and a SIGTERM sent then must still stop it cleanly.
  const beats: { timer?: NodeJS.Timeout } = {};
  stopOnSignals(worker, log, async () => {
    if (beats.timer) clearInterval(beats.timer);
    await disconnectDb();
  });
  // Jobs held by a worker that died (SIGKILL, power, OOM) are handed on within about three heartbeats, by whoever is alive.
  const reap = () =>
    worker
      .reapOrphans()
      .catch((err) => console.error("[worker] looking for abandoned jobs failed:", err instanceof Error ? err.message : err));
  const beat = () =>
    enqueue("heartbeat", { workerId, hostname: os.hostname(), pid: process.pid, startedAt }).catch((err) =>
      console.error("[worker] heartbeat enqueue failed:", err instanceof Error ? err.message : err),
    );
  // The automatic ramp check and the Thompson weights, queued with each beat (each returns at once when nothing is due).
  const rampCheck = () =>
    Promise.all([
      enqueue("rampCheck", {}).catch((err) =>
        console.error("[worker] ramp check enqueue failed:", err instanceof Error ? err.message : err),
      ),
      enqueue("allocationUpdate", {}).catch((err) =>
        console.error("[worker] allocation update enqueue failed:", err instanceof Error ? err.message : err),
      ),
    ]);
  await beat();
  await reap();
  await rampCheck();
  beats.timer = setInterval(() => void beat().then(reap).then(rampCheck), heartbeatSeconds * 1000);
  log(`${workerId} ready: ${worker.kinds.map((k) => `${k.name} (${k.concurrency} at a time)`).join(", ")}`);
}

main().catch((err) => {
  console.error("[worker] failed to start:", err instanceof Error ? err.message : err);
  process.exit(1);
});
