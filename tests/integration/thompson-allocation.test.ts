// Thompson sampling as an experiment's allocation mode, through the running stack: the worker (job allocationUpdate,
// every 2 s in the test stack) keeps an equal split until each variant has its minimum, then sets the weights to the
// floor plus P(best) from the results; assigned users keep their variant, new users follow the new split; the results
// switch to peeking-safe intervals and say they are adaptive; a ramp cannot run meanwhile; bad requests are refused.
//
// Reference value (scipy 1.x, outside Assay): with A 40/400 and B 48/400 successes and Beta(1, 1) priors,
//   scipy.integrate.quad(lambda x: beta(49, 353).pdf(x) * beta(41, 361).cdf(x), 0, 1) = 0.815734  (P(B is best)).
import { beforeAll, describe, expect, it } from "vitest";
import { chiSquareGoodnessOfFit } from "@/lib/stats/chiSquare";
import { api } from "../support/http";
import { sql } from "../support/interactionRows";
import { demoCredentials } from "../support/roles";
import { minimalExperimentBody, resolvedExperimentBody } from "../support/experiments";
import { resolvedStream } from "../support/interactionStream";

const P_B_BEST = 0.815734;
let creds: Awaited<ReturnType<typeof demoCredentials>>;
const key = `thompson-${Date.now().toString(36)}`;

const allocation = async () => (await api(`/api/v1/experiments/${key}/allocation`, { key: creds.PM.key })).json.allocation;
const put = (body: unknown, k = key) => api(`/api/v1/experiments/${k}/allocation`, { key: creds.PM.key, method: "PUT", body });
const weights = async () => (await api(`/api/v1/experiments/${key}/traffic`, { key: creds.PM.key })).json.traffic.weights;
const assignAll = async (users: string[]) => {
  const out: { userId: string; variant: string; reason: string }[] = [];
  for (let i = 0; i < users.length; i += 1000) {
    const batch = users.slice(i, i + 1000).map((userId) => ({ userId }));
    const res = await api("/api/v1/assign/batch", { key: creds.ENGINEER.key, body: { experiment: key, users: batch } });
    expect(res.status, res.text).toBe(200);
    out.push(...res.json.assignments);
  }
  return out;
};

const ingest = resolvedStream(key, () => creds.ENGINEER.key);

beforeAll(async () => {
  creds = await demoCredentials();
  const body = resolvedExperimentBody(key);
  const made = await api("/api/v1/experiments", { key: creds.PM.key, body });
  expect(made.status, made.text).toBe(201);
  expect((await api(`/api/v1/experiments/${key}/start`, { key: creds.PM.key, body: {} })).status).toBe(200);
});

describe("Thompson-sampling allocation", () => {
  it("refuses bad settings, naming the field, and writes nothing", async () => {
    const cases: [unknown, RegExp][] = [
      [{ mode: "greedy" }, /mode must be "fixed" or "thompson"/],
      [{}, /mode/],
      [{ mode: "thompson", floor: 0.6 }, /floor must be at most 0.5/],
      [{ mode: "thompson", floor: -0.1 }, /floor must be at least 0/],
      [{ mode: "thompson", floor: 0.00005 }, /floor must be a whole number of hundredths of a percent/],
      [{ mode: "thompson", floor: "1%" }, /floor must be a number/],
      [{ mode: "thompson", minPerArm: 0 }, /minPerArm must be at least 1/],
      [{ mode: "thompson", minPerArm: 1.5 }, /minPerArm must be a whole number/],
      [{ mode: "thompson", minPerArm: 1e9 }, /minPerArm must be at most 1,000,000/],
      [{ mode: "thompson", seed: 4 }, /seed/],
    ];
    for (const [body, message] of cases) {
      const res = await put(body);
      expect(res.status, res.text).toBe(400);
      expect(res.json.error.message + JSON.stringify(res.json.error.details ?? {})).toMatch(message);
    }
    expect(await allocation()).toMatchObject({ mode: "FIXED", floor: 0.01, minPerArm: 100, history: [] });
    expect((await put({ mode: "thompson" }, `no-such-${key}`)).status).toBe(404);
    expect(
      (await api(`/api/v1/experiments/${key}/allocation`, { key: creds.ENGINEER.key, method: "PUT", body: { mode: "thompson" } })).status,
    ).toBe(403);
    // A quantile goal has no posterior here.
    const q = `${key}-q`;
    const qBody = {
      ...minimalExperimentBody(q),
      metrics: [{ name: "latency_ms", role: "GOAL", kind: "QUANTILE", quantile: 0.95, direction: "DECREASE", mde: 0.1 }],
    };
    expect((await api("/api/v1/experiments", { key: creds.PM.key, body: qBody })).status).toBe(201);
    const refused = await put({ mode: "thompson" }, q);
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toBe(
      "The goal latency_ms is a quantile; adaptive allocation needs a mean or a proportion as its goal.",
    );
  });

  it("keeps an equal split until each variant has its minimum, then follows P(best) with the floor; assigned users stay", async () => {
    expect((await put({ mode: "thompson", floor: 0.01, minPerArm: 100 })).json.allocation.mode).toBe("THOMPSON");
    await ingest(50, { A: 5, B: 6 });
    await expect.poll(async () => (await allocation()).history.length, { timeout: 60_000, interval: 500 }).toBeGreaterThan(0);
    const first = (await allocation()).history.at(-1);
    expect(first.pBest).toBeNull();
    expect(first.weights).toEqual({ A: 50, B: 50 });
    expect(first.units).toEqual({ A: 50, B: 50 });
    expect(first.reason).toMatch(/^an equal split until every variant has 100 units \(A, B have fewer\)/);
    const early = await assignAll(Array.from({ length: 300 }, (_, i) => `early-${i}`));

    // 400 each: A 40 resolved, B 48 (the reference's counts).
    await ingest(350, { A: 35, B: 42 });
    await expect.poll(async () => (await allocation()).history.at(-1).pBest, { timeout: 60_000, interval: 500 }).not.toBeNull();
    const adapted = (await allocation()).history.at(-1);
    expect(adapted.units).toEqual({ A: 400, B: 400 });
    // 10,000 posterior draws: the Monte Carlo error's sd is 0.004.
    expect(adapted.pBest.B).toBeGreaterThan(P_B_BEST - 0.02);
    expect(adapted.pBest.B).toBeLessThan(P_B_BEST + 0.02);
    expect(adapted.pBest.A + adapted.pBest.B).toBeCloseTo(1, 9);
    // The floor: w = 1% + 98% x P(best), in hundredths of a percent summing to 100.
    expect(adapted.weights.B).toBeCloseTo(1 + 98 * adapted.pBest.B, 1);
    expect(adapted.weights.A + adapted.weights.B).toBeCloseTo(100, 9);
    expect(adapted.weights.A).toBeGreaterThanOrEqual(1);
    expect(await weights()).toEqual(adapted.weights);

    // Users assigned at the equal split keep their variant; new users follow the new split.
    const again = await assignAll(early.map((a) => a.userId));
    expect(again.map((a) => a.variant)).toEqual(early.map((a) => a.variant));
    const fresh = await assignAll(Array.from({ length: 4000 }, (_, i) => `late-${i}`));
    const bShare = adapted.weights.B / 100;
    const nB = fresh.filter((a) => a.variant === "B").length;
    expect(chiSquareGoodnessOfFit([fresh.length - nB, nB], [1 - bShare, bShare]).pValue).toBeGreaterThan(0.001);

    // The results read it as adaptive, with peeking-safe intervals.
    const results = (await api(`/api/v1/experiments/${key}/results`, { key: creds.PM.key })).json;
    expect(results.adaptive).toBe(true);
    expect(results.sequential).toBe(true);
    // The split moved by the worker, on the record.
    const moves = await sql<{ actorLabel: string; action: string }>(
      `SELECT a."actorLabel", a.action FROM "AuditEvent" a JOIN "Experiment" e ON e.id = a."experimentId" WHERE e.key = $1 AND a.action IN ('traffic.weights', 'allocation.mode') ORDER BY a."createdAt"`,
      [key],
    );
    expect(moves[0].action).toBe("allocation.mode");
    expect(moves[0].actorLabel).toMatch(/^pm@assay.local \(API key/);
    expect(moves.slice(1).every((m) => m.actorLabel === "Adaptive allocation" && m.action === "traffic.weights")).toBe(true);
    expect(moves.length).toBeGreaterThan(1);
  }, 180_000);

  it("leaves no room for a ramp meanwhile, and a fixed split keeps the weights where they are", async () => {
    expect((await api(`/api/v1/experiments/${key}/ramp`, { key: creds.PM.key, method: "PUT", body: { preset: "canary" } })).status).toBe(
      200,
    );
    const advance = await api(`/api/v1/experiments/${key}/ramp/advance`, { key: creds.PM.key, body: {} });
    expect(advance.status).toBe(409);
    expect(advance.json.error.message).toMatch(/switch the allocation back to a fixed split/);
    const before = await weights();
    expect((await put({ mode: "fixed" })).json.allocation.mode).toBe("FIXED");
    const n = (await allocation()).history.length;
    await ingest(200, { A: 0, B: 200 });
    await new Promise((r) => setTimeout(r, 5000));
    expect((await allocation()).history.length).toBe(n);
    expect(await weights()).toEqual(before);
    const results = (await api(`/api/v1/experiments/${key}/results`, { key: creds.PM.key })).json;
    expect(results.adaptive).toBe(false);
  });
});
