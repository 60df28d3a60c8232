// A worker killed with SIGKILL in the middle of a judge run: the jobs it held are handed on (their leases outlive its
// heartbeats, lib/jobs/worker.ts reapOrphans) and the run ends with exactly one score per interaction, none missing,
// none twice, nothing counted as failed. The judge is the built-in simulator, throttled (8 at a time, 150 ms each) so
// that the run is still going when the worker dies.
import { spawn, type ChildProcess } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startSimulator, type RunningSimulator } from "@/lib/simulator/server";
import { api } from "../support/http";
import { demoCredentials } from "../support/roles";
import { minimalExperimentBody } from "../support/experiments";

// 16 batches of 50: more than the stack's own worker takes at once (8), so the doomed worker gets some of them.
const N = 800;
const stamp = Date.now().toString(36);
const key = `resume-${stamp}`;
let creds: Awaited<ReturnType<typeof demoCredentials>>;
let sim: RunningSimulator;
let db: pg.Client;
const children: ChildProcess[] = [];

/** A worker process of our own with a one-second heartbeat (so it is found dead about 11 s after it dies). */
function worker(): Promise<{ child: ChildProcess; id: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "workers/index.ts"], {
    env: { ...process.env, DATABASE_URL: inject("databaseUrl"), ASSAY_HEARTBEAT_SECONDS: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker did not start: ${output}`)), 60_000);
    const seen = (d: Buffer) => {
      output += d;
      const m = /\[worker\] (\S+) ready:/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ child, id: m[1] });
      }
    };
    child.stdout!.on("data", seen);
    child.stderr!.on("data", seen);
  });
}

beforeAll(async () => {
  creds = await demoCredentials();
  db = new pg.Client({ connectionString: inject("databaseUrl") });
  await db.connect();
  sim = await startSimulator({ port: 0, ttftMs: 150, itlMs: 0, jitter: 0, maxConcurrency: 8, seed: 7 });
  const endpoint = await api("/api/v1/endpoints", {
    key: creds.ENGINEER.key,
    body: { name: `slow-judge-${stamp}`, baseUrl: `${sim.url}/v1`, defaultModel: "assay-sim-1" },
  });
  expect(endpoint.status, endpoint.text).toBe(201);
  expect((await api("/api/v1/experiments", { key: creds.PM.key, body: minimalExperimentBody(key) })).status).toBe(201);
  expect((await api(`/api/v1/experiments/${key}/start`, { key: creds.PM.key, body: {} })).status).toBe(200);
  const records = Array.from({ length: N }, (_, i) => ({
    request_id: `${key}-${i}`,
    user_id: `${key}-u${i}`,
    experiment_key: key,
    variant_id: i % 2 ? "B" : "A",
    user_input: `How do I export my data? (${i})`,
    model_output: "Open Settings, then Privacy, then Export. You get a file by email within an hour.",
  }));
  const sent = await api("/api/v1/interactions", { key: creds.ENGINEER.key, body: records });
  expect(sent.json.accepted, sent.text).toBe(N);
}, 120_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await sim?.close();
  await db?.end();
});

type Run = { id: string; status: string; total: number; scored: number; skipped: number; failed: number; pending: number };
const view = async (id: string): Promise<Run> => (await api(`/api/v1/judge-runs/${id}`, { key: creds.REVIEWER.key })).json.run;

describe("a judge run whose worker is killed", () => {
  it("resumes on the other workers with no duplicate and no missing score", async () => {
    const doomed = await worker();
    const started = await api(`/api/v1/experiments/${key}/judge-runs`, {
      key: creds.PM.key,
      body: { endpoint: `slow-judge-${stamp}`, mode: "all" },
    });
    expect(started.status, started.text).toBe(201);
    const runId = started.json.run.id as string;

    // Wait until the doomed worker holds judge jobs and the run has written some scores, then kill it outright.
    let held: string[] = [];
    await expect
      .poll(
        async () => {
          held = (await db.query(`SELECT "jobId" FROM "JobLease" WHERE "workerId" = $1 AND queue = 'judgeBatch'`, [doomed.id])).rows.map(
            (r) => r.jobId,
          );
          const run = await view(runId);
          return held.length > 0 && run.scored >= 8 && run.pending > 0;
        },
        { timeout: 90_000, interval: 100 },
      )
      .toBe(true);
    const exited = new Promise((r) => doomed.child.once("exit", r));
    doomed.child.kill("SIGKILL");
    await exited;
    const atKill = await view(runId);
    expect(atKill.status).toBe("RUNNING");
    expect(atKill.pending).toBeGreaterThan(0);

    // A worker comes back (as the supervisor would restart it); the run finishes.
    await worker();
    let run: Run | null = null;
    await expect
      .poll(
        async () => {
          run = await view(runId);
          return run.status;
        },
        // Alone this takes about 30 s; a CI machine busy with two browsers at once has needed far more.
        { timeout: 240_000, interval: 500 },
      )
      .toBe("SUCCEEDED");
    expect(run).toMatchObject({ total: N, scored: N, skipped: 0, failed: 0, pending: 0 });

    const scores = (
      await db.query(
        `SELECT count(*)::int AS n, count(DISTINCT s."interactionId")::int AS distinct FROM "JudgeScore" s
         JOIN "Interaction" i ON i.id = s."interactionId" JOIN "Experiment" e ON e.id = i."experimentId" WHERE e.key = $1`,
        [key],
      )
    ).rows[0];
    expect(scores).toEqual({ n: N, distinct: N });
    // The killed worker's jobs really were taken over: each ran again (a retry) and completed, and no lease is left.
    const jobs = (await db.query(`SELECT state, retry_count FROM pgboss.job WHERE id = ANY($1::uuid[])`, [held])).rows;
    expect(jobs).toHaveLength(held.length);
    for (const j of jobs) {
      expect(j.state).toBe("completed");
      expect(j.retry_count).toBeGreaterThanOrEqual(1);
    }
    const left = (await db.query(`SELECT count(*)::int AS n FROM "JobLease" WHERE "jobId" = ANY($1)`, [held])).rows[0].n;
    expect(left).toBe(0);
  }, 420_000);
});
