// Rubrics through the real API and the running stack: saving makes version 1, then the next version of a name; the same
// definition again makes nothing; malformed, oversized, hostile or mistyped bodies are refused naming the field, writing
// nothing; a reviewer reads but cannot save; "try it" judges one pasted interaction on the built-in simulator endpoint
// within the rubric's scales and stores nothing, and an endpoint that is down or silent is a 502/504 naming it; a judge
// run with a custom rubric writes scores that carry that rubric's criteria.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ENDPOINT_NAME } from "@/lib/demo/traffic";
import { api } from "../support/http";
import { sql } from "../support/interactionRows";
import { demoCredentials } from "../support/roles";
import { minimalExperimentBody } from "../support/experiments";

let creds: Awaited<ReturnType<typeof demoCredentials>>;
const stamp = Date.now().toString(36);
const name = `tone-${stamp}`;
const tone = {
  name,
  systemPrompt: "You judge a support agent's tone. Answer with one JSON object: each score and a short reasoning.",
  criteria: [
    {
      name: "empathy",
      description: "Does the reply acknowledge the user's feelings?",
      min: 1,
      max: 4,
      labels: { "1": "Cold", "4": "Warm" },
    },
    { name: "helpfulness", description: "Does it solve the problem?", min: 1, max: 10 },
  ],
};
const GOOD = "Sorry about the trouble! To reset your password:\n1. Open Settings.\n2. Choose Security.\n3. Click Reset password.";

const rubricRows = (n: string) => sql<{ version: number }>(`SELECT version FROM "Rubric" WHERE name = $1 ORDER BY version`, [n]);

beforeAll(async () => {
  creds = await demoCredentials();
});

describe("saving rubrics", () => {
  it("lists the built-in rubric as default v1", async () => {
    const res = await api("/api/v1/rubrics", { key: creds.REVIEWER.key });
    expect(res.status, res.text).toBe(200);
    const d = res.json.rubrics.find((r: { name: string }) => r.name === "default");
    expect(d.versions.at(-1)).toMatchObject({ version: 1, criteria: ["helpfulness", "clarity", "safety"], createdBy: null });
    const full = await api("/api/v1/rubrics/default", { key: creds.REVIEWER.key });
    expect(full.json.rubric.versions.at(-1).systemPrompt).toContain("You are an expert evaluator.");
  });

  it("makes version 1, answers the same definition with it, and makes version 2 of a change; each save audited", async () => {
    const first = await api("/api/v1/rubrics", { key: creds.PM.key, body: tone });
    expect(first.status, first.text).toBe(201);
    expect(first.json).toMatchObject({ created: true, rubric: { name, version: 1, createdBy: "Priya PM", used: false } });
    expect(first.json.rubric.criteria[0]).toEqual({ ...tone.criteria[0], label: "Empathy" });
    expect(first.json.rubric.jsonSchema.properties.helpfulness).toMatchObject({ type: "integer", minimum: 1, maximum: 10 });

    // The same rubric, its fields in another order and the label written out: nothing new.
    const same = await api("/api/v1/rubrics", {
      key: creds.ENGINEER.key,
      body: { criteria: [{ ...tone.criteria[0], label: "Empathy" }, tone.criteria[1]], systemPrompt: `${tone.systemPrompt}\n`, name },
    });
    expect(same.status, same.text).toBe(200);
    expect(same.json).toMatchObject({ created: false, rubric: { name, version: 1 } });
    expect(await rubricRows(name)).toEqual([{ version: 1 }]);

    const changed = await api("/api/v1/rubrics", {
      key: creds.ENGINEER.key,
      body: { ...tone, criteria: [...tone.criteria, { name: "clarity", description: "Is it easy to follow?", min: 1, max: 5 }] },
    });
    expect(changed.status, changed.text).toBe(201);
    expect(changed.json.rubric).toMatchObject({ version: 2, createdBy: "Eli Engineer" });

    const got = await api(`/api/v1/rubrics/${name}`, { key: creds.REVIEWER.key });
    expect(got.status).toBe(200);
    expect(got.json.rubric.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(got.json.rubric.versions[1].systemPrompt).toBe(tone.systemPrompt);
    const listed = (await api("/api/v1/rubrics", { key: creds.REVIEWER.key })).json.rubrics.find((r: { name: string }) => r.name === name);
    expect(listed).toMatchObject({ latestVersion: 2 });
    expect(listed.versions.map((v: { version: number; criteria: string[] }) => [v.version, v.criteria])).toEqual([
      [2, ["empathy", "helpfulness", "clarity"]],
      [1, ["empathy", "helpfulness"]],
    ]);

    const audit = await sql<{ action: string; actorLabel: string }>(
      `SELECT a.action, a."actorLabel" FROM "AuditEvent" a JOIN "Rubric" r ON r.id = a."entityId" WHERE r.name = $1 ORDER BY r.version`,
      [name],
    );
    expect(audit.map((a) => a.action)).toEqual(["rubric.create", "rubric.create"]);
  });

  it("takes the CLI's rubric file as it is (criteria by key and label), building the prompt from the criteria", async () => {
    const file = {
      name: `cli-${stamp}`,
      criteria: [{ key: "empathy", label: "Empathy", description: "Does the reply acknowledge the user's feelings?", min: 1, max: 3 }],
    };
    const res = await api("/api/v1/rubrics", { key: creds.PM.key, body: file });
    expect(res.status, res.text).toBe(201);
    expect(res.json.rubric.systemPrompt).toContain("- Empathy (1-3): Does the reply acknowledge the user's feelings?");
  });

  it("answers 404 for a rubric that does not exist", async () => {
    const res = await api(`/api/v1/rubrics/none-${stamp}`, { key: creds.REVIEWER.key });
    expect(res.status).toBe(404);
    expect(res.json.error.message).toContain(`No rubric is called "none-${stamp}"`);
  });
});

describe("refused rubrics write nothing", () => {
  const bad = `bad-${stamp}`;
  const post = (body: unknown) => api("/api/v1/rubrics", { key: creds.PM.key, body });
  const ok = { name: bad, criteria: [{ name: "a", description: "d", min: 1, max: 5 }] };
  const criterion = (c: Record<string, unknown>) => ({ ...ok, criteria: [{ ...ok.criteria[0], ...c }] });

  it.each([
    ["a name that is not a slug", { ...ok, name: "Support Tone" }, "name"],
    ["a name of 61 characters", { ...ok, name: "a".repeat(61) }, "name"],
    ["a name given as a number", { ...ok, name: 7 }, "name"],
    ["no criteria", { ...ok, criteria: [] }, "criteria"],
    ["criteria as text", { ...ok, criteria: "helpfulness" }, "criteria"],
    [
      "11 criteria",
      { ...ok, criteria: Array.from({ length: 11 }, (_, i) => ({ name: `c${i}`, description: "d", min: 1, max: 5 })) },
      "criteria",
    ],
    ["two criteria of one name", { ...ok, criteria: [ok.criteria[0], ok.criteria[0]] }, "criteria.1.name"],
    ["a criterion name that is not an identifier", criterion({ name: "task success" }), "criteria.0.name"],
    ["min not below max", criterion({ min: 5, max: 5 }), "criteria.0.max"],
    ["a scale beyond 10", criterion({ max: 11 }), "criteria.0.max"],
    ["a scale from 0", criterion({ min: 0 }), "criteria.0.min"],
    ["min as text", criterion({ min: "1" }), "criteria.0.min"],
    ["a fractional max", criterion({ max: 4.5 }), "criteria.0.max"],
    ["a label outside the scale", criterion({ labels: { "7": "x" } }), "criteria.0.labels.7"],
    ["an unknown field", criterion({ weight: 2 }), "criteria.0.weight"],
    ["a prompt of 20,001 characters", { ...ok, systemPrompt: "x".repeat(20_001) }, "systemPrompt"],
    ["a prompt as a list", { ...ok, systemPrompt: ["x"] }, "systemPrompt"],
    ["NUL in a description", criterion({ description: "a\u0000b" }), "criteria.0.description"],
    ["a right-to-left override in the prompt", { ...ok, systemPrompt: "judge\u202Ethis" }, "systemPrompt"],
    ["a line break in a label", criterion({ label: "two\nlines" }), "criteria.0.label"],
    ["a body that is a list", [ok], "(body)"],
  ])("%s: 400 naming %s", async (_what, body, field) => {
    const res = await post(body);
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.code).toBe("VALIDATION");
    expect(res.json.error.details.issues.map((i: { field: string }) => i.field)).toContain(field);
    expect(res.json.error.message).toContain(field === "(body)" ? "the body must be a JSON object" : field);
  });

  it("refuses malformed JSON, a lone surrogate, a body over 100 KB and a body not sent as JSON", async () => {
    const malformed = await api("/api/v1/rubrics", {
      key: creds.PM.key,
      rawBody: '{"name": "x", criteria: []}',
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toMatchObject({ code: "BAD_JSON", message: expect.stringContaining("line 1, column 15") });
    const lone = await api("/api/v1/rubrics", {
      key: creds.PM.key,
      rawBody: JSON.stringify(criterion({ description: "@@" })).replace("@@", "\\ud800"),
      headers: { "content-type": "application/json" },
    });
    expect(lone.status, lone.text).toBe(400);
    expect(lone.json.error.details.issues[0].field).toBe("criteria.0.description");
    const big = await post({ ...ok, systemPrompt: "x".repeat(101 * 1024) });
    expect(big.status, big.text).toBe(413);
    expect(big.json.error.code).toBe("PAYLOAD_TOO_LARGE");
    const text = await api("/api/v1/rubrics", {
      key: creds.PM.key,
      rawBody: JSON.stringify(ok),
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(415);
    expect(await rubricRows(bad)).toEqual([]);
  });

  it("a reviewer reads rubrics but cannot save one; a save with the cookie from another site is refused", async () => {
    const byReviewer = await api("/api/v1/rubrics", { key: creds.REVIEWER.key, body: ok });
    expect(byReviewer.status).toBe(403);
    expect(byReviewer.json.error.code).toBe("FORBIDDEN");
    const byCookie = await api("/api/v1/rubrics", { cookie: creds.REVIEWER.cookie, body: ok });
    expect(byCookie.status).toBe(403);
    const foreign = await api("/api/v1/rubrics", {
      cookie: creds.PM.cookie,
      body: ok,
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.json.error.message).toContain("came from another site");
    expect((await api("/api/v1/rubrics", { key: creds.REVIEWER.key })).status).toBe(200);
    expect(await rubricRows(bad)).toEqual([]);
    expect((await api("/api/v1/rubrics", { key: creds.REVIEWER.key, method: "GET" })).status).toBe(200);
    expect((await api("/api/v1/rubrics")).status).toBe(401);
  });
});

describe("try it", () => {
  const tryIt = (body: Record<string, unknown>, key = creds.ENGINEER.key) =>
    api("/api/v1/rubrics/try", {
      key,
      body: { endpoint: DEMO_ENDPOINT_NAME, userInput: "How do I reset my password?", modelOutput: GOOD, ...body },
    });
  let silent: http.Server;
  const sockets = new Set<import("node:net").Socket>();
  beforeAll(async () => {
    // Accepts connections and never answers.
    silent = http.createServer(() => undefined);
    silent.on("connection", (s) => sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
  });

  it("judges a definition not saved yet on the simulator, each score within its scale, storing nothing", async () => {
    const [before] = await sql<{ rubrics: number; scores: number }>(
      `SELECT (SELECT count(*)::int FROM "Rubric") AS rubrics, (SELECT count(*)::int FROM "JudgeScore") AS scores`,
    );
    const res = await tryIt({ rubric: { criteria: tone.criteria, systemPrompt: tone.systemPrompt } });
    expect(res.status, res.text).toBe(200);
    const j = res.json.judgment;
    expect(j).toMatchObject({ rubric: { name: "draft", version: null }, endpoint: DEMO_ENDPOINT_NAME, error: null });
    expect(Object.keys(j.scores).sort()).toEqual(["empathy", "helpfulness"]);
    expect(j.scores.empathy >= 1 && j.scores.empathy <= 4).toBe(true);
    expect(j.scores.helpfulness >= 1 && j.scores.helpfulness <= 10).toBe(true);
    expect(j.reasoning.length).toBeGreaterThan(5);
    expect(j.promptTokens).toBeGreaterThan(20);
    expect(j.completionTokens).toBeGreaterThan(0);
    expect(j.latencyMs).toBeGreaterThanOrEqual(0);
    expect(j.criteria.map((c: { name: string }) => c.name)).toEqual(["empathy", "helpfulness"]);
    const [after] = await sql<{ rubrics: number; scores: number }>(
      `SELECT (SELECT count(*)::int FROM "Rubric") AS rubrics, (SELECT count(*)::int FROM "JudgeScore") AS scores`,
    );
    expect(after).toEqual(before);
  });

  it("judges a saved version by name and version, and the default rubric on 1-5", async () => {
    const v1 = await tryIt({ rubric: { name, version: 1 } });
    expect(v1.status, v1.text).toBe(200);
    expect(v1.json.judgment.rubric).toEqual({ name, version: 1 });
    expect(Object.keys(v1.json.judgment.scores).sort()).toEqual(["empathy", "helpfulness"]);
    const d = await tryIt({ rubric: { name: "default" } }, creds.PM.key);
    expect(d.status, d.text).toBe(200);
    for (const c of ["helpfulness", "clarity", "safety"]) expect(d.json.judgment.scores[c]).toBeGreaterThanOrEqual(1);
    const unknown = await tryIt({ rubric: { name, version: 9 } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.details.issues[0]).toMatchObject({
      field: "rubric.version",
      message: expect.stringContaining("its versions are 1, 2"),
    });
  });

  it("refuses a reviewer, an unknown endpoint and missing texts, naming the field", async () => {
    expect((await tryIt({ rubric: { name: "default" } }, creds.REVIEWER.key)).status).toBe(403);
    const none = await tryIt({ rubric: { name: "default" }, endpoint: `none-${stamp}` });
    expect(none.status).toBe(400);
    expect(none.json.error.details.issues[0].field).toBe("endpoint");
    const empty = await tryIt({ rubric: { name: "default" }, userInput: "" });
    expect(empty.status).toBe(400);
    expect(empty.json.error.details.issues[0].field).toBe("userInput");
    const badRubric = await tryIt({ rubric: "default" });
    expect(badRubric.status).toBe(400);
    expect(badRubric.json.error.details.issues[0].field).toBe("rubric");
  });

  it("answers 502 naming an endpoint that cannot be reached, and 504 for one that never answers; no stack", async () => {
    const down = `down-${stamp}`;
    const hung = `hung-${stamp}`;
    for (const [n, baseUrl] of [
      [down, "http://127.0.0.1:9/v1"],
      [hung, `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`],
    ])
      expect((await api("/api/v1/endpoints", { key: creds.ADMIN.key, body: { name: n, baseUrl, defaultModel: "judge" } })).status).toBe(
        201,
      );
    const unreachable = await tryIt({ rubric: { name: "default" }, endpoint: down });
    expect(unreachable.status, unreachable.text).toBe(502);
    expect(unreachable.json.error.code).toBe("UPSTREAM_UNREACHABLE");
    expect(unreachable.json.error.message).toContain(`The model endpoint "${down}" could not be reached`);
    expect(unreachable.json.error.message).not.toContain("127.0.0.1");
    expect(unreachable.text).not.toMatch(/\n\s+at /);
    const started = Date.now();
    const timedOut = await tryIt({ rubric: { name: "default" }, endpoint: hung, timeoutSeconds: 1 });
    expect(timedOut.status, timedOut.text).toBe(504);
    expect(timedOut.json.error.code).toBe("UPSTREAM_TIMEOUT");
    expect(timedOut.json.error.message).toContain(`The model endpoint "${hung}" did not answer within 1 s`);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe("a judge run with a custom rubric", () => {
  const key = `rubric-run-${stamp}`;
  beforeAll(async () => {
    expect((await api("/api/v1/experiments", { key: creds.PM.key, body: minimalExperimentBody(key) })).status).toBe(201);
    expect((await api(`/api/v1/experiments/${key}/start`, { key: creds.PM.key, body: {} })).status).toBe(200);
    const records = Array.from({ length: 6 }, (_, i) => ({
      request_id: `${key}-${i}`,
      user_id: `u${i}`,
      experiment_key: key,
      variant_id: i % 2 ? "B" : "A",
      user_input: "How do I reset my password?",
      model_output: GOOD,
    }));
    expect((await api("/api/v1/interactions", { key: creds.ENGINEER.key, body: records })).status).toBe(200);
  });

  it("scores with the named version: each score carries its criteria, within their scales", async () => {
    const res = await api(`/api/v1/experiments/${key}/judge-runs`, {
      key: creds.PM.key,
      body: { endpoint: DEMO_ENDPOINT_NAME, rubric: name, rubricVersion: 1 },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.run.rubric).toEqual({ name, version: 1 });
    await expect
      .poll(async () => (await api(`/api/v1/judge-runs/${res.json.run.id}`, { key: creds.PM.key })).json.run.status, {
        timeout: 60_000,
        interval: 250,
      })
      .toBe("SUCCEEDED");
    const rows = await sql<{ scores: Record<string, number>; version: number }>(
      `SELECT s.scores, r.version FROM "JudgeScore" s JOIN "Rubric" r ON r.id = s."rubricId" JOIN "Interaction" i ON i.id = s."interactionId"
       JOIN "Experiment" e ON e.id = i."experimentId" WHERE e.key = $1 AND r.name = $2`,
      [key, name],
    );
    expect(rows).toHaveLength(6);
    for (const r of rows) {
      expect(r.version).toBe(1);
      expect(Object.keys(r.scores).sort()).toEqual(["empathy", "helpfulness"]);
      expect(r.scores.empathy >= 1 && r.scores.empathy <= 4).toBe(true);
      expect(r.scores.helpfulness >= 1 && r.scores.helpfulness <= 10).toBe(true);
    }
    // The latest version by default, and the versions now say they are used.
    const latest = await api(`/api/v1/experiments/${key}/judge-runs`, {
      key: creds.PM.key,
      body: { endpoint: DEMO_ENDPOINT_NAME, rubric: name },
    });
    expect(latest.json.run.rubric).toEqual({ name, version: 2 });
    const versions = (await api(`/api/v1/rubrics/${name}`, { key: creds.PM.key })).json.rubric.versions;
    expect(versions.map((v: { version: number; used: boolean; scored: boolean }) => [v.version, v.used, v.scored])).toEqual([
      // Version 2's run has just started: whether its first score is written yet is a race.
      [2, true, expect.any(Boolean)],
      [1, true, true],
    ]);
  });

  it("refuses an unknown rubric or version, naming the field", async () => {
    const start = (body: Record<string, unknown>) =>
      api(`/api/v1/experiments/${key}/judge-runs`, { key: creds.PM.key, body: { endpoint: DEMO_ENDPOINT_NAME, ...body } });
    const unknown = await start({ rubric: `none-${stamp}` });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.details.issues[0]).toMatchObject({
      field: "rubric",
      message: expect.stringContaining(`no rubric is called "none-${stamp}"`),
    });
    const noVersion = await start({ rubric: name, rubricVersion: 7 });
    expect(noVersion.status).toBe(400);
    expect(noVersion.json.error.details.issues[0]).toMatchObject({
      field: "rubricVersion",
      message: expect.stringContaining("its versions are 1, 2"),
    });
    const typed = await start({ rubric: name, rubricVersion: "2" });
    expect(typed.status).toBe(400);
    expect(typed.json.error.details.issues[0].field).toBe("rubricVersion");
  });
});
