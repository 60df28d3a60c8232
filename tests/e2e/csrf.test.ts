// Cross-site request forgery, as an attacker would try it: a page on another port of the same host (same site, other
// origin) that a signed-in user opens. Its plain HTML form, no-cors fetch and text/plain form carry the real session
// cookie; each is refused, and nothing is written. Assay's own pages and API keys keep working.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { DEMO_PASSWORD } from "@/lib/demo/users";
import { api, baseUrl } from "../support/http";
import { launchBrowser, loginAs } from "../support/browser";
import { minimalExperimentBody } from "../support/experiments";

const run = Date.now().toString(36);
const victimKey = `csrf-${run}`;
const attackerEmail = `csrf-admin-${run}@example.com`;
const pages: Record<string, string> = {};
let attacker: http.Server;
let attackerUrl: string;
let browser: Browser;

function attackPages(target: string) {
  pages["/start"] = `<form method="POST" action="${target}/api/v1/experiments/${victimKey}/start"></form>
    <script>document.forms[0].submit()</script>`;
  pages["/mint-key"] = `<script>
    fetch("${target}/api/v1/api-keys", { method: "POST", mode: "no-cors", credentials: "include",
      body: new Blob([JSON.stringify({ name: "stolen-${run}" })]) }).finally(() => { document.title = "sent"; });
  </script>`;
  // The text/plain form trick: the field name and value join into a valid JSON object.
  const json = JSON.stringify({ email: attackerEmail, name: "Mallory", role: "ADMIN", password: "attacker-password-1", pad: "" }).slice(
    0,
    -2,
  );
  pages["/make-admin"] = `<form method="POST" enctype="text/plain" action="${target}/api/v1/users">
    <input type="hidden" name='${json}' value='"}'></form><script>document.forms[0].submit()</script>`;
}

beforeAll(async () => {
  const body: any = minimalExperimentBody(victimKey);
  body.hypothesis = { change: "the prompt", expectation: "more help", reason: "structure" };
  expect((await api("/api/v1/experiments", { key: inject("apiKey"), body })).status).toBe(201);
  attacker = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(`<!doctype html><title>prize</title>${pages[req.url ?? ""] ?? ""}`);
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  attackPages(baseUrl());
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => attacker?.close(resolve));
});

/** Opens an attacker page in a signed-in context and returns the status of Assay's answer to the request it sends. */
async function visit(page: Page, path: string, target: string): Promise<{ status: number; body: string }> {
  const answer = page.waitForResponse((r) => r.url().startsWith(`${baseUrl()}${target}`) && r.request().method() === "POST");
  await page.goto(`${attackerUrl}${path}`);
  const res = await answer;
  return { status: res.status(), body: await res.text().catch(() => "") };
}

describe("a page on another port of the same host, opened by a signed-in user", () => {
  it("cannot start the PM's experiment with a plain HTML form", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await loginAs(page, "pm@assay.local", DEMO_PASSWORD);
    const res = await visit(page, "/start", `/api/v1/experiments/${victimKey}/start`);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).error.message).toContain("Refused: this change was made with your sign-in cookie");
    const detail = await api(`/api/v1/experiments/${victimKey}`, { key: inject("apiKey") });
    expect(detail.json.experiment).toMatchObject({ status: "DRAFT", startedAt: null });
    await context.close();
  });

  it("cannot mint an API key with a no-cors fetch", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await loginAs(page, "pm@assay.local", DEMO_PASSWORD);
    const res = await visit(page, "/mint-key", "/api/v1/api-keys");
    expect(res.status).toBe(403);
    const keys = (await (await context.request.get(`${baseUrl()}/api/v1/api-keys`)).json()).apiKeys.map((k: { name: string }) => k.name);
    expect(keys).not.toContain(`stolen-${run}`);
    await context.close();
  });

  it("cannot make an admin create an ADMIN user with a text/plain form", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await loginAs(page, "admin@assay.local", DEMO_PASSWORD);
    const res = await visit(page, "/make-admin", "/api/v1/users");
    expect(res.status).toBe(403);
    const users = (await api("/api/v1/users", { key: inject("apiKey") })).json.users.map((u: { email: string }) => u.email);
    expect(users).not.toContain(attackerEmail);
    await context.close();
  });

  it("while Assay's own pages still make the same changes", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await loginAs(page, "pm@assay.local", DEMO_PASSWORD);
    const results = await page.evaluate(
      async ({ key, run }) => {
        const post = (url: string, body?: unknown) =>
          fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
        const minted = await post("/api/v1/api-keys", { name: `own page ${run}` });
        const started = await post(`/api/v1/experiments/${key}/start`);
        return [minted.status, started.status];
      },
      { key: victimKey, run },
    );
    expect(results).toEqual([201, 200]);
    await context.close();
  });
});
