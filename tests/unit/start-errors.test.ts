// A start-up that cannot work stops at once with one line saying what is wrong and what to do: never a stack trace,
// nothing half-started. Each case runs the real `assay start` (what `npm start` runs) in its own process.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectOneLine, runStart as start } from "../support/assayStart";
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

  it("DATABASE_URL points at a port where nothing listens: names it and what to do, never its password", async () => {
    const port = await freePort();
    const res = await start({
      DATABASE_URL: `postgresql://assay:hunter2secret@127.0.0.1:${port}/assay`,
      ASSAY_DATA_DIR: path.join(dir, "refused"),
    });
    expect(res.code).toBe(1);
    expectOneLine(
      res,
      `DATABASE_URL points at 127.0.0.1:${port}, but no database server answers there: start PostgreSQL, or fix the host and port in DATABASE_URL (unset it to use the embedded database).`,
    );
    expect(res.stdout + res.stderr).not.toContain("hunter2secret");
  });

  it("DATABASE_URL names a host that does not exist", async () => {
    const res = await start({
      DATABASE_URL: "postgresql://assay:hunter2secret@nosuchhost.invalid:5432/assay",
      ASSAY_DATA_DIR: path.join(dir, "unknown-host"),
    });
    expect(res.code).toBe(1);
    expectOneLine(
      res,
      'DATABASE_URL names the host "nosuchhost.invalid", which is unknown (no such name in DNS): fix the host in DATABASE_URL.',
    );
    expect(res.stdout + res.stderr).not.toContain("hunter2secret");
  });

  it("a bad environment variable: exit 2 naming it", async () => {
    const res = await start({ ASSAY_PG_PORT: "fifty", ASSAY_DATA_DIR: path.join(dir, "env") });
    expect(res.code).toBe(2);
    expect(res.stderr).toBe("error: Invalid environment:\n  ASSAY_PG_PORT must be a whole number from 0 to 65535\n");
  });
});
