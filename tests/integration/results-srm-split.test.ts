// The sample-ratio check when the split changes while the test runs (a ramp's step, the adaptive allocation, a person):
// each user is expected at the split in force at their first interaction. 200/200 users at 50/50, then 905/95 at
// 90/10, is what a healthy split gives: observed 1,105 / 295 against expected 1,100 / 300. Reference values (scipy):
//   scipy.stats.chisquare([1105, 295], [1100, 300])          -> statistic 0.106061, p 0.744674 (passes)
//   scipy.stats.chisquare([1105, 295], [1260, 140]) (90/10)  -> statistic 190.67, p 2.27e-43 (what the check said before)
import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../support/http";
import { demoCredentials } from "../support/roles";
import { minimalExperimentBody } from "../support/experiments";

let creds: Awaited<ReturnType<typeof demoCredentials>>;
const key = `srm-split-${Date.now().toString(36)}`;
let sent = 0;

async function users(counts: { A: number; B: number }) {
  const records = (["A", "B"] as const).flatMap((variant) =>
    Array.from({ length: counts[variant] }, () => {
      const id = sent++;
      return {
        request_id: `${key}-${id}`,
        user_id: `${key}-u${id}`,
        experiment_key: key,
        variant_id: variant,
        latency_ms: 900,
        metrics: { helpfulness: 4 },
      };
    }),
  );
  const res = await api("/api/v1/interactions", { key: creds.ENGINEER.key, body: records });
  expect(res.status, res.text).toBe(200);
}

beforeAll(async () => {
  creds = await demoCredentials();
  expect((await api("/api/v1/experiments", { key: creds.PM.key, body: minimalExperimentBody(key) })).status).toBe(201);
  expect((await api(`/api/v1/experiments/${key}/start`, { key: creds.PM.key, body: {} })).status).toBe(200);
});

describe("the sample-ratio check across split changes", () => {
  it("expects each user at the split of their first interaction", async () => {
    await users({ A: 200, B: 200 });
    await new Promise((r) => setTimeout(r, 50));
    const change = await api(`/api/v1/experiments/${key}/traffic`, {
      key: creds.PM.key,
      method: "PATCH",
      body: { weights: { A: 90, B: 10 } },
    });
    expect(change.status, change.text).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    await users({ A: 905, B: 95 });
    const results = (await api(`/api/v1/experiments/${key}/results`, { key: creds.PM.key })).json;
    expect(results.variants.map((v: { users: number }) => v.users)).toEqual([1105, 295]);
    expect(results.srm.chi2).toBeCloseTo(0.106061, 5);
    expect(results.srm.pValue).toBeCloseTo(0.744674, 5);
    expect(results.srm.flag).toBe(false);
  });
});
