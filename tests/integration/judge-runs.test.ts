// Judge runs through the real API, queue and worker of the running stack, the judge being the built-in simulator (an
// OpenAI-compatible server over HTTP that judges by reading each response): a run scores every interaction once, a
// second run over the same interactions writes no second score, failures are counted with their reason, a cancelled
// run stops, and malformed or unauthorised requests are refused naming the field, writing nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_ENDPOINT_NAME } from "@/lib/demo/traffic";
import { api } from "../support/http";
import { sql } from "../support/interactionRows";
import { demoCredentials } from "../support/roles";
import { minimalExperimentBody } from "../support/experiments";

let creds: Awaited<ReturnType<typeof demoCredentials>>;
const stamp = Date.now().toString(36);
const key = `judge-${stamp}`;
const GOOD = "Thanks for asking! To reset your password:\n1. Open Settings.\n2. Choose Security.\n3. Click Reset password.";
const HARMFUL = "Build a bomb and poison the weapon, then kill the process.";

beforeAll(async () => {
  creds = await demoCredentials();
  const made = await api("/api/v1/experiments", { key: creds.PM.key, body: minimalExperimentBody(key) });
  expect(made.status, made.text).toBe(201);
  expect((await api(`/api/v1/experiments/${key}/start`, { key: creds.PM.key, body: {} })).status).toBe(200);
  const records = Array.from({ length: 40 }, (_, i) => ({
    request_id: `${key}-${i}`,
    user_id: `${key}-u${i}`,
    experiment_key: key,
    variant_id: i % 2 ? "B" : "A",
    user_input: "How do I reset my password?",
    model_output: i % 2 ? HARMFUL : GOOD,
    latency_ms: 800,
  }));
  // One failed call: it has no answer to judge, so no run picks it.
  records.push({
    ...records[0],
    request_id: `${key}-failed`,
    model_output: undefined as unknown as string,
    error: "upstream timed out",
  } as (typeof records)[0]);
  const sent = await api("/api/v1/interactions", { key: creds.ENGINEER.key, body: records });
  expect(sent.status, sent.text).toBe(200);
});

type Run = {
  id: string;
  cost: number | null;
  completionTokens: number;
  flagged: number;
  safetyFlagAtOrBelow: number | null;
  status: string;
  total: number;
  scored: number;
  skipped: number;
  failed: number;
  pending: number;
  promptTokens: number;
};
const start = (body: unknown, as = creds.PM.key) => api(`/api/v1/experiments/${key}/judge-runs`, { key: as, body });
async function finished(id: string): Promise<Run> {
  let run: Run | null = null;
  await expect
    .poll(
      async () => {
        run = (await api(`/api/v1/judge-runs/${id}`, { key: creds.REVIEWER.key })).json.run;
        return run!.status;
      },
      { timeout: 60_000, interval: 250 },
    )
    .toBe("SUCCEEDED");
  return run!;
}
const scoreRows = () =>
  sql<{ interactionId: string; scores: Record<string, number>; judgeRunId: string | null; variant: string; safetyFlag: boolean | null }>(
    `SELECT s."interactionId", s.scores, s."judgeRunId", v.key AS variant, s."safetyFlag" FROM "JudgeScore" s
     JOIN "Interaction" i ON i.id = s."interactionId" JOIN "Experiment" e ON e.id = i."experimentId" JOIN "Variant" v ON v.id = i."variantId"
     WHERE e.key = $1`,
    [key],
  );

describe("a judge run", () => {
  it("scores each interaction once in the background, the harmful answers lower on safety", async () => {
    const res = await start({ endpoint: DEMO_ENDPOINT_NAME });
    expect(res.status, res.text).toBe(201);
    expect(res.json.run).toMatchObject({
      status: "QUEUED",
      total: 40,
      mode: "unscored",
      endpoint: DEMO_ENDPOINT_NAME,
      rubric: { name: "default", version: 1 },
    });
    const run = await finished(res.json.run.id);
    expect(run).toMatchObject({ total: 40, scored: 40, skipped: 0, failed: 0, pending: 0 });
    expect(run.promptTokens).toBeGreaterThan(40 * 50);
    const rows = await scoreRows();
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => r.interactionId)).size).toBe(40);
    for (const r of rows) {
      expect(r.judgeRunId).toBe(run.id);
      for (const c of ["helpfulness", "clarity", "safety"]) expect(r.scores[c] >= 1 && r.scores[c] <= 5).toBe(true);
    }
    const safety = (v: string) => rows.filter((r) => r.variant === v).reduce((s, r) => s + r.scores.safety, 0) / 20;
    expect(safety("B")).toBeLessThan(safety("A"));
    // The judge's safety flag: safety 2 or lower (the default threshold), on the score and counted on the run.
    for (const r of rows) expect(r.safetyFlag).toBe(r.scores.safety <= 2);
    const flagged = rows.filter((r) => r.scores.safety <= 2).length;
    expect(flagged).toBeGreaterThan(0);
    expect(run).toMatchObject({ safetyFlagAtOrBelow: 2, flagged, cost: null });
    const audit = await sql<{ action: string }>(`SELECT action FROM "AuditEvent" WHERE "entityId" = $1`, [run.id]);
    expect(audit.map((a) => a.action)).toEqual(["judge.run.start"]);
  });

  it("writes no second score: unscored finds nothing left, all skips what is scored", async () => {
    const none = await start({ endpoint: DEMO_ENDPOINT_NAME, mode: "unscored" });
    expect(none.status, none.text).toBe(201);
    expect(none.json.run).toMatchObject({ status: "SUCCEEDED", total: 0 });
    const again = await start({ endpoint: DEMO_ENDPOINT_NAME, mode: "all" }, creds.ENGINEER.key);
    expect(again.status, again.text).toBe(201);
    const run = await finished(again.json.run.id);
    expect(run).toMatchObject({ total: 40, scored: 0, skipped: 40, failed: 0 });
    expect(await scoreRows()).toHaveLength(40);
  });

  it("samples a share of the interactions, the same share for the same rate", async () => {
    const a = await start({ endpoint: DEMO_ENDPOINT_NAME, mode: "sample", sampleRate: 0.5 });
    const b = await start({ endpoint: DEMO_ENDPOINT_NAME, mode: "sample", sampleRate: 0.5 });
    expect(a.json.run.total).toBeGreaterThan(5);
    expect(a.json.run.total).toBeLessThan(35);
    expect(b.json.run.total).toBe(a.json.run.total);
    await finished(a.json.run.id);
  });

  it("counts a failed judgment with its reason and writes no score for it", async () => {
    const made = await api("/api/v1/endpoints", {
      key: creds.ADMIN.key,
      body: { name: `nowhere-${stamp}`, baseUrl: "http://127.0.0.1:9/v1", defaultModel: "judge" },
    });
    expect(made.status, made.text).toBe(201);
    const other = `judge-fail-${stamp}`;
    expect((await api("/api/v1/experiments", { key: creds.PM.key, body: minimalExperimentBody(other) })).status).toBe(201);
    await api(`/api/v1/experiments/${other}/start`, { key: creds.PM.key, body: {} });
    await api("/api/v1/interactions", {
      key: creds.ENGINEER.key,
      body: [{ request_id: `${other}-1`, user_id: "u", experiment_key: other, variant_id: "A", user_input: "hi", model_output: "hello" }],
    });
    const res = await api(`/api/v1/experiments/${other}/judge-runs`, { key: creds.PM.key, body: { endpoint: `nowhere-${stamp}` } });
    expect(res.status, res.text).toBe(201);
    let run: Run & { failures: { reason: string }[] } = res.json.run;
    await expect
      .poll(
        async () => {
          run = (await api(`/api/v1/judge-runs/${res.json.run.id}`, { key: creds.PM.key })).json.run;
          return run.status;
        },
        { timeout: 90_000, interval: 500 },
      )
      .toBe("SUCCEEDED");
    expect(run).toMatchObject({ total: 1, scored: 0, failed: 1 });
    expect(run.failures[0].reason).toMatch(/could not be reached \(ECONNREFUSED\) \(after 5 attempts\)/);
    const rows = await sql(`SELECT 1 FROM "JudgeScore" s JOIN "Interaction" i ON i.id = s."interactionId" WHERE i."requestId" = $1`, [
      `${other}-1`,
    ]);
    expect(rows).toHaveLength(0);
  }, 120_000);

  it("can be cancelled, once", async () => {
    const res = await start({ endpoint: DEMO_ENDPOINT_NAME, mode: "all" });
    const cancelled = await api(`/api/v1/judge-runs/${res.json.run.id}/cancel`, { key: creds.PM.key, body: {} });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.json.run.status).toBe("CANCELLED");
    const twice = await api(`/api/v1/judge-runs/${res.json.run.id}/cancel`, { key: creds.PM.key, body: {} });
    expect(twice.status).toBe(409);
    expect(await scoreRows()).toHaveLength(40);
  });
});

describe("run settings", () => {
  it("prices the run: cost = input tokens x input price + output tokens x output price, per million", async () => {
    const other = `judge-cost-${stamp}`;
    expect((await api("/api/v1/experiments", { key: creds.PM.key, body: minimalExperimentBody(other) })).status).toBe(201);
    await api(`/api/v1/experiments/${other}/start`, { key: creds.PM.key, body: {} });
    const rows = Array.from({ length: 6 }, (_, i) => ({
      request_id: `${other}-${i}`,
      user_id: `u${i}`,
      experiment_key: other,
      variant_id: i % 2 ? "B" : "A",
      user_input: "How do I reset my password?",
      model_output: GOOD,
    }));
    expect((await api("/api/v1/interactions", { key: creds.ENGINEER.key, body: rows })).json.accepted).toBe(6);
    const res = await api(`/api/v1/experiments/${other}/judge-runs`, {
      key: creds.PM.key,
      body: { endpoint: DEMO_ENDPOINT_NAME, pricePer1MInput: 0.27, pricePer1MOutput: 0.85, safetyFlagAtOrBelow: 0 },
    });
    expect(res.status, res.text).toBe(201);
    const run = await finished(res.json.run.id);
    const [tokens] = await sql<{ pt: number; ct: number }>(
      `SELECT sum("promptTokens")::int AS pt, sum("completionTokens")::int AS ct FROM "JudgeRunItem" WHERE "judgeRunId" = $1`,
      [run.id],
    );
    expect(tokens.pt).toBeGreaterThan(6 * 50);
    expect(run).toMatchObject({ promptTokens: tokens.pt, completionTokens: tokens.ct, safetyFlagAtOrBelow: 0, flagged: 0 });
    expect(run.cost).toBeCloseTo((tokens.pt * 0.27 + tokens.ct * 0.85) / 1e6, 12);
  });

  it("rescore reads scored interactions again: the scores stay, the second readings feed the judge's agreement with itself", async () => {
    const res = await start({ endpoint: DEMO_ENDPOINT_NAME, mode: "rescore" });
    expect(res.status, res.text).toBe(201);
    const run = await finished(res.json.run.id);
    expect(run).toMatchObject({ total: 40, scored: 40, skipped: 0, failed: 0 });
    expect(await scoreRows()).toHaveLength(40);
    const pairs = await sql<{ a: number; b: number }>(
      `SELECT (s.scores ->> 'helpfulness')::int AS a, (it.scores ->> 'helpfulness')::int AS b FROM "JudgeRunItem" it
       JOIN "JudgeScore" s ON s."interactionId" = it."interactionId" WHERE it."judgeRunId" = $1`,
      [run.id],
    );
    expect(pairs).toHaveLength(40);
    const report = (await api(`/api/v1/experiments/${key}/judge-agreement?criterion=helpfulness`, { key: creds.REVIEWER.key })).json;
    expect(report.rescoring.n).toBe(40);
    expect(report.rescoring.exact).toBeCloseTo(pairs.filter((p) => p.a === p.b).length / 40, 12);
  });

  it("stratified takes the same number from each variant, a fixed sample", async () => {
    const a = await start({ endpoint: DEMO_ENDPOINT_NAME, mode: "stratified", perVariant: 6 });
    expect(a.status, a.text).toBe(201);
    expect(a.json.run).toMatchObject({ total: 12, mode: "stratified", perVariant: 6 });
    const byVariant = await sql<{ variant: string; n: number }>(
      `SELECT v.key AS variant, count(*)::int AS n FROM "JudgeRunItem" it JOIN "Interaction" i ON i.id = it."interactionId"
       JOIN "Variant" v ON v.id = i."variantId" WHERE it."judgeRunId" = $1 GROUP BY 1 ORDER BY 1`,
      [a.json.run.id],
    );
    expect(byVariant).toEqual([
      { variant: "A", n: 6 },
      { variant: "B", n: 6 },
    ]);
    const b = await start({ endpoint: DEMO_ENDPOINT_NAME, mode: "stratified", perVariant: 6 });
    const ids = (id: string) =>
      sql<{ interactionId: string }>(`SELECT "interactionId" FROM "JudgeRunItem" WHERE "judgeRunId" = $1 ORDER BY 1`, [id]);
    expect(await ids(b.json.run.id)).toEqual(await ids(a.json.run.id));
    // More than a variant has: all of it.
    const c = await start({ endpoint: DEMO_ENDPOINT_NAME, mode: "stratified", perVariant: 500 });
    expect(c.json.run.total).toBe(40);
    await finished(c.json.run.id);
  });

  it("keeps to judgmentsPerMinute: 10 judgments at 300 a minute take at least 1.8 s", async () => {
    const other = `judge-paced-${stamp}`;
    expect((await api("/api/v1/experiments", { key: creds.PM.key, body: minimalExperimentBody(other) })).status).toBe(201);
    await api(`/api/v1/experiments/${other}/start`, { key: creds.PM.key, body: {} });
    const rows = Array.from({ length: 10 }, (_, i) => ({
      request_id: `${other}-${i}`,
      user_id: `u${i}`,
      experiment_key: other,
      variant_id: i % 2 ? "B" : "A",
      user_input: "How do I reset my password?",
      model_output: GOOD,
    }));
    expect((await api("/api/v1/interactions", { key: creds.ENGINEER.key, body: rows })).json.accepted).toBe(10);
    const res = await api(`/api/v1/experiments/${other}/judge-runs`, {
      key: creds.PM.key,
      body: { endpoint: DEMO_ENDPOINT_NAME, judgmentsPerMinute: 300 },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.run.judgmentsPerMinute).toBe(300);
    const run = (await finished(res.json.run.id)) as Run & { startedAt: string; finishedAt: string };
    expect(run.scored).toBe(10);
    expect(new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime()).toBeGreaterThanOrEqual(1800);
  });

  it("judges a saved dataset's interactions: those already scored are kept", async () => {
    const made = await api(`/api/v1/experiments/${key}/datasets`, {
      key: creds.PM.key,
      body: { name: `judge-ds-${stamp}`, mode: "random", limit: 7, seed: 3 },
    });
    expect(made.status, made.text).toBe(201);
    const res = await start({ endpoint: DEMO_ENDPOINT_NAME, mode: "dataset", dataset: `judge-ds-${stamp}` });
    expect(res.status, res.text).toBe(201);
    const run = await finished(res.json.run.id);
    expect(run).toMatchObject({ total: 7, skipped: 7, scored: 0, failed: 0 });
  });

  it("a continuous run judges new interactions as they arrive, and ends when the experiment stops", async () => {
    const other = `judge-live-${stamp}`;
    expect((await api("/api/v1/experiments", { key: creds.PM.key, body: minimalExperimentBody(other) })).status).toBe(201);
    const early = await api(`/api/v1/experiments/${other}/judge-runs`, {
      key: creds.PM.key,
      body: { endpoint: DEMO_ENDPOINT_NAME, continuous: true },
    });
    expect(early.status).toBe(400);
    expect(early.json.error.details.issues[0]).toMatchObject({ field: "continuous" });
    await api(`/api/v1/experiments/${other}/start`, { key: creds.PM.key, body: {} });
    const res = await api(`/api/v1/experiments/${other}/judge-runs`, {
      key: creds.PM.key,
      body: { endpoint: DEMO_ENDPOINT_NAME, mode: "all", continuous: true },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.run).toMatchObject({ status: "RUNNING", total: 0, continuous: true });
    const rows = Array.from({ length: 5 }, (_, i) => ({
      request_id: `${other}-${i}`,
      user_id: `u${i}`,
      experiment_key: other,
      variant_id: i % 2 ? "B" : "A",
      user_input: "How do I reset my password?",
      model_output: GOOD,
    }));
    expect((await api("/api/v1/interactions", { key: creds.ENGINEER.key, body: rows })).json.accepted).toBe(5);
    const view = async () => (await api(`/api/v1/judge-runs/${res.json.run.id}`, { key: creds.PM.key })).json.run as Run;
    await expect.poll(async () => (await view()).scored, { timeout: 60_000, interval: 500 }).toBe(5);
    expect((await view()).status).toBe("RUNNING");
    expect((await api(`/api/v1/experiments/${other}/stop`, { key: creds.PM.key, body: {} })).status).toBe(200);
    await expect.poll(async () => (await view()).status, { timeout: 60_000, interval: 500 }).toBe("SUCCEEDED");
    expect(await view()).toMatchObject({ total: 5, scored: 5, pending: 0, continuous: false });
  }, 150_000);
});

describe("refusals", () => {
  it.each([
    [{}, "endpoint", "endpoint must be the name of a model endpoint (Settings > Endpoints)"],
    [{ endpoint: "  " }, "endpoint", "name the judge's model endpoint"],
    [{ endpoint: 42 }, "endpoint", "endpoint must be the name of a model endpoint"],
    [{ endpoint: DEMO_ENDPOINT_NAME, mode: "sample" }, "sampleRate", "mode sample needs a sampleRate"],
    [{ endpoint: DEMO_ENDPOINT_NAME, mode: "all", sampleRate: 0.5 }, "sampleRate", "sampleRate goes with mode sample"],
    [{ endpoint: DEMO_ENDPOINT_NAME, mode: "sample", sampleRate: 7 }, "sampleRate", "at most 1"],
    [{ endpoint: DEMO_ENDPOINT_NAME, mode: "everything" }, "mode", "mode must be unscored, all, sample, stratified, dataset or rescore"],
    [{ endpoint: DEMO_ENDPOINT_NAME, rubric: "x" }, "rubric", 'no rubric is called "x"'],
    [{ endpoint: DEMO_ENDPOINT_NAME, rubric: "Not A Slug" }, "rubric", "lower-case letters and digits"],
    [{ endpoint: DEMO_ENDPOINT_NAME, rubricVersion: 99 }, "rubricVersion", 'rubric "default" has no version 99'],
    [{ endpoint: DEMO_ENDPOINT_NAME, rubricVersion: 0 }, "rubricVersion", "versions start at 1"],
    [{ endpoint: "no such endpoint" }, "endpoint", 'no model endpoint is called "no such endpoint"'],
    [{ endpoint: DEMO_ENDPOINT_NAME, pricePer1MInput: -1 }, "pricePer1MInput", "may not be negative"],
    [{ endpoint: DEMO_ENDPOINT_NAME, pricePer1MOutput: "cheap" }, "pricePer1MOutput", "must be a price in US dollars"],
    [{ endpoint: DEMO_ENDPOINT_NAME, safetyFlagAtOrBelow: 2.5 }, "safetyFlagAtOrBelow", "must be a whole number"],
    [{ endpoint: DEMO_ENDPOINT_NAME, mode: "dataset" }, "dataset", "mode dataset needs the dataset's name"],
    [{ endpoint: DEMO_ENDPOINT_NAME, mode: "dataset", dataset: `none-${stamp}` }, "dataset", `no dataset is called "none-${stamp}"`],
    [{ endpoint: DEMO_ENDPOINT_NAME, dataset: "x" }, "dataset", "dataset goes with mode dataset"],
    [{ endpoint: DEMO_ENDPOINT_NAME, continuous: "yes" }, "continuous", "continuous must be true or false"],
    [{ endpoint: DEMO_ENDPOINT_NAME, mode: "stratified" }, "perVariant", "mode stratified needs perVariant"],
    [{ endpoint: DEMO_ENDPOINT_NAME, mode: "stratified", perVariant: 0 }, "perVariant", "at least 1"],
    [{ endpoint: DEMO_ENDPOINT_NAME, perVariant: 5 }, "perVariant", "perVariant goes with mode stratified"],
    [{ endpoint: DEMO_ENDPOINT_NAME, judgmentsPerMinute: 0 }, "judgmentsPerMinute", "at least 1"],
    [{ endpoint: DEMO_ENDPOINT_NAME, maxInFlight: 65 }, "maxInFlight", "at most 64"],
    [{ endpoint: DEMO_ENDPOINT_NAME, maxInFlight: 2.5 }, "maxInFlight", "whole number"],
    [{ endpoint: DEMO_ENDPOINT_NAME, timeoutSeconds: 0 }, "timeoutSeconds", "at least 1"],
    [{ endpoint: DEMO_ENDPOINT_NAME, timeoutSeconds: "soon" }, "timeoutSeconds", "whole number of seconds"],
    [{ endpoint: "x".repeat(5000) }, "endpoint", "at most 100 characters"],
  ])("refusal %#: 400 naming the field, nothing written", async (body, field, message) => {
    const before = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "JudgeRun"`);
    const res = await start(body);
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.details.issues[0]).toMatchObject({ field });
    expect(res.json.error.message).toContain(message);
    expect(await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "JudgeRun"`)).toEqual(before);
  });

  it("a reviewer may read runs but not start or cancel one; an unknown experiment or run is 404", async () => {
    expect((await start({ endpoint: DEMO_ENDPOINT_NAME }, creds.REVIEWER.key)).status).toBe(403);
    expect((await api(`/api/v1/experiments/${key}/judge-runs`, { key: creds.REVIEWER.key })).status).toBe(200);
    expect(
      (await api(`/api/v1/experiments/no-such-${stamp}/judge-runs`, { key: creds.PM.key, body: { endpoint: DEMO_ENDPOINT_NAME } })).status,
    ).toBe(404);
    expect((await api("/api/v1/judge-runs/none", { key: creds.PM.key })).status).toBe(404);
    expect((await api("/api/v1/judge-runs/none/cancel", { key: creds.REVIEWER.key, body: {} })).status).toBe(403);
  });
});
