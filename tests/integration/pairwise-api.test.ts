// POST /api/v1/experiments/{key}/pairwise against the built-in simulator's judge (it prefers the better answer, and
// between two equal ones picks the first position 30% of the time): 8 inputs where A answers well and B harmfully
// (A must win them in both orders), 4 where both give the same answer (ties), 3 inputs only one side answered (not
// paired). Reference values from statsmodels and scipy, as named beside each.
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_ENDPOINT_NAME } from "@/lib/demo/traffic";
import { api } from "../support/http";
import { sql } from "../support/interactionRows";
import { demoCredentials } from "../support/roles";
import { minimalExperimentBody } from "../support/experiments";

let creds: Awaited<ReturnType<typeof demoCredentials>>;
const stamp = Date.now().toString(36);
const key = `pairwise-${stamp}`;
const GOOD = "Thanks for asking! Here is how:\n1. Open Settings.\n2. Choose Security.\n3. Click Reset password.\nAnything else?";
const HARMFUL = "Build a bomb and poison the weapon, then kill the process.";

beforeAll(async () => {
  creds = await demoCredentials();
  expect((await api("/api/v1/experiments", { key: creds.PM.key, body: minimalExperimentBody(key) })).status).toBe(201);
  await api(`/api/v1/experiments/${key}/start`, { key: creds.PM.key, body: {} });
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < 12; i++) {
    const base = { experiment_key: key, user_input: `Question ${i}: how do I reset my password?` };
    rows.push({ ...base, request_id: `${key}-a${i}`, user_id: `ua${i}`, variant_id: "A", model_output: GOOD });
    rows.push({ ...base, request_id: `${key}-b${i}`, user_id: `ub${i}`, variant_id: "B", model_output: i < 8 ? HARMFUL : GOOD });
  }
  for (let i = 0; i < 3; i++)
    rows.push({
      experiment_key: key,
      request_id: `${key}-x${i}`,
      user_id: `ux${i}`,
      variant_id: "A",
      user_input: `Lonely ${i}`,
      model_output: GOOD,
    });
  const sent = await api("/api/v1/interactions", { key: creds.ENGINEER.key, body: rows });
  expect(sent.json.accepted, sent.text).toBe(27);
});

const compare = (body: unknown, as = creds.PM.key) => api(`/api/v1/experiments/${key}/pairwise`, { key: as, body });

describe("head to head", () => {
  it("A against B: 8 wins in both orders, 4 ties, Wilson's interval and the sign test", async () => {
    const res = await compare({ endpoint: DEMO_ENDPOINT_NAME, variant: "A", against: "B" });
    expect(res.status, res.text).toBe(200);
    const c = res.json.comparison;
    expect(c).toMatchObject({ variant: "A", against: "B", pairs: 12, wins: 8, losses: 0, ties: 4, winRate: 1, failed: 0 });
    // statsmodels.stats.proportion.proportion_confint(8, 8, alpha=0.05, method="wilson") -> (0.6755924351161198, 1.0)
    expect(c.winRateCi95[0]).toBeCloseTo(0.6755924351161198, 10);
    // scipy.stats.binomtest(8, 8, 0.5).pvalue -> 0.0078125
    expect(c.signTestP).toBeCloseTo(0.0078125, 12);
    expect(c.positionBiasRate).toBeLessThanOrEqual(4 / 12);
    expect(c.sentence).toMatch(/^A wins 8 of 8 decisive pairs against B \(100%, 95% CI 68% to 100%; sign test p = 0\.008\); 4 ties; /);
    expect(c.examples).toHaveLength(5);
    const audit = await sql<{ action: string }>(
      `SELECT a.action FROM "AuditEvent" a JOIN "Experiment" e ON e.id = a."experimentId" WHERE e.key = $1 AND a.action = 'judge.pairwise'`,
      [key],
    );
    expect(audit).toHaveLength(1);
  });

  it("against defaults to the control; maxPairs takes a fixed sample", async () => {
    const res = await compare({ endpoint: DEMO_ENDPOINT_NAME, variant: "B", maxPairs: 5 });
    expect(res.status, res.text).toBe(200);
    expect(res.json.comparison).toMatchObject({ variant: "B", against: "A", pairs: 5, wins: 0 });
    const again = await compare({ endpoint: DEMO_ENDPOINT_NAME, variant: "B", maxPairs: 5 });
    expect(again.json.comparison.examples.map((e: { input: string }) => e.input)).toEqual(
      res.json.comparison.examples.map((e: { input: string }) => e.input),
    );
  });

  it.each([
    [{ endpoint: DEMO_ENDPOINT_NAME }, "variant", "variant must be a variant's key"],
    [{ endpoint: DEMO_ENDPOINT_NAME, variant: "Z" }, "variant", 'the experiment has no variant "Z" (it has A, B)'],
    [{ endpoint: DEMO_ENDPOINT_NAME, variant: "A" }, "variant", "compare A with another variant, not itself"],
    [{ endpoint: DEMO_ENDPOINT_NAME, variant: "B", against: "Q" }, "against", 'the experiment has no variant "Q"'],
    [{ endpoint: DEMO_ENDPOINT_NAME, variant: "B", maxPairs: 500 }, "maxPairs", "maxPairs is at most 200 per request"],
    [{ endpoint: DEMO_ENDPOINT_NAME, variant: "B", maxPairs: 1.5 }, "maxPairs", "whole number"],
    [{ endpoint: "nowhere", variant: "B" }, "endpoint", 'no model endpoint is called "nowhere"'],
    [{ endpoint: DEMO_ENDPOINT_NAME, variant: "B", extra: 1 }, "extra", ""],
  ])("refusal %#: 400 naming the field", async (body, field, message) => {
    const res = await compare(body);
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.details.issues[0]).toMatchObject({ field });
    expect(res.json.error.message).toContain(message);
  });

  it("a reviewer may not compare; an unknown experiment is 404; no common input is a 400 saying so", async () => {
    expect((await compare({ endpoint: DEMO_ENDPOINT_NAME, variant: "B" }, creds.REVIEWER.key)).status).toBe(403);
    const none = await api(`/api/v1/experiments/none-${stamp}/pairwise`, {
      key: creds.PM.key,
      body: { endpoint: DEMO_ENDPOINT_NAME, variant: "B" },
    });
    expect(none.status).toBe(404);
    const other = `pairwise-empty-${stamp}`;
    expect((await api("/api/v1/experiments", { key: creds.PM.key, body: minimalExperimentBody(other) })).status).toBe(201);
    const empty = await api(`/api/v1/experiments/${other}/pairwise`, {
      key: creds.PM.key,
      body: { endpoint: DEMO_ENDPOINT_NAME, variant: "B" },
    });
    expect(empty.status).toBe(400);
    expect(empty.json.error.message).toContain("no user input was answered by both B and A");
  });
});
