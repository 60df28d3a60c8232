// The assign API on the data plane, against the real stack: the answers equal lib/assignment's, users are sticky across
// a weight change, QA overrides and the kill switch apply to the very next request, keys are checked from memory but a
// revocation is seen at once, exposures are written in batches, and bad input gets a 4xx naming the field.
import { beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { assign, type AssignmentSettings } from "@/lib/assignment";
import { api, baseUrl } from "../support/http";
import { demoCredentials } from "../support/roles";
import { minimalExperimentBody } from "../support/experiments";
import { sql } from "../support/interactionRows";

const admin = () => inject("apiKey");
let creds: Awaited<ReturnType<typeof demoCredentials>>;

async function runningExperiment(key: string, weights: [number, number] = [50, 50]) {
  const body = minimalExperimentBody(key);
  body.variants[0].weight = weights[0];
  body.variants[1].weight = weights[1];
  const created = await api("/api/v1/experiments", { key: admin(), body });
  expect(created.status, created.text).toBe(201);
  const started = await api(`/api/v1/experiments/${key}/start`, { key: admin(), body: {} });
  expect(started.status, started.text).toBe(200);
}

const assignOne = (key: string, experiment: string, userId: string, attributes?: Record<string, unknown>) =>
  api("/api/v1/assign", { key, body: { experiment, userId, ...(attributes ? { attributes } : {}) } });

async function configOf(experiment: string): Promise<AssignmentSettings> {
  const res = await api(`/api/v1/experiments/${experiment}/config`, { key: creds.ENGINEER.key });
  expect(res.status, res.text).toBe(200);
  return res.json.settings;
}

beforeAll(async () => {
  creds = await demoCredentials();
});

describe("POST /api/v1/assign", () => {
  const key = `assign-${Date.now().toString(36)}`;
  beforeAll(() => runningExperiment(key));

  it("answers the variant lib/assignment computes, with its settings, and the same again (sticky)", async () => {
    const settings = await configOf(key);
    expect(settings.hashingSalt).toBeTruthy();
    for (let i = 0; i < 20; i++) {
      const userId = `user-${i}`;
      const expected = assign(settings, { userId });
      const res = await assignOne(creds.ENGINEER.key, key, userId);
      expect(res.status, res.text).toBe(200);
      expect(res.json).toMatchObject({ variant: expected.variant, inExperiment: true, reason: "hash" });
      expect(res.json.config.model).toBe("llama-4-scout");
      expect(res.json.config.systemPrompt).toContain(expected.variant === "A" ? "helpful customer support agent" : "Acme");
      const again = await assignOne(creds.PM.key, key, userId);
      expect(again.json).toMatchObject({ variant: expected.variant, inExperiment: true, reason: "sticky" });
    }
    expect(res404(await assignOne(creds.ENGINEER.key, "no-such-experiment", "u"))).toContain('"no-such-experiment"');
  });

  it("a batch of 1,000 users answers each as the single call does; 1,001 are refused", async () => {
    const settings = await configOf(key);
    const users = Array.from({ length: 1000 }, (_, i) => ({ userId: `batch-${i}` }));
    const res = await api("/api/v1/assign/batch", { key: creds.ENGINEER.key, body: { experiment: key, users } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.assignments).toHaveLength(1000);
    res.json.assignments.forEach((a: { userId: string; variant: string; reason: string }, i: number) => {
      expect(a.userId).toBe(`batch-${i}`);
      expect(a.variant).toBe(assign(settings, { userId: `batch-${i}` }).variant);
      expect(a.reason).toBe("hash");
    });
    // Kept server-side: written just after the answer while the split has never changed (the hash then is the kept variant).
    const kept = async () =>
      (
        await sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM "Assignment" a JOIN "Experiment" e ON e.id = a."experimentId" WHERE e.key = $1 AND a."userId" LIKE 'batch-%'`,
          [key],
        )
      )[0].n;
    await expect.poll(kept).toBe(1000);
    const tooMany = await api("/api/v1/assign/batch", {
      key: creds.ENGINEER.key,
      body: { experiment: key, users: [...users, { userId: "one-more" }] },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error.details.issues[0]).toMatchObject({ field: "users" });
    expect(tooMany.json.error.message).toContain("at most 1000 users");
  });

  it("a weight change moves new users only; kept users stay, and the answer says sticky", async () => {
    const before = await configOf(key);
    const old = Array.from({ length: 200 }, (_, i) => ({ userId: `kept-${i}` }));
    const first = await api("/api/v1/assign/batch", { key: creds.ENGINEER.key, body: { experiment: key, users: old } });
    const changed = await api(`/api/v1/experiments/${key}/traffic`, {
      method: "PATCH",
      cookie: creds.PM.cookie,
      body: { weights: { A: 10, B: 90 } },
      headers: { origin: baseUrl() },
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json.traffic.weights).toEqual({ A: 10, B: 90 });
    const after = await configOf(key);
    const moved = old.filter((u) => assign(before, u).variant !== assign(after, u).variant);
    expect(moved.length).toBeGreaterThan(40); // 50/50 -> 10/90 moves about 40% of users by hash
    const second = await api("/api/v1/assign/batch", { key: creds.ENGINEER.key, body: { experiment: key, users: old } });
    second.json.assignments.forEach((a: { variant: string; reason: string }, i: number) => {
      expect(a.variant).toBe(first.json.assignments[i].variant);
      expect(a.reason).toBe("sticky");
    });
    const fresh = Array.from({ length: 1000 }, (_, i) => ({ userId: `new-after-change-${i}` }));
    const third = await api("/api/v1/assign/batch", { key: creds.ENGINEER.key, body: { experiment: key, users: fresh } });
    const bShare = third.json.assignments.filter((a: { variant: string }) => a.variant === "B").length / 1000;
    expect(bShare).toBeGreaterThan(0.85);
    third.json.assignments.forEach((a: { variant: string }, i: number) => expect(a.variant).toBe(assign(after, fresh[i]).variant));
  });

  it("a QA override and the kill switch apply to the very next request, and are in the audit timeline by name", async () => {
    const pm = { cookie: creds.PM.cookie, headers: { origin: baseUrl() } };
    const forced = await api(`/api/v1/experiments/${key}/traffic`, {
      method: "PATCH",
      ...pm,
      body: { forcedVariants: { "qa-ana": "B", "qa-bo": "A" } },
    });
    expect(forced.status, forced.text).toBe(200);
    expect((await assignOne(creds.ENGINEER.key, key, "qa-ana")).json).toMatchObject({
      variant: "B",
      reason: "forced",
      inExperiment: false,
    });
    expect((await assignOne(creds.ENGINEER.key, key, "qa-bo")).json).toMatchObject({ variant: "A", reason: "forced" });

    const kill = await api(`/api/v1/experiments/${key}/traffic`, { method: "PATCH", ...pm, body: { killSwitch: { on: true } } });
    expect(kill.status, kill.text).toBe(200);
    for (const userId of ["qa-ana", "kept-1", "someone-new"]) {
      expect((await assignOne(creds.ENGINEER.key, key, userId)).json).toMatchObject({
        variant: "A",
        reason: "killSwitch",
        inExperiment: false,
      });
    }
    const off = await api(`/api/v1/experiments/${key}/traffic`, { method: "PATCH", ...pm, body: { killSwitch: { on: false } } });
    expect(off.status).toBe(200);
    expect((await assignOne(creds.ENGINEER.key, key, "qa-ana")).json.reason).toBe("forced");

    const audit = await sql<{ action: string; actorLabel: string }>(
      `SELECT a.action, a."actorLabel" FROM "AuditEvent" a JOIN "Experiment" e ON e.id = a."experimentId" WHERE e.key = $1 AND a.action LIKE 'traffic.%' ORDER BY a."createdAt"`,
      [key],
    );
    expect(audit.map((a) => a.action)).toEqual(["traffic.weights", "traffic.forced", "traffic.killSwitchOn", "traffic.killSwitchOff"]);
    expect(new Set(audit.map((a) => a.actorLabel))).toEqual(new Set([creds.PM.email]));
  });

  it("targeting: untargeted users get the control and are not counted; a kept user stays", async () => {
    const t = `target-${Date.now().toString(36)}`;
    await runningExperiment(t);
    const set = await api(`/api/v1/experiments/${t}/traffic`, {
      method: "PATCH",
      key: creds.PM.key,
      body: { targeting: [{ attribute: "plan", operator: "in", value: ["pro", "team"] }] },
    });
    expect(set.status, set.text).toBe(200);
    expect((await assignOne(creds.ENGINEER.key, t, "u1", { plan: "free" })).json).toMatchObject({
      variant: "A",
      reason: "notTargeted",
      inExperiment: false,
    });
    const pro = await assignOne(creds.ENGINEER.key, t, "u1", { plan: "pro" });
    expect(pro.json).toMatchObject({ reason: "hash", inExperiment: true });
    expect((await assignOne(creds.ENGINEER.key, t, "u1", { plan: "free" })).json).toMatchObject({
      variant: pro.json.variant,
      reason: "sticky",
    });
    const hostile = await api(`/api/v1/experiments/${t}/traffic`, {
      method: "PATCH",
      key: creds.PM.key,
      body: { targeting: [{ attribute: "email", operator: "regex", value: "(a+)+$" }] },
    });
    expect(hostile.status).toBe(400);
    expect(hostile.json.error.details.issues[0].field).toBe("targeting.0.value");
    expect(hostile.json.error.message).toContain("exponential time");
  });

  it("exposures are written in batches off the request path, one per answer", async () => {
    const e = `expose-${Date.now().toString(36)}`;
    await runningExperiment(e);
    await api("/api/v1/assign/batch", {
      key: creds.ENGINEER.key,
      body: { experiment: e, users: Array.from({ length: 300 }, (_, i) => ({ userId: `x${i}` })) },
    });
    await assignOne(creds.ENGINEER.key, e, "x1");
    await expect
      .poll(
        async () =>
          (
            await sql<{ n: number }>(
              `SELECT count(*)::int AS n FROM "Exposure" x JOIN "Experiment" e ON e.id = x."experimentId" WHERE e.key = $1`,
              [e],
            )
          )[0].n,
      )
      .toBe(301);
    const bySource = await sql<{ source: string; reason: string; n: number }>(
      `SELECT source::text, reason, count(*)::int AS n FROM "Exposure" x JOIN "Experiment" e ON e.id = x."experimentId" WHERE e.key = $1 GROUP BY 1, 2 ORDER BY 2`,
      [e],
    );
    expect(bySource).toEqual([
      { source: "API", reason: "hash", n: 300 },
      { source: "API", reason: "sticky", n: 1 },
    ]);
  });

  it("a draft answers notRunning with the control", async () => {
    const d = `draft-${Date.now().toString(36)}`;
    expect((await api("/api/v1/experiments", { key: admin(), body: minimalExperimentBody(d) })).status).toBe(201);
    expect((await assignOne(creds.ENGINEER.key, d, "u")).json).toMatchObject({ variant: "A", inExperiment: false, reason: "notRunning" });
  });
});

function res404(res: { status: number; json: any }): string {
  expect(res.status).toBe(404);
  expect(res.json.error.code).toBe("NOT_FOUND");
  return res.json.error.message;
}

describe("the config a local client reads", () => {
  it("has what evaluation needs and never an endpoint", async () => {
    const key = `config-${Date.now().toString(36)}`;
    const body = minimalExperimentBody(key);
    (body.variants[1].config as Record<string, unknown>).endpoint = "http://secret-host.internal:8000/v1";
    expect((await api("/api/v1/experiments", { key: admin(), body })).status).toBe(201);
    const res = await api(`/api/v1/experiments/${key}/config`, { key: creds.ENGINEER.key });
    expect(res.status).toBe(200);
    expect(res.json.variants.map((v: { key: string }) => v.key)).toEqual(["A", "B"]);
    expect(res.text).not.toContain("secret-host");
    expect(res.text).not.toContain("endpoint");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
  });
});

describe("who may call it", () => {
  const key = `auth-${Date.now().toString(36)}`;
  beforeAll(() => runningExperiment(key));

  it("a REVIEWER's key gets 403, no key 401, a session cookie 401 saying to use a key", async () => {
    const reviewer = await assignOne(creds.REVIEWER.key, key, "u");
    expect(reviewer.status).toBe(403);
    expect(reviewer.json.error.code).toBe("FORBIDDEN");
    const none = await api("/api/v1/assign", { body: { experiment: key, userId: "u" } });
    expect(none.status).toBe(401);
    const cookie = await api("/api/v1/assign", { cookie: creds.ENGINEER.cookie, body: { experiment: key, userId: "u" } });
    expect(cookie.status).toBe(401);
    expect(cookie.json.error.message).toContain("Authorization: Bearer");
  });

  it("a key revoked on its page is refused by the next request; one revoked in SQL within a second", async () => {
    const made = await api("/api/v1/api-keys", {
      cookie: creds.ENGINEER.cookie,
      body: { name: "revoke me" },
      headers: { origin: baseUrl() },
    });
    expect(made.status, made.text).toBe(201);
    expect((await assignOne(made.json.key, key, "u")).status).toBe(200);
    expect((await assignOne(made.json.key, key, "u")).status).toBe(200); // now answered from memory
    const revoked = await api(`/api/v1/api-keys/${made.json.apiKey.id}`, {
      method: "DELETE",
      cookie: creds.ENGINEER.cookie,
      headers: { origin: baseUrl() },
    });
    expect(revoked.status).toBe(200);
    const after = await assignOne(made.json.key, key, "u");
    expect(after.status).toBe(401);
    expect(after.json.error.message).toContain("revoked");

    const other = await api("/api/v1/api-keys", {
      cookie: creds.ENGINEER.cookie,
      body: { name: "revoke in sql" },
      headers: { origin: baseUrl() },
    });
    expect((await assignOne(other.json.key, key, "u")).status).toBe(200);
    await sql(`UPDATE "ApiKey" SET "revokedAt" = now() WHERE id = $1`, [other.json.apiKey.id]);
    const t0 = Date.now();
    await expect.poll(async () => (await assignOne(other.json.key, key, "u")).status, { timeout: 1_000, interval: 50 }).toBe(401);
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it("a user whose role is lowered to REVIEWER loses the right at once", async () => {
    const email = `lowered-${Date.now()}@example.com`;
    const user = await api("/api/v1/users", {
      key: admin(),
      body: { email, name: "Lowered", role: "ENGINEER", password: "a-long-password-1" },
    });
    expect(user.status, user.text).toBe(201);
    await sql(`UPDATE "User" SET role = 'REVIEWER' WHERE id = $1`, [user.json.user.id]);
    // (Keys act with their user's current role: a key made before is refused too. Creating it needs a session.)
    const { signIn } = await import("../support/http");
    const cookie = (await signIn(email, "a-long-password-1"))!;
    const made = await api("/api/v1/api-keys", { cookie, body: { name: "x" }, headers: { origin: baseUrl() } });
    expect((await assignOne(made.json.key, key, "u")).status).toBe(403);
  });
});

describe("bad input", () => {
  const key = `bad-${Date.now().toString(36)}`;
  beforeAll(() => runningExperiment(key));
  const post = (rawBody: string, type = "application/json", path = "/api/v1/assign") =>
    api(path, { method: "POST", key: creds.ENGINEER.key, rawBody, headers: { "content-type": type } });

  it.each([
    ["a missing userId", JSON.stringify({ experiment: "x-y" }), "userId"],
    ["a number for userId", JSON.stringify({ experiment: "x-y", userId: 7 }), "userId"],
    ["an empty userId", JSON.stringify({ experiment: "x-y", userId: "" }), "userId"],
    ["a userId of 257 characters", JSON.stringify({ experiment: "x-y", userId: "u".repeat(257) }), "userId"],
    ["a NUL in userId", JSON.stringify({ experiment: "x-y", userId: "a\u0000b" }), "userId"],
    ["a malformed experiment key", JSON.stringify({ experiment: "Not A Key!", userId: "u" }), "experiment"],
    ["an unknown field", JSON.stringify({ experiment: "x-y", userId: "u", admin: true }), "admin"],
    ["an object attribute", JSON.stringify({ experiment: "x-y", userId: "u", attributes: { a: { b: 1 } } }), "attributes.a"],
    [
      "51 attributes",
      JSON.stringify({
        experiment: "x-y",
        userId: "u",
        attributes: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`a${i}`, 1])),
      }),
      "attributes",
    ],
    [
      "an attribute of 1,001 characters",
      JSON.stringify({ experiment: "x-y", userId: "u", attributes: { a: "x".repeat(1001) } }),
      "attributes.a",
    ],
  ])("%s: 400 naming the field", async (_name, body, field) => {
    const res = await post(body);
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.details.issues.map((i: { field: string }) => i.field)).toContain(field);
    expect(res.text).not.toMatch(/ZodError|at .*\.js|expected string/);
  });

  it("malformed JSON, invalid UTF-8, text/plain, an array body, a 2 MB body, GET", async () => {
    const broken = await post('{"experiment": "x", ');
    expect(broken.status).toBe(400);
    expect(broken.json.error.code).toBe("BAD_JSON");
    const res = await fetch(`${baseUrl()}/api/v1/assign`, {
      method: "POST",
      headers: { authorization: `Bearer ${creds.ENGINEER.key}`, "content-type": "application/json" },
      body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.message).toContain("UTF-8");
    const plain = await post(JSON.stringify({ experiment: key, userId: "u" }), "text/plain");
    expect(plain.status).toBe(415);
    const array = await post("[]");
    expect(array.status).toBe(400);
    expect(array.json.error.message).toContain("JSON object");
    const big = await post(JSON.stringify({ experiment: key, userId: "u", attributes: { a: "x".repeat(2_000_000) } }));
    expect(big.status).toBe(413);
    const get = await api("/api/v1/assign", { key: creds.ENGINEER.key });
    expect(get.status).toBe(405);
    expect(get.json.error.code).toBe("METHOD_NOT_ALLOWED");
  });
});
