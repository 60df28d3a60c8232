#!/usr/bin/env node
// bench:startup — start-up times of a fresh clone, as a newcomer meets them:
//   npm ci, the first `npm start` (embedded PostgreSQL initdb, migrations, demo seed, next build, web + worker)
//   until the login page answers, then a second `npm start` on the same data until the login page answers.
// Usage: npm run bench:startup [-- --runs 2] [-- --private]   (clones HEAD of this repository into a temporary folder)
//   --private: the folder stays 0700 (as `mktemp -d` or /root), so as root the embedded PostgreSQL's programs are staged
//   into a fresh ASSAY_SHARED_DIR and its data kept there; the figures then include that first-run copy.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 2;
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const privateFolder = process.argv.includes("--private");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "assay-bench-startup-"));
if (!privateFolder) fs.chmodSync(work, 0o755);
// A shared folder of this run's own, so staging the programs is measured rather than found from an earlier run.
const shared = fs.mkdtempSync(path.join(os.tmpdir(), "assay-bench-shared-"));
fs.chmodSync(shared, 0o755);

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function timeStart(dir, port, pgPort) {
  const t0 = performance.now();
  const child = spawn("npm", ["start"], {
    cwd: dir,
    env: { ...process.env, PORT: String(port), ASSAY_PG_PORT: String(pgPort), ASSAY_SHARED_DIR: shared },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${log}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/login`);
      if (res.status === 200 && (await res.text()).includes("Sign in")) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const loginMs = performance.now() - t0;
  let workerMs = null;
  while (performance.now() - t0 < 120_000) {
    const h = await fetch(`http://127.0.0.1:${port}/api/v1/health`)
      .then((r) => r.json())
      .catch(() => null);
    if (h?.worker === "ok") {
      workerMs = performance.now() - t0;
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const s0 = performance.now();
  process.kill(-child.pid, "SIGINT");
  await new Promise((r) => child.once("exit", r));
  return { loginMs, workerMs, stopMs: performance.now() - s0, log };
}

const rows = [];
try {
  const dir = path.join(work, "assay");
  execFileSync("git", ["clone", "-q", repo, dir]);
  const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: dir, encoding: "utf8" }).trim();
  let t = performance.now();
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: dir, stdio: "ignore" });
  rows.push(["npm ci (fresh clone)", performance.now() - t]);
  const [port, pgPort] = [await freePort(), await freePort()];
  const first = await timeStart(dir, port, pgPort);
  rows.push(["first npm start -> login page (initdb, migrate, seed, build)", first.loginMs]);
  rows.push(["first npm start -> health worker ok", first.workerMs]);
  rows.push(["Ctrl-C -> all stopped", first.stopMs]);
  for (let i = 0; i < runs; i++) {
    const again = await timeStart(dir, port, pgPort);
    rows.push([`later npm start #${i + 1} -> login page`, again.loginMs]);
    rows.push([`later npm start #${i + 1} -> health worker ok`, again.workerMs]);
  }
  console.log(
    `bench:startup  commit ${commit}  folder ${privateFolder ? "0700" : "0755"}  ${os.cpus().length} cores  ${os.cpus()[0]?.model ?? ""}  node ${process.version}  ${new Date().toISOString()}`,
  );
  for (const [name, ms] of rows) console.log(`${name.padEnd(62)} ${ms === null ? "n/a" : (ms / 1000).toFixed(1).padStart(7) + " s"}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(shared, { recursive: true, force: true });
}
