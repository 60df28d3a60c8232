// POST /api/v1/experiments/{key}/aa: A/A tests of a design's own plan through the code behind `assay aa`. At alpha 0.05
// the false positive rate is 5% +/- 1% with one look, well above 5% with 10 looks at a fixed-horizon test, and at most
// 5% with the peeking-safe test; a planted MDE is found about as often as the plan's power says; the same seed answers
// the same; a bad body is refused naming the field.
import { beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { api } from "../support/http";
import { demoCredentials } from "../support/roles";
import { minimalExperimentBody } from "../support/experiments";

const key = `aa-${Date.now().toString(36)}`;
const unplanned = `aa-none-${Date.now().toString(36)}`;
let creds: Awaited<ReturnType<typeof demoCredentials>>;

beforeAll(async () => {
  creds = await demoCredentials();
  const body = minimalExperimentBody(key);
  // The planned metric: a mean of 4.0 with sd 0.8, to detect +2% (0.08, d = 0.1) at alpha 0.05 and power 0.8.
  (body as { metrics: unknown[] }).metrics = [
    { name: "helpfulness", role: "GOAL", kind: "MEAN", direction: "INCREASE", mde: 0.02, baseline: 4, baselineSd: 0.8 },
  ];
  expect((await api("/api/v1/experiments", { key: inject("apiKey"), body })).status).toBe(201);
  expect((await api("/api/v1/experiments", { key: inject("apiKey"), body: minimalExperimentBody(unplanned) })).status).toBe(201);
});

const simulate = (body: unknown, experiment = key) =>
  api(`/api/v1/experiments/${experiment}/aa`, { method: "POST", key: creds.REVIEWER.key, body });

describe("POST /api/v1/experiments/{key}/aa", () => {
  it("one look: 5% +/- 1% of 2000 A/A tests falsely significant; the planted MDE found about as often as the planned power", async () => {
    const res = await simulate({ tests: 2000, peeks: 1, seed: 7 });
    expect(res.status, res.text).toBe(200);
    // statsmodels 0.13.5 zt_ind_solve_power(effect_size=0.1, alpha=0.05, power=0.8) = 1569.77 -> 1570 per variant.
    expect(res.json.design).toMatchObject({ metric: "helpfulness", kind: "mean", perVariant: 1570, baseline: 4, sd: 0.8, alpha: 0.05 });
    expect(res.json.design.mde).toBeCloseTo(0.08, 12);
    expect(res.json).toMatchObject({ tests: 2000, alpha: 0.05, peeks: 1, sequential: false, seed: 7 });
    expect(res.json.effect).toBeCloseTo(0.08, 12);
    expect(res.json.falsePositiveRate).toBeGreaterThanOrEqual(0.04);
    expect(res.json.falsePositiveRate).toBeLessThanOrEqual(0.06);
    expect(res.json.ci95[0]).toBeLessThan(0.05);
    expect(res.json.ci95[1]).toBeGreaterThan(0.05);
    expect(res.json.power).toBeGreaterThan(0.77);
    expect(res.json.power).toBeLessThan(0.83);
  });

  it("10 looks: a fixed-horizon test is falsely significant well above 5%; the peeking-safe test at most 5%", async () => {
    const fixed = await simulate({ tests: 2000, peeks: 10, seed: 7, effect: null });
    expect(fixed.status, fixed.text).toBe(200);
    expect(fixed.json.power).toBeUndefined();
    expect(fixed.json.falsePositiveRate).toBeGreaterThan(0.12);
    expect(fixed.json.ci95[0]).toBeGreaterThan(0.1);
    const safe = await simulate({ tests: 2000, peeks: 10, sequential: true, seed: 7, effect: null });
    expect(safe.status, safe.text).toBe(200);
    expect(safe.json.sequential).toBe(true);
    expect(safe.json.falsePositiveRate).toBeLessThanOrEqual(0.05);
  });

  it("the same seed gives identical output; another seed another", async () => {
    const body = { tests: 500, peeks: 5, sequential: true, seed: 42, effect: 0.1 };
    const [a, b, c] = await Promise.all([simulate(body), simulate(body), simulate({ ...body, seed: 43 })]);
    expect(a.status, a.text).toBe(200);
    expect(b.json).toEqual(a.json);
    expect([c.json.falsePositiveRate, c.json.power]).not.toEqual([a.json.falsePositiveRate, a.json.power]);
  });

  it.each([
    [{ tests: 50 }, "tests", "tests must be at least 100"],
    [{ tests: 2001 }, "tests", "tests must be at most 2,000"],
    [{ tests: "many" }, "tests", "tests must be a number"],
    [{ peeks: 0 }, "peeks", "peeks must be at least 1"],
    [{ peeks: 21 }, "peeks", "peeks must be at most 20"],
    [{ peeks: 2.5 }, "peeks", "peeks must be a whole number"],
    [{ sequential: "yes" }, "sequential", "sequential must be true or false"],
    [{ seed: -1 }, "seed", "seed must be at least 0"],
    [{ effect: "big" }, "effect", "effect must be a number or null"],
    [{ perVariant: 10 }, "perVariant", 'unknown field "perVariant"'],
  ])("refuses %j with 400 naming %s", async (body, field, message) => {
    const res = await simulate(body);
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.code).toBe("VALIDATION");
    expect(res.json.error.message).toContain(field);
    expect(res.json.error.details.issues[0]).toMatchObject({ field });
    expect(res.json.error.details.issues[0].message).toContain(message);
  });

  it("a body that is not an object, or not JSON, is refused", async () => {
    expect((await simulate([1, 2])).status).toBe(400);
    const raw = await api(`/api/v1/experiments/${key}/aa`, {
      method: "POST",
      key: creds.REVIEWER.key,
      rawBody: "{tests:",
      headers: { "content-type": "application/json" },
    });
    expect(raw.status).toBe(400);
    expect(raw.json.error.code).toBe("BAD_JSON");
  });

  it("a design without a plan answers 409 saying what is missing; an unknown experiment 404", async () => {
    const none = await simulate({ tests: 100, peeks: 1 }, unplanned);
    expect(none.status, none.text).toBe(409);
    expect(none.json.error.message).toMatch(/plan/);
    expect((await simulate({}, "no-such-experiment")).status).toBe(404);
  });

  it("answers within a few seconds at the largest request", async () => {
    const started = Date.now();
    const res = await simulate({ tests: 2000, peeks: 20, sequential: true, seed: 3 });
    expect(res.status, res.text).toBe(200);
    expect(Date.now() - started).toBeLessThan(8000);
  });
});
