// `npm run worker`: more workers against the same database, each proven alive by a heartbeat job it really ran.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";

async function heartbeatOf(pid: number): Promise<Date | null> {
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  await client.connect();
  try {
    const rows = (await client.query(`SELECT "lastBeat" FROM "WorkerHeartbeat" WHERE pid = $1 ORDER BY "lastBeat" DESC LIMIT 1`, [pid]))
      .rows;
    return rows[0]?.lastBeat ?? null;
  } finally {
    await client.end();
  }
}

describe("npm run worker", () => {
  it("a second worker joins the same database, runs its heartbeat job, and stops cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "workers/index.ts"], {
      env: { ...process.env, DATABASE_URL: inject("databaseUrl") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const deadline = Date.now() + 30_000;
    let beat: Date | null = null;
    while (!beat && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      beat = await heartbeatOf(child.pid!);
    }
    expect(beat, output).not.toBeNull();
    expect(Date.now() - beat!.getTime()).toBeLessThan(60_000);
    expect(output).toContain("ready: heartbeat");

    const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
  });

  it("a job a dead worker took but never leased is handed to a retry by a live worker", async () => {
    // As if a worker had taken the job (active, started a minute ago) and died before writing its lease; the stack's
    // worker (a 15 s beat: it looks every 15 s, and takes an unleased job for abandoned after 45 s) hands it on.
    const client = new pg.Client({ connectionString: inject("databaseUrl") });
    await client.connect();
    const id = (
      await client.query(
        `INSERT INTO pgboss.job (name, data, state, started_on, retry_limit, retry_delay, start_after)
         VALUES ('judgeBatch', '{"runId": "no-such-run", "interactionIds": []}', 'active', now() - interval '1 minute', 3, 3600, now())
         RETURNING id::text`,
      )
    ).rows[0].id as string;
    try {
      await expect
        .poll(async () => (await client.query(`SELECT state, output->>'message' AS message FROM pgboss.job WHERE id = $1`, [id])).rows[0], {
          timeout: 45_000,
          interval: 500,
        })
        .toEqual({ state: "retry", message: "its worker stopped before it noted the job as its own" });
    } finally {
      await client.query(`DELETE FROM pgboss.job WHERE id = $1`, [id]);
      await client.end();
    }
  }, 90_000);

  it("a load run whose worker died mid-run (its job is never retried) ends FAILED with the reason, instead of running for ever", async () => {
    // A running one-shard run, and its job as a worker that died before leasing it would leave it; load-run jobs have
    // no retry (a re-run would send the schedule twice), so the live worker fails the job for good and the run ends.
    const client = new pg.Client({ connectionString: inject("databaseUrl") });
    await client.connect();
    const runId = `abandoned-${Date.now().toString(36)}`;
    await client.query(
      `INSERT INTO "LoadRun" (id, name, status, shards, source, progress, "cancelRequested", "createdAt", "startedAt")
       VALUES ($1, 'abandoned run', 'RUNNING', 1, 'run', 0.3, false, now(), now())`,
      [runId],
    );
    await client.query(
      `INSERT INTO "LoadRunShard" (id, "loadRunId", shard, status, total, sent, done, failed, "inFlight", "currentRate", "notSent", aborted, "updatedAt")
       VALUES ($1, $2, 0, 'RUNNING', 100, 30, 29, 0, 1, 10, 0, false, now())`,
      [`${runId}-0`, runId],
    );
    const id = (
      await client.query(
        `INSERT INTO pgboss.job (name, data, state, started_on, retry_limit, retry_delay, start_after)
         VALUES ('loadRunShard', $1, 'active', now() - interval '1 minute', 0, 0, now()) RETURNING id::text`,
        [JSON.stringify({ runId, shard: 0 })],
      )
    ).rows[0].id as string;
    try {
      await expect
        .poll(async () => (await client.query(`SELECT status, error FROM "LoadRun" WHERE id = $1`, [runId])).rows[0], {
          timeout: 60_000,
          interval: 500,
        })
        .toEqual({
          status: "FAILED",
          error: "shard 0: the run stopped: its worker stopped before it noted the job as its own",
        });
      expect((await client.query(`SELECT state FROM pgboss.job WHERE id = $1`, [id])).rows[0].state).toBe("failed");
      expect((await client.query(`SELECT status FROM "LoadRunShard" WHERE "loadRunId" = $1`, [runId])).rows[0].status).toBe("FAILED");
    } finally {
      await client.query(`DELETE FROM pgboss.job WHERE id = $1`, [id]);
      await client.query(`DELETE FROM "LoadRun" WHERE id = $1`, [runId]);
      await client.end();
    }
  }, 90_000);

  it("without DATABASE_URL and with no embedded database in ASSAY_DATA_DIR it exits 2 and says what to set", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "assay-no-db-"));
    const env: NodeJS.ProcessEnv = { ...process.env, ASSAY_DATA_DIR: empty };
    delete env.DATABASE_URL;
    const res = spawnSync(process.execPath, ["--import", "tsx", "workers/index.ts"], { env, encoding: "utf8", timeout: 30_000 });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain(`DATABASE_URL is not set, and ${empty} holds no embedded database`);
    fs.rmSync(empty, { recursive: true, force: true });
  });
});
