// The job registry, run by a real worker process with the real queue on a database of its own: handlers get
// { payload, jobId, attempt, signal }, each kind runs at its declared concurrency, a payload that fails its schema is failed
// at once, a thrown error is retried with backoff, and SIGTERM aborts a running handler's signal.
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { enqueueJob } from "@/lib/jobs/registry";
import { queue, stopQueue } from "@/lib/jobs/queue";
import { probeJobs } from "../support/probeWorker";
import { useFreshDatabase } from "../support/freshDatabase";

interface ProbeEvent {
  event: string;
  kind: string;
  jobId: string;
  attempt?: number;
  reason?: string;
  at: number;
}

let dropDatabase: () => Promise<void>;
let worker: ChildProcess;
let exited: Promise<number | null>;
let output = "";
const events: ProbeEvent[] = [];

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; worker output:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function jobWhenSettled(name: string, id: string) {
  const boss = await queue();
  return until(`${name} ${id} to settle`, async () => {
    const job = await boss.getJobById<unknown>(name, id);
    return job && ["completed", "failed"].includes(job.state) ? job : undefined;
  });
}

beforeAll(async () => {
  dropDatabase = await useFreshDatabase("jobs");
  worker = spawn(process.execPath, ["--import", "tsx", "tests/support/probeWorker.ts"], {
    env: { ...process.env, DATABASE_URL: env().DATABASE_URL },
    stdio: ["ignore", "pipe", "pipe"],
  });
  exited = new Promise((resolve) => worker.once("exit", (code) => resolve(code)));
  let partial = "";
  worker.stdout!.on("data", (d) => {
    output += d;
    partial += d;
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) if (line.startsWith("PROBE ")) events.push(JSON.parse(line.slice(6)));
  });
  worker.stderr!.on("data", (d) => (output += d));
  await until("the probe worker", () => (output.includes("[probe-worker] ready:") ? true : undefined));
}, 60_000);

afterAll(async () => {
  if (worker.exitCode === null) worker.kill("SIGKILL");
  await stopQueue();
  await dropDatabase();
});

describe("job registry with a real worker", () => {
  it("declares each kind's concurrency to the worker", () => {
    expect(output).toContain("ready: probe_flaky=1, probe_strict=1, probe_sleep=2, probe_long=1");
  });

  it("a payload that fails its schema ends failed after exactly one attempt, though its kind allows three retries", async () => {
    const boss = await queue();
    // Sent past enqueue's own validation, as an older producer or a hand-made job would.
    const id = (await boss.send("probe_strict", { count: "three" }, { retryLimit: 3, retryDelay: 0 }))!;
    const job = await jobWhenSettled("probe_strict", id);
    expect(job.state).toBe("failed");
    expect(job.retryCount).toBe(0);
    expect(JSON.stringify(job.output)).toContain("count");
    // Still failed a while later, and the handler never saw it.
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await boss.getJobById("probe_strict", id))!.state).toBe("failed");
    expect(events.filter((e) => e.jobId === id)).toEqual([]);

    const good = (await enqueueJob(probeJobs, "probe_strict", { count: 3 }))!;
    expect((await jobWhenSettled("probe_strict", good)).state).toBe("completed");
    expect(events.filter((e) => e.jobId === good).map((e) => e.attempt)).toEqual([1]);
  });

  it("a handler that throws is retried with backoff: it sees attempt 1, then 2, with the same job id", async () => {
    const id = (await enqueueJob(probeJobs, "probe_flaky", { passOnAttempt: 2 }))!;
    const job = await jobWhenSettled("probe_flaky", id);
    expect(job.state).toBe("completed");
    expect(job.retryCount).toBe(1);
    const runs = events.filter((e) => e.jobId === id && e.event === "run");
    expect(runs.map((e) => e.attempt)).toEqual([1, 2]);
    // retryDelay 1 s with backoff: pg-boss waits 1 * 2^1 / 2 * (1 + random) = 1 to 2 s before the first retry.
    expect(runs[1].at - runs[0].at).toBeGreaterThanOrEqual(1_000);
  });

  it("runs a kind's jobs exactly as many at a time as it declares (probe_sleep: 2)", async () => {
    const ids = await Promise.all(Array.from({ length: 5 }, () => enqueueJob(probeJobs, "probe_sleep", { ms: 1_500 })));
    for (const id of ids) expect((await jobWhenSettled("probe_sleep", id!)).state).toBe("completed");
    const mine = events.filter((e) => ids.includes(e.jobId));
    const changes = mine.map((e) => ({ at: e.at, delta: e.event === "start" ? 1 : -1 })).sort((a, b) => a.at - b.at || a.delta - b.delta);
    let running = 0;
    let most = 0;
    for (const c of changes) {
      running += c.delta;
      most = Math.max(most, running);
    }
    expect(mine.filter((e) => e.event === "start")).toHaveLength(5);
    expect(most).toBe(2);
  });

  it("SIGTERM aborts the signal of a running handler, and the worker exits promptly", async () => {
    const id = (await enqueueJob(probeJobs, "probe_long", {}))!;
    await until("the long job to start", () => events.find((e) => e.jobId === id && e.event === "start"));
    const sent = Date.now();
    worker.kill("SIGTERM");
    expect(await exited).toBe(0);
    // Well inside the 10 s the worker would otherwise wait for running jobs.
    expect(Date.now() - sent).toBeLessThan(8_000);
    expect(events.find((e) => e.jobId === id && e.event === "aborted")?.reason).toBe("The worker is shutting down.");
    // The aborted run counts as an attempt; the job waits to be retried by another worker.
    const boss = await queue();
    expect((await boss.getJobById("probe_long", id))!.state).toBe("retry");
  });
});
