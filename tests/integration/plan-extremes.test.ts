// Extreme numbers that pass the field rules (1e-300, 5e-324, 1e308) through every door that takes them: POST and PATCH
// of an experiment, POST /api/v1/plan, and rows written before the planner checked them. Never a 500: a 400 that names
// the field with nothing written, or a 200 whose plan says why it cannot be computed; a state change answers 200.
import fc from "fast-check";
import pg from "pg";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { api } from "../support/http";
import { demoCredentials } from "../support/roles";
import { minimalExperimentBody } from "../support/experiments";

const run = Date.now().toString(36);
let seq = 0;
const newKey = (name: string) => `px-${run}-${name}-${seq++}`;

let creds: Awaited<ReturnType<typeof demoCredentials>>;
const pm = () => ({ key: creds.PM.key });
beforeAll(async () => {
  creds = await demoCredentials();
});

/** The minimal body with a sizeable goal metric (the guide's normalised helpfulness) and a mean guardrail. */
function sizeableBody(key: string) {
  return {
    ...minimalExperimentBody(key),
    hypothesis: {
      change: "the system prompt to a structured persona",
      expectation: "helpfulness to rise by at least 5%",
      reason: "structured steps make answers more actionable",
    },
    metrics: [
      { name: "helpfulness", role: "GOAL", kind: "PROPORTION", direction: "INCREASE", mde: 0.05, baseline: 0.76 },
      {
        name: "cost",
        role: "GUARDRAIL",
        kind: "MEAN",
        field: "cost",
        direction: "DECREASE",
        mde: 0.05,
        baseline: 0.002,
        baselineSd: 0.001,
        nonInferiorityMargin: 0.05,
      },
    ],
    plan: { dailyTraffic: 2000 },
  };
}

type Body = ReturnType<typeof sizeableBody>;
const extremes: [string, (b: Body) => void, string][] = [
  ["mde 1e-300", (b) => void (b.metrics[0].mde = 1e-300), "metrics.0.mde"],
  ["plan.alpha 5e-324", (b) => void Object.assign(b.plan, { alpha: 5e-324 }), "plan.alpha"],
  // The issue's example: the baseline is now out of range itself; with a baseline in range the SD is what cannot be sized.
  [
    "baseline 1e308 with baselineSd 5e-324",
    (b) => void Object.assign(b.metrics[1], { baseline: 1e308, baselineSd: 5e-324 }),
    "metrics.1.baseline",
  ],
  [
    "baseline 1e6 with baselineSd 5e-324",
    (b) => void Object.assign(b.metrics[1], { baseline: 1e6, baselineSd: 5e-324 }),
    "metrics.1.baselineSd",
  ],
  ["plan.dailyTraffic 1e-300", (b) => void (b.plan.dailyTraffic = 1e-300), "plan.dailyTraffic"],
  ["a guardrail margin of 1e-300", (b) => void (b.metrics[1].nonInferiorityMargin = 1e-300), "metrics.1.nonInferiorityMargin"],
  // Fields the planner does not read for this metric still had no upper bound: the database refused the largest double (500).
  [
    "the largest double as a goal's nonInferiorityMargin",
    (b) => void Object.assign(b.metrics[0], { nonInferiorityMargin: Number.MAX_VALUE }),
    "metrics.0.nonInferiorityMargin",
  ],
  [
    "the largest double as a proportion's baselineSd",
    (b) => void Object.assign(b.metrics[0], { baselineSd: Number.MAX_VALUE }),
    "metrics.0.baselineSd",
  ],
  ["plan.dailyTraffic just under 1", (b) => void (b.plan.dailyTraffic = 0.9999999999999999), "plan.dailyTraffic"],
  ["plan.dailyTraffic 1e-9", (b) => void (b.plan.dailyTraffic = 1e-9), "plan.dailyTraffic"],
  ["a negative mde on an INCREASE goal", (b) => void (b.metrics[0].mde = -1), "metrics.0.mde"],
];

describe("POST and PATCH refuse what the planner cannot size", () => {
  it.each(extremes)("POST with %s: 400 naming the field, nothing written", async (_name, spoil, field) => {
    const key = newKey("post");
    const body = sizeableBody(key);
    spoil(body);
    const res = await api("/api/v1/experiments", { ...pm(), body });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.code).toBe("VALIDATION");
    expect(res.json.error.details.issues.map((i: { field: string }) => i.field)).toContain(field);
    expect(res.json.error.message).toContain(field);
    expect((await api(`/api/v1/experiments/${key}`, pm())).status).toBe(404);
  });

  it.each(extremes)("PATCH with %s: 400 naming the field, the design unchanged", async (_name, spoil, field) => {
    const key = newKey("patch");
    const body = sizeableBody(key);
    expect((await api("/api/v1/experiments", { ...pm(), body })).status).toBe(201);
    const before = (await api(`/api/v1/experiments/${key}`, pm())).json.experiment;
    const spoiled = sizeableBody(key);
    spoil(spoiled);
    const res = await api(`/api/v1/experiments/${key}`, {
      method: "PATCH",
      ...pm(),
      body: { metrics: spoiled.metrics, plan: spoiled.plan },
    });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.details.issues.map((i: { field: string }) => i.field)).toContain(field);
    const after = (await api(`/api/v1/experiments/${key}`, pm())).json.experiment;
    expect(after.updatedAt).toBe(before.updatedAt);
    expect(after.plan.perVariant).toBe(1872); // still the guide's plan
    expect(after.audit.map((a: { action: string }) => a.action)).toEqual(["experiment.created"]);
  });
});

describe("a plan that cannot be computed never breaks a read or a state change", () => {
  it("rows written before the planner checked them: every read answers 200 with the reason, start and stop answer 200", async () => {
    const key = newKey("legacy");
    expect((await api("/api/v1/experiments", { ...pm(), body: sizeableBody(key) })).status).toBe(201);
    const client = new pg.Client({ connectionString: inject("databaseUrl") });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT id FROM "Experiment" WHERE key = $1`, [key]);
      await client.query(`UPDATE "Metric" SET mde = 1e-300 WHERE "experimentId" = $1 AND name = 'helpfulness'`, [rows[0].id]);
      await client.query(`UPDATE "Metric" SET baseline = 1e308, "baselineSd" = 5e-324 WHERE "experimentId" = $1 AND name = 'cost'`, [
        rows[0].id,
      ]);
    } finally {
      await client.end();
    }
    const read = await api(`/api/v1/experiments/${key}`, pm());
    expect(read.status, read.text).toBe(200);
    expect(read.json.experiment.plan).toEqual({ error: expect.stringMatching(/^Cannot size helpfulness: mde is too small to detect/) });
    const md = await api(`/api/v1/experiments/${key}/design.md`, pm());
    expect(md.status).toBe(200);
    expect(md.text).toContain("Not computed: Cannot size helpfulness");
    for (const path of [`/experiments/${key}`, `/experiments/${key}/document`]) {
      const page = await api(path, { cookie: creds.PM.cookie });
      expect(page.status, path).toBe(200);
      expect(page.text).toContain("Cannot size helpfulness");
    }
    const started = await api(`/api/v1/experiments/${key}/start`, { method: "POST", ...pm() });
    expect(started.status, started.text).toBe(200);
    expect(started.json.experiment.status).toBe("RUNNING");
    const stopped = await api(`/api/v1/experiments/${key}/stop`, { method: "POST", ...pm() });
    expect(stopped.status, stopped.text).toBe(200);
    expect(stopped.json.experiment.status).toBe("STOPPED");
  });
});

/** Any double JSON can carry, weighted to the extremes: subnormals, ±1e308, 0, −0, and ordinary values. */
const anyDouble = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(5e-324, 1e-300, 1e-17, 1e308, -1e308, 0, -0, 0.5, 1, 2000),
);
/** A field that is mostly its ordinary value, so one extreme at a time reaches the planner past the field rules. */
const around = (typical: number) => fc.oneof({ arbitrary: fc.constant(typical), weight: 4 }, { arbitrary: anyDouble, weight: 2 });

describe("POST /api/v1/plan refuses what it cannot size", () => {
  const guide = { metric: "proportion", baseline: 0.76, mde: 0.05, dailyTraffic: 2000 };
  it.each([
    ["mde 1e-300", { mde: 1e-300 }, "mde"],
    ["alpha 5e-324", { alpha: 5e-324 }, "alpha"],
    ["dailyTraffic 1e-300", { dailyTraffic: 1e-300 }, "dailyTraffic"],
    ["days 1e308", { days: 1e308 }, "days"],
    ["a mean with baseline 1e308 and sd 5e-324", { metric: "mean", baseline: 1e308, sd: 5e-324 }, "sd"],
  ])("%s: 400 naming the field", async (_name, patch, field) => {
    const res = await api("/api/v1/plan", { ...pm(), body: { ...guide, ...patch } });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.details.issues[0].field).toBe(field);
  });
});

describe("property: extreme floats anywhere never make a 500", () => {
  it("POST /api/v1/experiments: 201 with a readable plan, or 400 with nothing written", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          mde: around(0.05),
          baseline: around(0.5),
          baselineSd: around(0.1),
          margin: around(0.05),
          alpha: around(0.05),
          power: around(0.8),
          traffic: around(2000),
          weight: around(50),
        }),
        async (x) => {
          const key = newKey("prop");
          const body: any = sizeableBody(key);
          Object.assign(body.metrics[0], { mde: x.mde, baseline: x.baseline });
          Object.assign(body.metrics[1], { baseline: x.baseline, baselineSd: x.baselineSd, nonInferiorityMargin: x.margin });
          body.plan = { dailyTraffic: x.traffic, alpha: x.alpha, power: x.power };
          body.variants[0].weight = x.weight;
          body.variants[1].weight = 100 - x.weight;
          const res = await api("/api/v1/experiments", { ...pm(), body });
          expect([201, 400], res.text).toContain(res.status);
          const read = await api(`/api/v1/experiments/${key}`, pm());
          expect(read.status, read.text).toBe(res.status === 201 ? 200 : 404);
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });

  it("PATCH /api/v1/experiments/{key}: 200 or 400, and the experiment always reads", async () => {
    const key = newKey("prop-patch");
    expect((await api("/api/v1/experiments", { ...pm(), body: sizeableBody(key) })).status).toBe(201);
    await fc.assert(
      fc.asyncProperty(fc.record({ mde: around(0.05), sd: around(0.001), alpha: around(0.05), traffic: around(2000) }), async (x) => {
        const body: any = sizeableBody(key);
        body.metrics[0].mde = x.mde;
        body.metrics[1].baselineSd = x.sd;
        body.plan = { dailyTraffic: x.traffic, alpha: x.alpha };
        const res = await api(`/api/v1/experiments/${key}`, { method: "PATCH", ...pm(), body: { metrics: body.metrics, plan: body.plan } });
        expect([200, 400], res.text).toContain(res.status);
        expect((await api(`/api/v1/experiments/${key}`, pm())).status).toBe(200);
      }),
      { numRuns: 40, seed: 11 },
    );
  });

  it("POST /api/v1/plan: 200 or 400 naming a field", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          metric: fc.constantFrom("proportion", "mean"),
          baseline: around(0.5),
          sd: around(1),
          mde: around(0.05),
          alpha: around(0.05),
          power: around(0.8),
          dailyTraffic: around(2000),
          coverage: around(1),
          days: around(7),
          weights: fc.option(fc.array(around(50), { minLength: 2, maxLength: 3 }), { nil: undefined }),
        }),
        async (body) => {
          const res = await api("/api/v1/plan", { ...pm(), body });
          expect([200, 400], res.text).toContain(res.status);
          if (res.status === 400) expect(res.json.error.details.issues[0].field).toMatch(/^[a-zA-Z]+/);
        },
      ),
      { numRuns: 150, seed: 3 },
    );
  });
});
