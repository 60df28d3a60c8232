// The database goes away under a running app, and comes back. A stack of its own (embedded PostgreSQL + `next start` of the
// built app), so the shared test stack keeps its database.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBootstrapApiKey } from "@/lib/auth/apiKeys";
import { disconnectDb } from "@/lib/db/client";
import { seedDemo } from "@/lib/demo/seed";
import { DEMO_PASSWORD } from "@/lib/demo/users";
import { childEnv, env, setEnv } from "@/lib/env";
import { UNAVAILABLE_DIGEST } from "@/lib/errors";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/runtime/embeddedPostgres";
import { applyMigrations } from "@/lib/runtime/migrate";
import { spawnWebApp, waitForHttp } from "@/lib/runtime/stack";
import { stopChild } from "@/lib/runtime/supervisor";
import { launchBrowser, screenshot } from "../support/browser";
import { postCredentials, signIn } from "../support/http";
import { freePort } from "../support/ports";

const KEY = "assay_outage_test_key_0123456789abcdef";
let dir: string;
let pgOptions: Parameters<typeof startEmbeddedPostgres>[0];
let database: EmbeddedDatabase;
let web: ChildProcess;
let base: string;
let cookie: string;
let webLog = "";
let browser: Browser;

async function get(pathname: string, auth: { key?: string; cookie?: string }) {
  const headers: Record<string, string> = {};
  if (auth.key) headers.authorization = `Bearer ${auth.key}`;
  if (auth.cookie) headers.cookie = auth.cookie;
  const res = await fetch(`${base}${pathname}`, { headers, redirect: "manual" });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, text, json, retryAfter: res.headers.get("retry-after") };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-outage-"));
  fs.chmodSync(dir, 0o755);
  pgOptions = {
    dir: path.join(dir, "pg"),
    passwordFile: path.join(dir, "pg-password"),
    port: await freePort(),
    sharedDir: env().ASSAY_SHARED_DIR,
  };
  database = await startEmbeddedPostgres(pgOptions);
  await applyMigrations(database.url);
  setEnv({ DATABASE_URL: database.url });
  await seedDemo();
  await ensureBootstrapApiKey(KEY);
  await disconnectDb();

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  web = spawnWebApp({
    root: process.cwd(),
    port,
    host: "127.0.0.1",
    env: childEnv({
      DATABASE_URL: database.url,
      NEXTAUTH_SECRET: "outage-test-secret-of-enough-length",
      NEXTAUTH_URL: base,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
    }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  web.stdout?.on("data", (d) => (webLog += d));
  web.stderr?.on("data", (d) => (webLog += d));
  await waitForHttp(`${base}/api/v1/health`, web, 60_000);
  cookie = (await signIn("pm@assay.local", DEMO_PASSWORD, base))!;
  expect(cookie).toMatch(/^next-auth\.session-token=/);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  if (web) await stopChild(web);
  await database?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the database goes down and comes back", () => {
  it("API routes answer 503 with Retry-After, pages show the database-unavailable page, and both recover", async () => {
    // Up: the same requests succeed.
    expect((await get("/api/v1/experiments", { key: KEY })).status).toBe(200);
    expect((await get("/api/v1/experiments", { cookie })).status).toBe(200);
    expect((await get("/experiments", { cookie })).status).toBe(200);

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const [name, value] = cookie.split(/=(.*)/s);
    await context.addCookies([{ name, value, url: base }]);
    const page = await context.newPage();

    await database.stop();

    for (const auth of [{ key: KEY }, { cookie }]) {
      const res = await get("/api/v1/experiments", auth);
      expect(res.status, res.text).toBe(503);
      expect(res.retryAfter).toBe("5");
      expect(res.json.error).toMatchObject({
        code: "UNAVAILABLE",
        message: "The database is unavailable right now. Try again in a few seconds.",
      });
      expect(res.json.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
    // Signing in says why it cannot, instead of "wrong email or password".
    const signInRes = await postCredentials("pm@assay.local", DEMO_PASSWORD, base);
    const signInUrl = signInRes.headers.get("location") ?? ((await signInRes.json()) as { url: string }).url;
    expect(new URL(signInUrl, base).searchParams.get("error")).toBe("The database is unavailable right now. Try again in a few seconds.");

    const health = await get("/api/v1/health", {});
    expect(health.status).toBe(503);
    expect(health.json).toMatchObject({ db: "down", status: "degraded" });

    // Pages: the error boundary's "database unavailable" page, not the generic crash, answered 503 with Retry-After like the
    // API (Next.js would answer 500; the front door, lib/runtime/webServer.ts, corrects the status of an outage's page).
    const pages = ["/", "/login", "/experiments", "/experiments/support-persona-structured", "/planner", "/admin/users"];
    for (const pathname of pages) {
      const res = await get(pathname, { cookie });
      expect(res.status, pathname).toBe(503);
      expect(res.retryAfter, pathname).toBe("5");
      expect(res.text, pathname).toContain(`{\\"digest\\":\\"${UNAVAILABLE_DIGEST}\\"}`);
    }
    for (const pathname of ["/", "/login", "/experiments"]) {
      const response = await page.goto(`${base}${pathname}`);
      expect(response?.status(), pathname).toBe(503);
      await expect.poll(() => page.getByRole("heading", { name: "The database is unavailable" }).isVisible()).toBe(true);
      expect(await page.getByText("Something went wrong").count()).toBe(0);
    }
    await expect.poll(() => page.getByRole("button", { name: "Try again now" }).isVisible()).toBe(true);
    await screenshot(page, "database-unavailable");
    await page.setViewportSize({ width: 390, height: 800 });
    await screenshot(page, "database-unavailable-390");
    await page.setViewportSize({ width: 1280, height: 800 });

    database = await startEmbeddedPostgres(pgOptions);

    const byKey = await get("/api/v1/experiments", { key: KEY });
    expect(byKey.status).toBe(200);
    expect(byKey.json.experiments.length).toBeGreaterThan(0);
    expect((await get("/api/v1/experiments", { cookie })).status).toBe(200);
    const listPage = await get("/experiments", { cookie });
    expect(listPage.status).toBe(200);
    expect(listPage.text).not.toContain("The database is unavailable");
    // The open page tries again by itself and shows the experiments once the database is back.
    await expect.poll(() => page.getByRole("heading", { name: "The database is unavailable" }).count(), { timeout: 25_000 }).toBe(0);
    await expect.poll(() => page.getByRole("heading", { name: "Experiments", level: 1 }).isVisible()).toBe(true);
    await context.close();
    // The server log names no raw driver error for the outage requests answered 503 by the API.
    expect(webLog).not.toContain("unhandled error");
  }, 120_000);
});

describe("ingestion while the database stops and restarts", () => {
  const post = (records: unknown[]) =>
    fetch(`${base}/api/v1/interactions`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify(records),
    }).then(async (res) => ({
      status: res.status,
      retryAfter: res.headers.get("retry-after"),
      json: (await res.json().catch(() => null)) as any,
    }));
  const batch = (n: number, tag: string) =>
    Array.from({ length: 1000 }, (_, i) => ({
      request_id: `${tag}-${n}-${i}`,
      user_id: `u${i}`,
      experiment_key: "support-persona-structured",
      variant_id: i % 2 ? "A" : "B",
      latency_ms: 900 + i,
      user_input: "x".repeat(200),
    }));
  async function storedPerBatch(tag: string, batches: number): Promise<number[]> {
    const client = new (await import("pg")).default.Client({ connectionString: database.url });
    await client.connect();
    const rows = await client.query<{ b: string; n: number }>(
      `SELECT split_part("requestId", '-', 2) AS b, count(*)::int AS n FROM "Interaction" WHERE "requestId" LIKE $1 GROUP BY 1`,
      [`${tag}-%`],
    );
    await client.end();
    const by = new Map(rows.rows.map((r) => [Number(r.b), r.n]));
    return Array.from({ length: batches }, (_, i) => by.get(i) ?? 0);
  }

  it("answers 503 with Retry-After, stores no partial batch, and a resend after the restart lands everything once", async () => {
    const tag = `outage${Date.now().toString(36)}`;
    expect((await post(batch(0, tag))).json).toEqual({ accepted: 1000, duplicates: 0, rejected: [] });
    // Batches in flight while the database stops: each lands whole or not at all.
    const inFlight = Array.from({ length: 12 }, (_, i) => post(batch(i + 1, tag)));
    await new Promise((r) => setTimeout(r, 30));
    await database.stop();
    const answers = await Promise.all(inFlight);
    for (const a of answers) expect([200, 503]).toContain(a.status);
    const down = await post(batch(13, tag));
    expect(down.status).toBe(503);
    expect(down.retryAfter).toBe("5");
    expect(down.json.error.code).toBe("UNAVAILABLE");

    database = await startEmbeddedPostgres(pgOptions);
    const stored = await storedPerBatch(tag, 14);
    for (const n of stored) expect([0, 1000]).toContain(n);
    expect(stored[0]).toBe(1000);
    expect(stored[13]).toBe(0);
    // Resend everything: what was stored counts as duplicates, the rest lands, once.
    let accepted = 0;
    for (let i = 0; i < 14; i++) {
      const res = await post(batch(i, tag));
      expect(res.status).toBe(200);
      expect(res.json.accepted + res.json.duplicates).toBe(1000);
      accepted += res.json.accepted;
    }
    expect(accepted).toBe(14_000 - stored.reduce((s, n) => s + n, 0));
    expect(await storedPerBatch(tag, 14)).toEqual(Array(14).fill(1000));
    expect(webLog).not.toContain("unhandled error");
  }, 120_000);
});
