// POST /api/v1/interactions against the real stack: every logging field lands in its column, a repeat is a duplicate
// (never a second row, never an error, also when sent 10 times at once), a batch with a bad record stores nothing and
// names the record and field, and 1,000 generated malformed payloads each get a 4xx that says what to fix.
import { beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { api, baseUrl } from "../support/http";
import { demoCredentials } from "../support/roles";
import { minimalExperimentBody } from "../support/experiments";
import { sql } from "../support/interactionRows";

let creds: Awaited<ReturnType<typeof demoCredentials>>;
const experiment = `ingest-${Date.now().toString(36)}`;

const rowCount = async (key = experiment) =>
  (
    await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Interaction" i JOIN "Experiment" e ON e.id = i."experimentId" WHERE e.key = $1`,
      [key],
    )
  )[0].n;

function post(body: string | Buffer, type = "application/json", key = creds.ENGINEER.key) {
  return fetch(`${baseUrl()}/api/v1/interactions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": type },
    body: typeof body === "string" ? body : new Uint8Array(body),
  }).then(async (res) => {
    const text = await res.text();
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: res.status, json, text, headers: res.headers };
  });
}

let seq = 0;
function record(over: Record<string, unknown> = {}) {
  seq++;
  return {
    request_id: `req-${experiment}-${seq}`,
    user_id: `user-${seq % 37}`,
    experiment_key: experiment,
    variant_id: seq % 2 ? "A" : "B",
    model_name: "llama-4-scout",
    system_prompt_version: "v2.1-structured-steps",
    latency_ms: 1100,
    prompt_tokens: 120,
    completion_tokens: 250,
    user_input: "How do I reset my password?",
    model_output: "Go to settings and click 'Security'…",
    safety_flag: false,
    user_feedback_score: 1,
    ...over,
  };
}

beforeAll(async () => {
  creds = await demoCredentials();
  const body = minimalExperimentBody(experiment);
  Object.assign(body.variants[0].config, { pricePer1MInput: 0.2, pricePer1MOutput: 0.6 });
  const made = await api("/api/v1/experiments", { key: inject("apiKey"), body });
  expect(made.status, made.text).toBe(201);
});

describe("storing", () => {
  it("stores every field of the logging schema in its column; cost comes from the variant's prices when absent", async () => {
    const r = record({
      variant_id: "A",
      ttft_ms: 180.5,
      goal_completed: true,
      timestamp: "2026-11-30T10:00:00Z",
      metrics: { resolved: 1, turns: 3 },
    });
    const res = await post(JSON.stringify([r]));
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const [row] = await sql<Record<string, any>>(
      `SELECT i.*, v.key AS variant, i.cost::text AS cost_text FROM "Interaction" i JOIN "Variant" v ON v.id = i."variantId" WHERE i."requestId" = $1`,
      [r.request_id],
    );
    expect(row).toMatchObject({
      userId: r.user_id,
      variant: "A",
      modelName: "llama-4-scout",
      systemPromptVersion: "v2.1-structured-steps",
      latencyMs: 1100,
      ttftMs: 180.5,
      promptTokens: 120,
      completionTokens: 250,
      userInput: r.user_input,
      modelOutput: r.model_output,
      safetyFlag: false,
      userFeedbackScore: 1,
      goalCompleted: true,
      customMetrics: { resolved: 1, turns: 3 },
      source: "API",
      error: null,
    });
    expect(row.timestamp.toISOString()).toBe("2026-11-30T10:00:00.000Z");
    // 120 * 0.2 / 1e6 + 250 * 0.6 / 1e6 = 0.000174
    expect(row.cost_text).toBe("0.00017400");
    const withCost = record({ variant_id: "A", cost_usd: 0.5 });
    await post(JSON.stringify([withCost]));
    expect((await sql<{ c: string }>(`SELECT cost::text AS c FROM "Interaction" WHERE "requestId" = $1`, [withCost.request_id]))[0].c).toBe(
      "0.50000000",
    );
    const noPrices = record({ variant_id: "B" });
    await post(JSON.stringify([noPrices]));
    expect(
      (await sql<{ c: string | null }>(`SELECT cost::text AS c FROM "Interaction" WHERE "requestId" = $1`, [noPrices.request_id]))[0].c,
    ).toBeNull();
  });

  it("NDJSON and CSV land the same records", async () => {
    const a = record();
    const b = record({ metrics: { resolved: 0 } });
    const nd = await post(`${JSON.stringify(a)}\n\n${JSON.stringify(b)}\n`, "application/x-ndjson");
    expect(nd.json).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    const c = record();
    const csv = [
      "request_id,user_id,experiment_key,variant_id,latency_ms,safety_flag,user_input,metrics.resolved,timestamp",
      `${c.request_id},u-csv,${experiment},B,950.5,true,"Hello, ""world""",1,1764669600`,
    ].join("\r\n");
    const res = await post(csv, "text/csv");
    expect(res.status, res.text).toBe(200);
    expect(res.json.accepted).toBe(1);
    const [row] = await sql<Record<string, any>>(`SELECT * FROM "Interaction" WHERE "requestId" = $1`, [c.request_id]);
    expect(row).toMatchObject({
      userId: "u-csv",
      latencyMs: 950.5,
      safetyFlag: true,
      userInput: 'Hello, "world"',
      customMetrics: { resolved: 1 },
    });
    expect(row.timestamp.toISOString()).toBe("2025-12-02T10:00:00.000Z");
  });
});

describe("idempotent on (experiment, request_id)", () => {
  it("the same batch 10 times in a row and 10 times at once: one row per request_id, duplicates reported, no 5xx", async () => {
    const batch = Array.from({ length: 500 }, () => record());
    const body = JSON.stringify(batch);
    const first = await post(body);
    expect(first.json).toEqual({ accepted: 500, duplicates: 0, rejected: [] });
    for (let i = 0; i < 9; i++) expect((await post(body)).json).toEqual({ accepted: 0, duplicates: 500, rejected: [] });

    const fresh = JSON.stringify(Array.from({ length: 500 }, () => record()));
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(fresh)));
    for (const a of answers) expect(a.status, a.text).toBe(200);
    expect(answers.reduce((s, a) => s + a.json.accepted, 0)).toBe(500);
    expect(answers.reduce((s, a) => s + a.json.duplicates, 0)).toBe(4500);
    const ids = [...batch, ...JSON.parse(fresh)].map((r: { request_id: string }) => r.request_id);
    const stored = await sql<{ requestId: string; n: number }>(
      `SELECT "requestId", count(*)::int AS n FROM "Interaction" WHERE "requestId" = ANY($1) GROUP BY 1`,
      [ids],
    );
    expect(stored).toHaveLength(1000);
    expect(stored.every((s) => s.n === 1)).toBe(true);
  });

  it("a request_id repeated inside one batch is stored once; the same id in another experiment is another interaction", async () => {
    const r = record();
    expect((await post(JSON.stringify([r, r]))).json).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
    const other = `ingest-other-${Date.now().toString(36)}`;
    expect((await api("/api/v1/experiments", { key: inject("apiKey"), body: minimalExperimentBody(other) })).status).toBe(201);
    expect((await post(JSON.stringify([{ ...r, experiment_key: other }]))).json).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  });
});

describe("refusals", () => {
  it("a batch with one bad record stores nothing and names its index and field", async () => {
    const before = await rowCount();
    const batch = [record(), record({ latency_ms: -5 }), record(), record({ variant_id: "Z" }), record({ experiment_key: "no-such-one" })];
    const res = await post(JSON.stringify(batch));
    expect(res.status).toBe(400);
    expect(res.json.accepted).toBe(0);
    expect(res.json.rejected).toEqual([
      { index: 1, field: "latency_ms", message: "latency_ms must not be negative" },
      { index: 3, field: "variant_id", message: `"Z" is not a variant of ${experiment}; use one of A, B` },
      { index: 4, field: "experiment_key", message: 'no experiment has the key "no-such-one"' },
    ]);
    expect(res.json.error.message).toContain("nothing was stored");
    expect(await rowCount()).toBe(before);
  });

  it("over 10,000 records: 413; over 10 MB: 413; an empty array, an object, text/plain", async () => {
    const many = JSON.stringify(Array.from({ length: 10_001 }, () => ({ request_id: "x" })));
    const tooMany = await post(many);
    expect(tooMany.status).toBe(413);
    expect(tooMany.json.error.message).toContain("at most 10000 records");
    const huge = await post(JSON.stringify([record({ user_input: "x".repeat(10.5 * 1024 * 1024) })]));
    expect(huge.status).toBe(413);
    expect((await post("[]")).status).toBe(400);
    const object = await post(JSON.stringify(record()));
    expect(object.status).toBe(400);
    expect(object.json.error.message).toContain("JSON array");
    expect((await post(JSON.stringify([record()]), "text/plain")).status).toBe(415);
  });

  it("a REVIEWER's key gets 403; no key 401", async () => {
    expect((await post(JSON.stringify([record()]), "application/json", creds.REVIEWER.key)).status).toBe(403);
    const res = await fetch(`${baseUrl()}/api/v1/interactions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "[]",
    });
    expect(res.status).toBe(401);
  });
});

describe("1,000 generated malformed payloads", () => {
  // Each payload: a batch of 1-8 valid records with one broken at a random place, by one of these mutations. The answer
  // must be a 4xx whose rejected list (or error) names that index and field, and nothing may be written.
  type Mutation = { name: string; apply: (r: Record<string, unknown>) => unknown; field: string };
  const mutations: Mutation[] = [
    ...["request_id", "user_id", "experiment_key", "variant_id"].map((f) => ({
      name: `missing ${f}`,
      apply: (r: Record<string, unknown>) => ({ ...r, [f]: undefined }),
      field: f,
    })),
    ...["request_id", "user_id", "model_name", "user_input"].map((f) => ({
      name: `number for ${f}`,
      apply: (r: Record<string, unknown>) => ({ ...r, [f]: 42 }),
      field: f,
    })),
    ...["latency_ms", "prompt_tokens", "completion_tokens", "user_feedback_score", "cost_usd", "ttft_ms"].map((f) => ({
      name: `text for ${f}`,
      apply: (r: Record<string, unknown>) => ({ ...r, [f]: "12" }),
      field: f,
    })),
    { name: "negative latency", apply: (r) => ({ ...r, latency_ms: -1 }), field: "latency_ms" },
    { name: "fractional tokens", apply: (r) => ({ ...r, prompt_tokens: 1.5 }), field: "prompt_tokens" },
    { name: "ttft after latency", apply: (r) => ({ ...r, ttft_ms: 5000, latency_ms: 100 }), field: "ttft_ms" },
    { name: "unknown variant", apply: (r) => ({ ...r, variant_id: "nope" }), field: "variant_id" },
    { name: "unknown experiment", apply: (r) => ({ ...r, experiment_key: "no-such-experiment-x" }), field: "experiment_key" },
    { name: "malformed experiment key", apply: (r) => ({ ...r, experiment_key: "Bad Key!" }), field: "experiment_key" },
    { name: "a 300,000-character input", apply: (r) => ({ ...r, user_input: "y".repeat(300_000) }), field: "user_input" },
    { name: "a NUL in user_id", apply: (r) => ({ ...r, user_id: "a\u0000b" }), field: "user_id" },
    { name: "a lone surrogate in output", apply: (r) => ({ ...r, model_output: "ok \ud800 no" }), field: "model_output" },
    { name: "text for safety_flag", apply: (r) => ({ ...r, safety_flag: "yes" }), field: "safety_flag" },
    { name: "an unknown field", apply: (r) => ({ ...r, latency: 5 }), field: "latency" },
    {
      name: "deeply nested metrics",
      apply: (r) => ({ ...r, metrics: { a: JSON.parse("[".repeat(500) + "]".repeat(500)) } }),
      field: "metrics.a",
    },
    { name: "a text metric", apply: (r) => ({ ...r, metrics: { resolved: "yes" } }), field: "metrics.resolved" },
    { name: "a timestamp in milliseconds", apply: (r) => ({ ...r, timestamp: Date.now() }), field: "timestamp" },
    { name: "a timestamp without zone", apply: (r) => ({ ...r, timestamp: "2026-12-01 10:00" }), field: "timestamp" },
    { name: "a record that is a list", apply: () => [1, 2], field: "(record)" },
    { name: "a record that is null", apply: () => null, field: "(record)" },
  ];
  let rng = 12345;
  const random = (n: number) => {
    rng = (Math.imul(rng, 1103515245) + 12345) >>> 0;
    return rng % n;
  };

  it("each gets a 4xx naming the broken record and field, and nothing is written", async () => {
    const before = await rowCount();
    const outcomes = new Map<string, number>();
    for (let round = 0; round < 1000; round += 10) {
      await Promise.all(
        Array.from({ length: 10 }, async (_, k) => {
          const i = round + k;
          const size = 1 + random(8);
          const at = random(size);
          const batch: unknown[] = Array.from({ length: size }, () => record());
          const kind = i % 20;
          if (kind === 18) {
            // NDJSON with a broken line
            const lines = batch.map((r) => JSON.stringify(r));
            lines[at] = lines[at].slice(0, -3);
            const res = await post(lines.join("\n"), "application/x-ndjson");
            expect(res.status).toBe(400);
            expect(res.json.rejected[0]).toMatchObject({ index: at, field: "(line)" });
            outcomes.set("ndjson", (outcomes.get("ndjson") ?? 0) + 1);
            return;
          }
          if (kind === 19) {
            // invalid UTF-8 inside a text value
            const text = JSON.stringify(batch);
            const cut = text.indexOf("How do I");
            const bytes = Buffer.concat([Buffer.from(text.slice(0, cut)), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(text.slice(cut))]);
            const res = await post(bytes);
            expect(res.status).toBe(400);
            expect(res.json.error.message).toContain("UTF-8");
            outcomes.set("utf8", (outcomes.get("utf8") ?? 0) + 1);
            return;
          }
          const m = mutations[random(mutations.length)];
          batch[at] = m.apply(batch[at] as Record<string, unknown>);
          const res = await post(JSON.stringify(batch));
          expect(res.status, `${m.name}: ${res.text.slice(0, 300)}`).toBe(400);
          expect(res.json.accepted).toBe(0);
          expect(
            res.json.rejected.map((r: { index: number; field: string }) => `${r.index}:${r.field}`),
            m.name,
          ).toContain(`${at}:${m.field}`);
          for (const r of res.json.rejected) expect(r.message.length, m.name).toBeGreaterThan(5);
          expect(res.text, m.name).not.toMatch(/ZodError|at .*\.(js|ts):|Invalid input: expected/);
          outcomes.set(m.name, (outcomes.get(m.name) ?? 0) + 1);
        }),
      );
    }
    expect([...outcomes.values()].reduce((s, n) => s + n, 0)).toBe(1000);
    expect(outcomes.size).toBeGreaterThan(20);
    expect(await rowCount()).toBe(before);
  }, 180_000);

  it("a body nested 100,000 deep is a refused record, not a crash", async () => {
    const res = await post("[".repeat(100_000) + "]".repeat(100_000));
    expect(res.status).toBe(400);
    expect(res.json.rejected).toEqual([{ index: 0, field: "(record)", message: "each record must be a JSON object of logging fields" }]);
    const nested = await post(`[{"request_id": ${"[".repeat(100_000)}${"]".repeat(100_000)}}]`);
    expect(nested.status).toBe(400);
    expect(nested.json.rejected[0]).toMatchObject({ index: 0, field: "request_id" });
  });
});
