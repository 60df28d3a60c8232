// A start-up that cannot work stops at once with one line saying what is wrong and what to do: never a stack trace,
// nothing half-started. Each case runs the real `assay start` (what `npm start` runs) in its own process.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/ports";

let dir: string;
let busy: net.Server;
let busyPort: number;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-start-errors-"));
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(path.join(dir, "a-file"), "");
  busy = net.createServer();
  await new Promise<void>((resolve) => busy.listen(0, "0.0.0.0", resolve));
  busyPort = (busy.address() as net.AddressInfo).port;
});

afterAll(() => {
  busy.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base: NodeJS.ProcessEnv = { ...process.env, PORT: String(await freePort()), ASSAY_PG_PORT: String(await freePort()) };
  for (const k of ["DATABASE_URL", "ASSAY_DATA_DIR", "HOST"]) delete base[k];
  const child = spawn(process.execPath, ["cli/bin.mjs", "start"], { env: { ...base, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

function expectOneLine(res: { stdout: string; stderr: string }, message: string) {
  expect(res.stderr).toBe(`error: ${message}\n`);
  expect(`${res.stdout}${res.stderr}`).not.toMatch(/\n\s+at |Error:|node:internal/);
}

describe("assay start refuses what cannot work, in one line", () => {
  it("the web port is taken: says so before starting anything", async () => {
    const data = path.join(dir, "web-port");
    const res = await start({ PORT: String(busyPort), ASSAY_DATA_DIR: data });
    expect(res.code).toBe(1);
    expectOneLine(
      res,
      `Port ${busyPort} is already in use, so the web app cannot start: stop what uses it (another \`npm start\`?), or set PORT to a free port.`,
    );
    expect(res.stdout).not.toContain("Starting the embedded PostgreSQL");
    expect(fs.existsSync(path.join(data, "pg"))).toBe(false);
  });

  it("the database port is taken", async () => {
    const res = await start({ ASSAY_PG_PORT: String(busyPort), ASSAY_DATA_DIR: path.join(dir, "pg-port") });
    expect(res.code).toBe(1);
    expectOneLine(
      res,
      `Port ${busyPort} is already in use, so the embedded PostgreSQL cannot start: stop what uses it (another \`npm start\`?), or set ASSAY_PG_PORT to a free port.`,
    );
  });

  it.each([
    ["is a file", path.join("TMP", "a-file"), "it is a file, not a folder"],
    ["lies under a file", path.join("TMP", "a-file", "data"), "a part of its path is a file, not a folder"],
    ["cannot be created (under /proc, where even root cannot make folders)", "/proc/assay-data", "it cannot be created there"],
    ["is not writable (/sys)", "/sys/assay-data", "permission denied"],
  ])("ASSAY_DATA_DIR %s", async (_what, where, why) => {
    const data = where.replace(/^TMP/, dir);
    const res = await start({ ASSAY_DATA_DIR: data });
    expect(res.code).toBe(1);
    expectOneLine(
      res,
      `ASSAY_DATA_DIR (${data}) cannot be used: ${why}. Set ASSAY_DATA_DIR to a folder you can write, e.g. ASSAY_DATA_DIR=$HOME/.assay.`,
    );
  });

  it("HOST is not an address of this machine", async () => {
    const res = await start({ HOST: "192.0.2.1", ASSAY_DATA_DIR: path.join(dir, "host") });
    expect(res.code).toBe(1);
    expectOneLine(
      res,
      "HOST 192.0.2.1 is not an address of this machine: set HOST to one of its addresses, or to 0.0.0.0 for all of them.",
    );
  });

  it("a bad environment variable: exit 2 naming it", async () => {
    const res = await start({ ASSAY_PG_PORT: "fifty", ASSAY_DATA_DIR: path.join(dir, "env") });
    expect(res.code).toBe(2);
    expect(res.stderr).toBe("error: Invalid environment:\n  ASSAY_PG_PORT must be a whole number from 0 to 65535\n");
  });
});
