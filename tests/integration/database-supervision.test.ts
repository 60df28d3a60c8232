// `npm start` watches its own embedded PostgreSQL: killed under a running stack (as `kill -INT <pid>` would), it is reported
// in one line, started again with backoff, reported back, and the app recovers, without a flood of connection errors.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { startStack, type RunningStack } from "@/lib/runtime/stack";
import { freePort } from "../support/ports";

let dir: string;
let stack: RunningStack;
let base: string;
const log: string[] = [];
const childLog = () => fs.readFileSync(path.join(dir, "children.log"), "utf8");
/** The pid of the PostgreSQL server now running in the stack's data folder (its postmaster.pid file's first line). */
const postgresPid = () => Number(fs.readFileSync(path.join(stack.embeddedDataDir!, "postmaster.pid"), "utf8").split("\n")[0]);

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the log:\n${log.join("\n")}\n${childLog()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function health(): Promise<{ httpStatus: number; db?: string; queue?: string; worker?: string }> {
  try {
    const res = await fetch(`${base}/api/v1/health`);
    return { ...((await res.json()) as { db: string; queue: string; worker: string }), httpStatus: res.status };
  } catch {
    return { httpStatus: 0 };
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-db-supervision-"));
  fs.chmodSync(dir, 0o755);
  const webPort = await freePort();
  base = `http://127.0.0.1:${webPort}`;
  stack = await startStack({
    root: process.cwd(),
    dataDir: dir,
    sharedDir: env().ASSAY_SHARED_DIR,
    pgPort: await freePort(),
    webPort,
    host: "127.0.0.1",
    demo: false,
    workers: 1,
    build: "if-needed",
    log: (line) => log.push(line),
    childOutput: { file: path.join(dir, "children.log") },
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the embedded database stops under a running npm start", () => {
  it("is reported in one line, restarted, reported back, and the app recovers", async () => {
    await until("a healthy stack", async () => (await health()).db === "ok");
    const pid = postgresPid();
    const childLinesBefore = childLog().split("\n").length;

    process.kill(pid, "SIGINT");

    const stopped = new RegExp(
      `^The embedded PostgreSQL \\(pid ${pid}\\) stopped with exit code 0 after [\\d.]+ s; restarting it in 1\\.0 s \\(restart 1\\)\\. Until it is back, pages and the API answer 503 \\(database unavailable\\) and the workers wait\\.$`,
    );
    await until("the line saying it stopped", () => log.some((l) => stopped.test(l)));
    await until("the line saying it is back", () => log.filter((l) => l.startsWith("The embedded PostgreSQL started (pid ")).length === 2);
    const back = log.find((l) => l.startsWith("The embedded PostgreSQL started (pid ") && !l.includes(`(pid ${pid})`))!;
    expect(back).toMatch(/^The embedded PostgreSQL started \(pid \d+\) and is back, [\d.]+ s after it stopped\.$/);
    expect(log).toContain(`The embedded PostgreSQL started (pid ${pid}).`);
    const newPid = postgresPid();
    expect(newPid).not.toBe(pid);
    expect(back).toContain(`(pid ${newPid})`);

    // The app uses the restarted database: health and the queue are fine again, without restarting anything else.
    let last: unknown;
    await until("health to recover", async () => {
      const h = await health();
      last = h;
      return h.httpStatus === 200 && h.db === "ok" && h.queue === "ok" && h.worker === "ok";
    }).catch((err: Error) => {
      throw new Error(`${err.message}\nlast health: ${JSON.stringify(last)}`);
    });
    // Give the workers' queue a few polling rounds to have met the outage, then count what they said about it.
    await new Promise((r) => setTimeout(r, 3_000));
    const during = childLog()
      .split("\n")
      .slice(childLinesBefore - 1);
    const noisy = during.filter((l) => /ECONNREFUSED|Connection terminated|terminating connection|shutting down/.test(l));
    // Each process that lost the database says so once, and once that it is back; nothing else about the connection.
    const lost = noisy.filter((l) => /^\[queue\] lost the database \(.+\); waiting for it to come back\.$/.test(l));
    expect(noisy, during.join("\n")).toEqual(lost);
    expect(lost.length, during.join("\n")).toBeLessThanOrEqual(2);
    // No process crashed over it with a stack trace (pg-boss's unawaited job completion used to kill the worker).
    expect(
      during.filter((l) => /^\s+at |Node\.js v\d/.test(l)),
      during.join("\n"),
    ).toEqual([]);
    expect(
      log.filter((l) => l.startsWith("worker 1 ")),
      log.join("\n"),
    ).toHaveLength(1);
    expect(during.filter((l) => l === "[queue] the database is back.").length).toBe(lost.length);
  }, 120_000);
});
