// CUPED in the results engine: a pre-exposure covariate per user, logged as the reserved metrics key pre_<metric>
// (tests/fixtures/cuped/cuped.py: 400 users per variant, 50 of them with two interactions and the covariate on the
// first only, every tenth user without one), sent through the ingestion API. GET /api/v1/experiments/{key}/results
// equals numpy / statsmodels / scipy on the same numbers (cuped-reference.json) to 1e-6 relative: theta, the adjusted
// means, the variance removed and Welch's test on the adjusted values; the page says what the adjustment did.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { api } from "../support/http";
import { demoCredentials } from "../support/roles";
import { minimalExperimentBody } from "../support/experiments";

const dir = path.resolve("tests/fixtures/cuped");
const ref = JSON.parse(fs.readFileSync(path.join(dir, "cuped-reference.json"), "utf8"));
const lines = fs
  .readFileSync(path.join(dir, "cuped.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l));
const stamp = Date.now().toString(36);
const key = `cuped-${stamp}`;
const plain = `cuped-none-${stamp}`;
let creds: Awaited<ReturnType<typeof demoCredentials>>;

const expectRelative = (actual: number, expected: number, what: string) =>
  expect(Math.abs(actual - expected) / Math.abs(expected), `${what}: ${actual} against ${expected}`).toBeLessThan(1e-6);

/** Sends the fixture's interactions to an experiment, with or without their covariates. */
async function send(experiment: string, withCovariate: boolean) {
  expect((await api("/api/v1/experiments", { key: inject("apiKey"), body: minimalExperimentBody(experiment) })).status).toBe(201);
  const records = lines.map((r) => ({
    ...r,
    request_id: `${experiment}-${r.request_id}`,
    experiment_key: experiment,
    metrics: withCovariate ? r.metrics : { helpfulness: r.metrics.helpfulness },
  }));
  const sent = await api("/api/v1/interactions", { key: creds.ENGINEER.key, body: records });
  expect(sent.status, sent.text).toBe(200);
  expect(sent.json.accepted).toBe(records.length);
}

beforeAll(async () => {
  creds = await demoCredentials();
  await Promise.all([send(key, true), send(plain, false)]);
});

describe("CUPED through ingestion and the results API", () => {
  it("theta, adjusted means, variance removed and the adjusted Welch test equal numpy / statsmodels / scipy", async () => {
    const res = await api(`/api/v1/experiments/${key}/results`, { key: creds.REVIEWER.key });
    expect(res.status, res.text).toBe(200);
    const [m] = res.json.metrics;
    // The variants' own means stay unadjusted.
    expect(m.variants.map((v: { n: number }) => v.n)).toEqual([ref.n.A, ref.n.B]);
    expectRelative(m.variants[0].mean, ref.mean.A, "mean of A");
    expectRelative(m.variants[1].mean, ref.mean.B, "mean of B");
    expect(m.cuped).toMatchObject({ covariate: "pre_helpfulness" });
    expectRelative(m.cuped.covered, ref.covered, "share with a covariate");
    const [cuped] = m.cuped.comparisons;
    expect(cuped.variant).toBe("B");
    expectRelative(cuped.theta, ref.theta, "theta");
    expectRelative(cuped.adjustedMean, ref.adjustedMean.B, "adjusted mean of B");
    expectRelative(cuped.controlAdjustedMean, ref.adjustedMean.A, "adjusted mean of A");
    expectRelative(cuped.varianceReduction, ref.varianceReduction, "variance removed");
    const [c] = m.comparisons;
    expectRelative(c.varianceReduction, ref.varianceReduction, "the comparison's variance removed");
    expectRelative(c.diff, ref.adjustedWelch.diff, "adjusted diff");
    expectRelative(c.statistic, ref.adjustedWelch.statistic, "Welch t on the adjusted values");
    expectRelative(c.df, ref.adjustedWelch.df, "df");
    expectRelative(c.pValue, ref.adjustedWelch.pValue, "p");
  });

  it("without covariates: no adjustment, the plain Welch test", async () => {
    const res = await api(`/api/v1/experiments/${plain}/results`, { key: creds.REVIEWER.key });
    const [m] = res.json.metrics;
    expect(m.cuped).toBeNull();
    expect(m.comparisons[0].varianceReduction).toBeNull();
    expectRelative(m.comparisons[0].statistic, ref.unadjustedWelch.statistic, "unadjusted Welch t");
    expectRelative(m.comparisons[0].pValue, ref.unadjustedWelch.pValue, "unadjusted p");
  });

  it("the results page says what the adjustment did", async () => {
    const page = await api(`/experiments/${key}/results`, { cookie: creds.REVIEWER.cookie });
    expect(page.status).toBe(200);
    const text = page.text.replace(/<!-- -->/g, "");
    expect(text).toContain("value before the experiment (logged for 90% of the values)");
    expect(text).toMatch(/B 3\.87 against A 3\.8 after adjustment, 50% of the noise removed/);
  });
});
