// An experiment's webhook through the running stack: the signing secret is shown once and stored sealed; ramp moves
// and a test reach a real HTTP receiver with a signature that checks (lib/webhooks/signature.ts); a receiver that
// fails is retried until it answers; a rotated secret replaces the old one; a removed webhook hears nothing more; bad
// input is refused with the field named, and nothing is written.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyWebhook } from "@/lib/webhooks/signature";
import { api } from "../support/http";
import { sql } from "../support/interactionRows";
import { demoCredentials } from "../support/roles";
import { minimalExperimentBody } from "../support/experiments";

let creds: Awaited<ReturnType<typeof demoCredentials>>;
const key = `hook-${Date.now().toString(36)}`;
const hook = (path = "", init: { method?: string; body?: unknown; as?: string } = {}) =>
  api(`/api/v1/experiments/${key}/webhook${path}`, { key: init.as ?? creds.PM.key, method: init.method, body: init.body });

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  answered: number;
}
const received: Received[] = [];
/** How the receiver answers the next requests (then 204). */
const answers: number[] = [];
let receiver: http.Server;
let receiverUrl = "";

beforeAll(async () => {
  creds = await demoCredentials();
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const answered = answers.shift() ?? 204;
      received.push({ headers: req.headers, body, answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/assay-hook?token=abc`;
  expect((await api("/api/v1/experiments", { key: creds.PM.key, body: minimalExperimentBody(key) })).status).toBe(201);
});
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

const waitFor = async (n: number) => expect.poll(() => received.length, { timeout: 60_000, interval: 200 }).toBeGreaterThanOrEqual(n);
const deliveries = async () =>
  (await hook()).json.deliveries as { event: string; status: string; attempts: number; responseStatus: number }[];

describe("an experiment's webhook", () => {
  it("refuses bad input with the field named, and writes nothing", async () => {
    const cases: [unknown, RegExp][] = [
      [{ url: "ftp://example.com/x" }, /url must be an http\(s\) URL/],
      [{ url: "not a url" }, /url must be an http\(s\) URL/],
      [{ url: `https://example.com/${"a".repeat(2100)}` }, /url must be at most 2000 characters/],
      [{ url: "https://user:pw@example.com/x" }, /url must not hold a user name or password/],
      [{ url: "https://example.com/x", rotateSecret: "yes" }, /rotateSecret must be true or false/],
      [{ url: "https://example.com/x", secret: "mine" }, /secret/],
      [{}, /url/],
      [[1, 2], /./],
    ];
    for (const [body, message] of cases) {
      const res = await hook("", { method: "PUT", body });
      expect(res.status, res.text).toBe(400);
      expect(res.json.error.message + JSON.stringify(res.json.error.details ?? {})).toMatch(message);
      expect(res.text).not.toMatch(/at \w+ \(|node_modules/);
    }
    expect((await hook()).json).toEqual({ webhook: null, deliveries: [] });
    expect((await hook("/test", { body: {} })).status).toBe(409);
    expect((await hook("", { method: "DELETE" })).status).toBe(404);
    expect((await api(`/api/v1/experiments/no-such-${key}/webhook`, { key: creds.PM.key })).status).toBe(404);
    // Not the engineer's or the reviewer's to set or read (the URL may carry a token).
    expect((await hook("", { method: "PUT", body: { url: receiverUrl }, as: creds.ENGINEER.key })).status).toBe(403);
    expect((await hook("", { as: creds.REVIEWER.key })).status).toBe(403);
  });

  it("shows the secret once, stores it sealed, and signs every announcement with it", async () => {
    const set = await hook("", { method: "PUT", body: { url: receiverUrl } });
    expect(set.status, set.text).toBe(200);
    const secret: string = set.json.secret;
    expect(secret).toMatch(/^whsec_/);
    expect(set.json.webhook).toMatchObject({ url: receiverUrl, secretHint: secret.slice(-4) });
    // Never again: not on a read, not on a URL change, not in the database, not in the audit trail.
    const read = await hook();
    expect(read.text).not.toContain(secret);
    const moved = await hook("", { method: "PUT", body: { url: receiverUrl } });
    expect(moved.json.secret).toBeNull();
    const [row] = await sql<{ secretSealed: string }>(
      `SELECT w."secretSealed" FROM "ExperimentWebhook" w JOIN "Experiment" e ON e.id = w."experimentId" WHERE e.key = $1`,
      [key],
    );
    expect(row.secretSealed).toMatch(/^v1\./);
    expect(row.secretSealed).not.toContain(secret.slice(6, 20));
    const audit = await sql<{ action: string; details: unknown }>(
      `SELECT a.action, a.details FROM "AuditEvent" a JOIN "Experiment" e ON e.id = a."experimentId" WHERE e.key = $1 AND a.action LIKE 'webhook.%' ORDER BY a."createdAt"`,
      [key],
    );
    expect(audit.map((a) => a.action)).toEqual(["webhook.set", "webhook.set"]);
    expect(JSON.stringify(audit)).not.toContain("token=abc");
    expect(JSON.stringify(audit)).not.toContain(secret);
    expect(audit[0].details).toMatchObject({ host: new URL(receiverUrl).host, created: true, newSecret: true });

    // A test, then a ramp's move, each signed.
    expect((await hook("/test", { body: {} })).status).toBe(200);
    await waitFor(1);
    expect((await api(`/api/v1/experiments/${key}/start`, { key: creds.PM.key, body: {} })).status).toBe(200);
    expect((await api(`/api/v1/experiments/${key}/ramp`, { key: creds.PM.key, method: "PUT", body: { preset: "canary" } })).status).toBe(
      200,
    );
    expect((await api(`/api/v1/experiments/${key}/ramp/advance`, { key: creds.PM.key, body: { reason: "canary starts" } })).status).toBe(
      200,
    );
    await waitFor(2);
    const [test, advance] = received;
    for (const r of [test, advance]) {
      expect(verifyWebhook(secret, r.headers["x-assay-signature"] as string, r.body)).toEqual({ ok: true });
      expect(r.headers["content-type"]).toBe("application/json");
      expect(r.headers["x-assay-delivery"]).toBe(JSON.parse(r.body).id);
    }
    expect(test.headers["x-assay-event"]).toBe("webhook.test");
    expect(JSON.parse(test.body)).toMatchObject({ event: "webhook.test", experiment: { key } });
    expect(advance.headers["x-assay-event"]).toBe("ramp.advance");
    expect(JSON.parse(advance.body)).toMatchObject({
      event: "ramp.advance",
      experiment: { key },
      data: {
        step: 1,
        of: 5,
        before: { A: 50, B: 50 },
        after: { A: 99, B: 1 },
        reason: "canary starts",
        ramp: { state: "RAMPING", currentStep: 0 },
      },
    });
    await expect.poll(async () => (await deliveries()).map((d) => d.status), { timeout: 10_000 }).toEqual(["DELIVERED", "DELIVERED"]);
  });

  it("retries a receiver that fails until it answers", async () => {
    answers.push(500, 503);
    const before = received.length;
    expect((await api(`/api/v1/experiments/${key}/ramp/hold`, { key: creds.PM.key, body: { reason: "a look" } })).status).toBe(200);
    await waitFor(before + 1);
    await expect
      .poll(async () => (await deliveries())[0], { timeout: 10_000 })
      .toMatchObject({ event: "ramp.hold", status: "PENDING", attempts: 1, responseStatus: 500 });
    // 5 s, then 10 s more, apart.
    await expect
      .poll(async () => (await deliveries())[0], { timeout: 60_000, interval: 500 })
      .toMatchObject({ status: "DELIVERED", attempts: 3, responseStatus: 204 });
    const tries = received.slice(before);
    expect(tries.map((r) => r.answered)).toEqual([500, 503, 204]);
    // The same delivery each time, the same body.
    expect(new Set(tries.map((r) => r.headers["x-assay-delivery"])).size).toBe(1);
    expect(new Set(tries.map((r) => r.body)).size).toBe(1);
  }, 90_000);

  it("rotates the secret, and stops announcing once removed", async () => {
    const old = received.at(-1)!;
    const rotated = await hook("", { method: "PUT", body: { url: receiverUrl, rotateSecret: true } });
    const secret: string = rotated.json.secret;
    expect(secret).toMatch(/^whsec_/);
    const before = received.length;
    expect((await hook("/test", { body: {} })).status).toBe(200);
    await waitFor(before + 1);
    const next = received.at(-1)!;
    expect(verifyWebhook(secret, next.headers["x-assay-signature"] as string, next.body)).toEqual({ ok: true });
    // The old announcement does not check under the new secret.
    expect(verifyWebhook(secret, old.headers["x-assay-signature"] as string, old.body).ok).toBe(false);

    expect((await hook("", { method: "DELETE" })).json).toEqual({ removed: true });
    expect((await api(`/api/v1/experiments/${key}/ramp/resume`, { key: creds.PM.key, body: {} })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 3000));
    expect(received.length).toBe(before + 1);
    const after = await hook();
    expect(after.json.webhook).toBeNull();
    expect(after.json.deliveries.map((d: { event: string }) => d.event)).toEqual([
      "webhook.test",
      "ramp.hold",
      "ramp.advance",
      "webhook.test",
    ]);
  });
});
