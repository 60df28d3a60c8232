// Worker entry point: `npm run worker` (any number of them, on any machine, against DATABASE_URL).
import os from "node:os";
import { randomUUID } from "node:crypto";
import { jobs, enqueue, ensureQueues, type JobName } from "@/lib/jobs/registry";
import { queue, stopQueue } from "@/lib/jobs/queue";
import { disconnectDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { validationError } from "@/lib/validation/issues";

const HEARTBEAT_EVERY_MS = 15_000;
const workerId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
const startedAt = new Date().toISOString();

async function main(): Promise<void> {
  if (!env().DATABASE_URL) {
    console.error(
      "[worker] DATABASE_URL is not set: point it at Assay's database (npm start prints it), e.g. DATABASE_URL=postgresql://... npm run worker",
    );
    process.exit(2);
  }
  const boss = await queue();
  await ensureQueues();
  for (const name of Object.keys(jobs) as JobName[]) {
    const def = jobs[name];
    await boss.work(name, { pollingIntervalSeconds: 2 }, async (batch) => {
      for (const job of batch) {
        const parsed = def.payload.safeParse(job.data);
        if (!parsed.success) throw validationError(parsed.error);
        await def.handle(parsed.data as never);
      }
    });
  }
  const beat = () =>
    enqueue("heartbeat", { workerId, hostname: os.hostname(), pid: process.pid, startedAt }).catch((err) =>
      console.error("[worker] heartbeat enqueue failed:", err instanceof Error ? err.message : err),
    );
  await beat();
  const timer = setInterval(beat, HEARTBEAT_EVERY_MS);
  console.log(`[worker] ${workerId} ready: ${Object.keys(jobs).join(", ")}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    console.log(`[worker] ${signal}: finishing active jobs`);
    await stopQueue();
    await disconnectDb();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err) => {
  console.error("[worker] failed to start:", err instanceof Error ? err.message : err);
  process.exit(1);
});
