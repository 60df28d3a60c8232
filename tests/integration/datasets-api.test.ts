// Datasets through the real API: each way of picking interactions gives exactly the rows it should (judge scores set
// here, so the expected ids are known), the download is JSONL {input, output, metadata} in order, the snapshot does not
// change when the interactions do, and malformed, oversized or unauthorised requests are refused naming the field with
// nothing written.
import { beforeAll, describe, expect, it } from "vitest";
import { api, baseUrl } from "../support/http";
import { sql } from "../support/interactionRows";
import { demoCredentials } from "../support/roles";
import { minimalExperimentBody } from "../support/experiments";

let creds: Awaited<ReturnType<typeof demoCredentials>>;
const stamp = Date.now().toString(36);
const key = `datasets-${stamp}`;
// Per interaction i: the judge's helpfulness and safety, the user's feedback (1-5), the log's safety flag.
const helpfulness = [5, 1, 4, 2, 3, 5, 1, 4, 2, 3, 5, 4];
const safety = [5, 5, 5, 1, 5, 5, 2, 5, 5, 5, 5, 5];
const feedback = [5, 5, 4, 2, 3, 1, 1, 4, 2, 3, 5, 4];
const flagged = new Set([9]);

beforeAll(async () => {
  creds = await demoCredentials();
  expect((await api("/api/v1/experiments", { key: creds.PM.key, body: minimalExperimentBody(key) })).status).toBe(201);
  await api(`/api/v1/experiments/${key}/start`, { key: creds.PM.key, body: {} });
  const body = helpfulness.map((_, i) => ({
    request_id: `${key}-${i}`,
    user_id: `u${i}`,
    experiment_key: key,
    variant_id: i % 2 ? "B" : "A",
    user_input: `question ${i}`,
    model_output: `answer ${i}`,
    user_feedback_score: feedback[i],
    safety_flag: flagged.has(i),
    latency_ms: 100 + i,
  }));
  expect((await api("/api/v1/interactions", { key: creds.ENGINEER.key, body })).status).toBe(200);
  await sql(`INSERT INTO "Rubric" (id, name, version, prompt, "jsonSchema", criteria) VALUES ($1, $1, 1, 'p', '{}', '[]')`, [
    `rubric-${stamp}`,
  ]);
  for (let i = 0; i < helpfulness.length; i++)
    await sql(
      `INSERT INTO "JudgeScore" (id, "interactionId", "rubricId", scores, reasoning)
       SELECT $1, i.id, $2, $3::jsonb, 'r' FROM "Interaction" i WHERE i."requestId" = $4`,
      [
        `score-${stamp}-${i}`,
        `rubric-${stamp}`,
        JSON.stringify({ helpfulness: helpfulness[i], clarity: 3, safety: safety[i] }),
        `${key}-${i}`,
      ],
    );
});

const make = (body: unknown, as = creds.PM.key) => api(`/api/v1/experiments/${key}/datasets`, { key: as, body });
async function download(id: string): Promise<{ input: string; output: string; metadata: Record<string, unknown> }[]> {
  const res = await fetch(`${baseUrl()}/api/v1/datasets/${id}/download`, { headers: { authorization: `Bearer ${creds.REVIEWER.key}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("application/x-ndjson");
  expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.jsonl"$/);
  const text = await res.text();
  expect(text.endsWith("\n")).toBe(true);
  return text
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
}
const ids = (items: { metadata: Record<string, unknown> }[]) => items.map((i) => i.metadata.request_id);

describe("making a dataset", () => {
  it("lowest: the N lowest judge scores of the criterion, lowest first", async () => {
    const res = await make({ name: `lowest-${stamp}`, mode: "lowest", limit: 4 });
    expect(res.status, res.text).toBe(201);
    expect(res.json.dataset).toMatchObject({
      itemCount: 4,
      mode: "lowest",
      experiment: key,
      params: { limit: 4, criterion: "helpfulness" },
    });
    const items = await download(res.json.dataset.id);
    // helpfulness 1 at i = 1 and 6, then 2 at i = 3 and 8 (ties newest first: all share one timestamp, then by id).
    expect(new Set(ids(items).slice(0, 2))).toEqual(new Set([`${key}-1`, `${key}-6`]));
    expect(new Set(ids(items).slice(2))).toEqual(new Set([`${key}-3`, `${key}-8`]));
    expect(items[0].input).toMatch(/^question [16]$/);
    expect(items[0].metadata).toMatchObject({
      judge_scores: { helpfulness: 1 },
      user_feedback_score: expect.any(Number),
      latency_ms: expect.any(Number),
    });
    expect(Object.keys(items[0]).sort()).toEqual(["input", "metadata", "output"]);
  });

  it("safety: flagged by the log or scored 2 or less on safety; disagreement: judge and user apart", async () => {
    const s = await make({ name: `safety-${stamp}`, mode: "safety", limit: 100 });
    expect(new Set(ids(await download(s.json.dataset.id)))).toEqual(new Set([`${key}-3`, `${key}-6`, `${key}-9`]));
    // |(h - 1) / 4 - (f - 1) / 4| >= 0.5: i = 1 (1 vs 5) and i = 5 (5 vs 1).
    const d = await make({ name: `disagree-${stamp}`, mode: "disagreement", threshold: 0.5, limit: 100 });
    expect(d.status, d.text).toBe(201);
    expect(new Set(ids(await download(d.json.dataset.id)))).toEqual(new Set([`${key}-1`, `${key}-5`]));
  });

  it("random: a seeded sample, the same for the same seed, within a variant when asked", async () => {
    const a = await make({ name: `random-a-${stamp}`, mode: "random", limit: 3, seed: 7, variant: "B" });
    const b = await make({ name: `random-b-${stamp}`, mode: "random", limit: 3, seed: 7, variant: "B" });
    const [ia, ib] = [ids(await download(a.json.dataset.id)), ids(await download(b.json.dataset.id))];
    expect(ia).toEqual(ib);
    expect(ia).toHaveLength(3);
    for (const r of ia) expect(Number(String(r).split("-").pop()) % 2).toBe(1);
  });

  it("keeps a snapshot: changing an interaction afterwards does not change the dataset; deleting it is audited", async () => {
    const res = await make({ name: `snapshot-${stamp}`, mode: "lowest", limit: 1, criterion: "safety" });
    const before = await download(res.json.dataset.id);
    await sql(`UPDATE "Interaction" SET "modelOutput" = 'changed' WHERE "requestId" = $1`, [before[0].metadata.request_id]);
    expect(await download(res.json.dataset.id)).toEqual(before);
    const listed = await api("/api/v1/datasets", { key: creds.REVIEWER.key });
    expect(listed.json.datasets.map((d: { name: string }) => d.name)).toContain(`snapshot-${stamp}`);
    expect((await api(`/api/v1/datasets/${res.json.dataset.id}`, { key: creds.REVIEWER.key, method: "DELETE" })).status).toBe(403);
    expect((await api(`/api/v1/datasets/${res.json.dataset.id}`, { key: creds.ENGINEER.key, method: "DELETE" })).status).toBe(200);
    expect((await api(`/api/v1/datasets/${res.json.dataset.id}`, { key: creds.REVIEWER.key })).status).toBe(404);
    const audit = await sql<{ action: string }>(`SELECT action FROM "AuditEvent" WHERE "entityId" = $1 ORDER BY "createdAt"`, [
      res.json.dataset.id,
    ]);
    expect(audit.map((a) => a.action)).toEqual(["dataset.create", "dataset.delete"]);
  });
});

describe("refusals", () => {
  it.each([
    [{ mode: "random" }, "name", "name must be text"],
    [{ name: "  ", mode: "random" }, "name", "give the dataset a name"],
    [{ name: "x".repeat(101), mode: "random" }, "name", "at most 100 characters"],
    [{ name: "x", mode: "worst" }, "mode", "mode must be lowest, safety, disagreement or random"],
    [{ name: "x", mode: "random", limit: 10001 }, "limit", "at most 10,000 interactions"],
    [{ name: "x", mode: "random", limit: 2.5 }, "limit", "whole number"],
    [{ name: "x", mode: "lowest", criterion: '\'; DROP TABLE "Dataset"; --' }, "criterion", "a judge criterion's key"],
    [{ name: "x", mode: "disagreement", threshold: 3 }, "threshold", "at most 1"],
    [{ name: "x", mode: "random", variant: "Z" }, "variant", 'no variant is called "Z"'],
    [{ name: "x", mode: "random", extra: true }, "extra", 'unknown field "extra"'],
    [{ name: `lowest-${stamp}`, mode: "random" }, "name", "already called"],
    [{ name: `none-${stamp}`, mode: "lowest", criterion: "no_such_criterion" }, "mode", "no interaction"],
  ])("refusal %#: 400 naming the field, nothing written", async (body, field, message) => {
    const before = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "Dataset"`);
    const res = await make(body);
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.details.issues[0]).toMatchObject({ field });
    expect(res.json.error.message).toContain(message);
    expect(await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "Dataset"`)).toEqual(before);
  });

  it("a reviewer reads and downloads but cannot make one; an unknown experiment or dataset is 404", async () => {
    expect((await make({ name: `r-${stamp}`, mode: "random" }, creds.REVIEWER.key)).status).toBe(403);
    expect(
      (await api(`/api/v1/experiments/no-${stamp}/datasets`, { key: creds.PM.key, body: { name: `n-${stamp}`, mode: "random" } })).status,
    ).toBe(404);
    expect((await api("/api/v1/datasets/none/download", { key: creds.PM.key })).status).toBe(404);
  });
});
