// The embedded PostgreSQL's password: random per data folder, kept in a 0600 file, never the old fixed one; a data folder
// made before passwords were kept still opens, and is given one.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { startEmbeddedPostgres } from "@/lib/runtime/embeddedPostgres";
import { loadEmbeddedPostgres } from "@/lib/runtime/postgresBinaries";
import { freePort } from "../support/ports";

let dir: string;
const sharedDir = env().ASSAY_SHARED_DIR;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-embedded-"));
  fs.chmodSync(dir, 0o755);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function signsIn(port: number, password: string): Promise<boolean> {
  const client = new pg.Client({ host: "127.0.0.1", port, user: "postgres", password, database: "postgres" });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (err) {
    expect((err as { code?: string }).code).toBe("28P01"); // invalid_password: the server is up, the password is wrong
    return false;
  }
}

describe("startEmbeddedPostgres", () => {
  it("gives a new data folder a random password in a 0600 file, and reuses it on the next start", async () => {
    const opts = {
      dir: path.join(dir, "fresh", "pg"),
      passwordFile: path.join(dir, "fresh", "pg-password"),
      port: await freePort(),
      sharedDir,
    };
    const first = await startEmbeddedPostgres(opts);
    const password = fs.readFileSync(opts.passwordFile, "utf8").trim();
    try {
      expect(fs.statSync(opts.passwordFile).mode & 0o777).toBe(0o600);
      expect(password).toMatch(/^[0-9a-f]{48}$/);
      expect(first.url).toBe(`postgresql://postgres:${password}@127.0.0.1:${opts.port}/assay`);
      expect(await signsIn(opts.port, password)).toBe(true);
      expect(await signsIn(opts.port, "assay-local")).toBe(false);
    } finally {
      await first.stop();
    }
    const second = await startEmbeddedPostgres(opts);
    try {
      expect(fs.readFileSync(opts.passwordFile, "utf8").trim()).toBe(password);
      expect(second.url).toBe(first.url);
    } finally {
      await second.stop();
    }
  });

  it("opens a data folder made with the old fixed password, and replaces that password with a kept random one", async () => {
    const port = await freePort();
    const pgDir = path.join(dir, "legacy", "pg");
    fs.mkdirSync(path.dirname(pgDir), { recursive: true });
    // What `npm start` made before this change: the same options, password "assay-local", no password file.
    const { EmbeddedPostgres } = await loadEmbeddedPostgres(sharedDir, () => undefined);
    const old = new EmbeddedPostgres({
      databaseDir: pgDir,
      port,
      user: "postgres",
      password: "assay-local",
      authMethod: "scram-sha-256",
      persistent: true,
      createPostgresUser: true,
      initdbFlags: ["--encoding=UTF8", "--locale=C"],
      postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
      onLog: () => undefined,
      onError: () => undefined,
    });
    await old.initialise();
    await old.start();
    await old.stop();

    const passwordFile = path.join(dir, "legacy", "pg-password");
    const db = await startEmbeddedPostgres({ dir: pgDir, passwordFile, port, sharedDir });
    try {
      const password = fs.readFileSync(passwordFile, "utf8").trim();
      expect(fs.statSync(passwordFile).mode & 0o777).toBe(0o600);
      expect(db.url).toBe(`postgresql://postgres:${password}@127.0.0.1:${port}/assay`);
      expect(await signsIn(port, password)).toBe(true);
      expect(await signsIn(port, "assay-local")).toBe(false);
    } finally {
      await db.stop();
    }
  });
});
