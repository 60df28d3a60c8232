// `npm start` the production way: DATABASE_URL set (no embedded PostgreSQL), no demo, the first admin and an
// automation key from ASSAY_BOOTSTRAP_*; then Ctrl-C. Runs the real CLI against a fresh database on the test server.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort } from "../support/ports";

const name = `assay_prod_${Date.now()}`;
const ADMIN = { email: "owner@example.com", password: "production-password-1" };
const KEY = "assay_compose_automation_key_0123456789";
let admin: pg.Client;
let databaseUrl: string;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: inject("databaseUrl") });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(inject("databaseUrl"));
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
});

afterAll(async () => {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

describe("npm start with DATABASE_URL", () => {
  it("uses that database, starts no embedded one, seeds no demo, creates the bootstrap admin and key, and stops on SIGINT", async () => {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-prod-"));
    const env = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      ASSAY_DATA_DIR: dataDir,
      NEXTAUTH_SECRET: "a-production-secret-of-enough-length",
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      ASSAY_BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
      ASSAY_BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
      ASSAY_BOOTSTRAP_API_KEY: KEY,
    };
    delete (env as Record<string, string | undefined>).ASSAY_DEMO;
    const child = spawn(process.execPath, ["cli/bin.mjs", "start"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const deadline = Date.now() + 90_000;
      while (!output.includes("Assay is running at") && Date.now() < deadline && child.exitCode === null)
        await new Promise((r) => setTimeout(r, 250));
      expect(output, output).toContain("Assay is running at");
      expect(output).toContain("DATABASE_URL");
      expect(output).not.toContain("embedded PostgreSQL");
      expect(output).not.toContain("Demo logins");
      expect(output).toContain(`Created the first admin, ${ADMIN.email}.`);
      expect(output).not.toContain(KEY);
      expect(fs.existsSync(path.join(dataDir, "pg"))).toBe(false);

      const base = `http://127.0.0.1:${port}`;
      const me = await (await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${KEY}` } })).json();
      expect(me).toMatchObject({ via: "apiKey", role: "ADMIN" });
      const users = await (await fetch(`${base}/api/v1/users`, { headers: { authorization: `Bearer ${KEY}` } })).json();
      expect(users.users.map((u: { email: string; role: string }) => [u.email, u.role])).toEqual([[ADMIN.email, "ADMIN"]]);
      const health = await (await fetch(`${base}/api/v1/health`)).json();
      expect(health).toMatchObject({ db: "ok", queue: "ok" });
    } finally {
      child.kill("SIGINT");
      expect(await exited).toBe(0);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    expect(output).toContain("Stopped.");
  });
});
