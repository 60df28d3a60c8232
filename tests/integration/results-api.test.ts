// GET /api/v1/experiments/{key}/results from interactions sent through the ingestion API: each variant's n, mean and sd
// come from SQL aggregates, and Welch's test (treatment minus control) equals scipy's on the same values.
import { beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { api } from "../support/http";
import { demoCredentials } from "../support/roles";
import { minimalExperimentBody } from "../support/experiments";

const key = `results-${Date.now().toString(36)}`;
let creds: Awaited<ReturnType<typeof demoCredentials>>;
const A = { helpfulness: [3, 4, 4, 5, 3, 4, 2, 5, 4, 4], latency: [1100, 950, 1200, 1010, 980, 1300, 1150, 1090, 1005, 1120] };
const B = { helpfulness: [4, 5, 5, 4, 5, 3, 5, 4, 5, 5], latency: [900, 870, 1010, 950, 880, 990, 920, 940, 1000, 905] };

beforeAll(async () => {
  creds = await demoCredentials();
  const body = minimalExperimentBody(key);
  (body.metrics as unknown[]).push({
    name: "Latency",
    role: "GUARDRAIL",
    kind: "MEAN",
    direction: "DECREASE",
    mde: 0.1,
    field: "latency_ms",
  });
  expect((await api("/api/v1/experiments", { key: inject("apiKey"), body })).status).toBe(201);
  const records = (["A", "B"] as const).flatMap((variant) =>
    (variant === "A" ? A : B).helpfulness.map((h, i) => ({
      request_id: `${variant}-${i}`,
      user_id: `u-${variant}-${i}`,
      experiment_key: key,
      variant_id: variant,
      latency_ms: (variant === "A" ? A : B).latency[i],
      metrics: { helpfulness: h },
    })),
  );
  const sent = await api("/api/v1/interactions", { key: creds.ENGINEER.key, body: records });
  expect(sent.status, sent.text).toBe(200);
  expect(sent.json.accepted).toBe(20);
});

describe("GET /api/v1/experiments/{key}/results", () => {
  it("per metric: n, mean, sd per variant, and Welch's test of B against A as scipy computes it", async () => {
    const res = await api(`/api/v1/experiments/${key}/results`, { key: creds.REVIEWER.key });
    expect(res.status, res.text).toBe(200);
    expect(res.json.control).toBe("A");
    const [helpfulness, latency] = res.json.metrics;
    expect(helpfulness.metric).toBe("helpfulness");
    // numpy: mean(A) 3.8, std(A, ddof=1) 0.9189365834726815; mean(B) 4.5, std(B, ddof=1) 0.7071067811865476
    expect(helpfulness.variants[0]).toMatchObject({ variant: "A", n: 10 });
    expect(helpfulness.variants[0].mean).toBeCloseTo(3.8, 10);
    expect(helpfulness.variants[0].sd).toBeCloseTo(0.9189365834726815, 10);
    expect(helpfulness.variants[1].mean).toBeCloseTo(4.5, 10);
    expect(helpfulness.variants[1].sd).toBeCloseTo(0.7071067811865476, 10);
    // scipy 1.17.1 ttest_ind(B, A, equal_var=False): statistic 1.9090909090909094, pvalue 0.07338837420431324,
    //   df 16.891295987693884, confidence_interval(0.95) [-0.07397846237630312, 1.4739784623763035]
    const [h] = helpfulness.comparisons;
    expect(h.variant).toBe("B");
    expect(h.diff).toBeCloseTo(0.7, 10);
    expect(h.statistic).toBeCloseTo(1.9090909090909094, 8);
    expect(h.pValue).toBeCloseTo(0.07338837420431324, 8);
    expect(h.df).toBeCloseTo(16.891295987693884, 6);
    expect(h.ci95[0]).toBeCloseTo(-0.07397846237630312, 6);
    expect(h.ci95[1]).toBeCloseTo(1.4739784623763035, 6);
    // scipy 1.17.1 ttest_ind(LB, LA, equal_var=False): statistic -4.070445085045926, pvalue 0.0013907670634322165,
    //   df 12.682176992503285, CI [-235.94344777050088, -72.05655222949913]
    expect(latency.field).toBe("latency_ms");
    const [l] = latency.comparisons;
    expect(l.statistic).toBeCloseTo(-4.070445085045926, 8);
    expect(l.pValue).toBeCloseTo(0.0013907670634322165, 8);
    expect(l.df).toBeCloseTo(12.682176992503285, 6);
    expect(l.ci95[0]).toBeCloseTo(-235.94344777050088, 5);
    expect(l.ci95[1]).toBeCloseTo(-72.05655222949913, 5);
  });

  it("an experiment without data has n 0 and no comparison; an unknown key is 404; no key is 401", async () => {
    const empty = `results-empty-${Date.now().toString(36)}`;
    expect((await api("/api/v1/experiments", { key: inject("apiKey"), body: minimalExperimentBody(empty) })).status).toBe(201);
    const res = await api(`/api/v1/experiments/${empty}/results`, { key: creds.PM.key });
    expect(res.json.metrics[0].variants).toEqual([
      { variant: "A", n: 0, mean: null, sd: null, p50: null, p95: null, p99: null },
      { variant: "B", n: 0, mean: null, sd: null, p50: null, p95: null, p99: null },
    ]);
    // No values in an arm: the comparison says why instead of a number.
    expect(res.json.metrics[0].comparisons).toMatchObject([{ variant: "B", significant: false, note: expect.any(String) }]);
    expect(res.json.srm).toBeNull();
    expect((await api(`/api/v1/experiments/nope-nope/results`, { key: creds.PM.key })).status).toBe(404);
    expect((await api(`/api/v1/experiments/${empty}/results`)).status).toBe(401);
  });
});
