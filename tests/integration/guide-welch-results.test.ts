// The guide's Welch example end to end: 2,500 helpfulness scores per variant drawn with numpy (tests/fixtures/analyze/
// guide-welch.py), sent through the ingestion API as interactions with the score in `metrics`, aggregated in SQL and
// tested by the results engine: GET /api/v1/experiments/{key}/results equals scipy's ttest_ind(B, A, equal_var=False)
// on the same values (tests/fixtures/analyze/guide-welch-reference.json, made by guide-welch-reference.py) to 1e-6
// relative. np.random.seed(43) gives the guide's printed output (means 4.017 and 4.084, p 0.0033); the guide's code as
// printed, np.random.seed(42), gives means 4.027 and 4.062, p 0.1212, checked the same way.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { api } from "../support/http";
import { demoCredentials } from "../support/roles";
import { minimalExperimentBody } from "../support/experiments";

const dir = path.resolve("tests/fixtures/analyze");
const reference = JSON.parse(fs.readFileSync(path.join(dir, "guide-welch-reference.json"), "utf8"));
type Row = { variant: string; score: number };
const seed43: Row[] = fs
  .readFileSync(path.join(dir, "guide-welch.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line))
  .map((r) => ({ variant: r.variant_id, score: r.metrics.helpfulness }));
const seed42: Row[] = fs
  .readFileSync(path.join(dir, "guide-welch-seed42.csv"), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => line.split(","))
  .map((cells) => ({ variant: cells[3], score: Number(cells[4]) }));

const stamp = Date.now().toString(36);
let creds: Awaited<ReturnType<typeof demoCredentials>>;

/** Creates an experiment scored on `helpfulness` and sends the rows through POST /api/v1/interactions, 2,500 a request. */
async function ingest(key: string, rows: Row[]) {
  expect((await api("/api/v1/experiments", { key: inject("apiKey"), body: minimalExperimentBody(key) })).status).toBe(201);
  const records = rows.map((r, i) => ({
    request_id: `${key}-${i}`,
    user_id: `${key}-u${i}`,
    experiment_key: key,
    variant_id: r.variant,
    metrics: { helpfulness: r.score },
  }));
  for (let i = 0; i < records.length; i += 2500) {
    const sent = await api("/api/v1/interactions", { key: creds.ENGINEER.key, body: records.slice(i, i + 2500) });
    expect(sent.status, sent.text).toBe(200);
    expect(sent.json.accepted).toBe(Math.min(2500, records.length - i));
  }
}

const expectRelative = (actual: number, expected: number, what: string) =>
  expect(Math.abs(actual - expected) / Math.abs(expected), `${what}: ${actual} against ${expected}`).toBeLessThan(1e-6);

/** The results API's helpfulness against scipy's reference for one seed. */
async function expectScipy(key: string, ref: (typeof reference)["seed43"]) {
  const res = await api(`/api/v1/experiments/${key}/results`, { key: creds.REVIEWER.key });
  expect(res.status, res.text).toBe(200);
  const m = res.json.metrics.find((x: { metric: string }) => x.metric === "helpfulness");
  for (const [i, v] of ref.variants.entries()) {
    expect(m.variants[i]).toMatchObject({ variant: v.variant, n: v.n });
    expectRelative(m.variants[i].mean, v.mean, `mean of ${v.variant}`);
    expectRelative(m.variants[i].sd, v.sd, `sd of ${v.variant}`);
  }
  const [c] = m.comparisons;
  expect(c.variant).toBe("B");
  expectRelative(c.diff, ref.welch.diff, "diff");
  expectRelative(c.statistic, ref.welch.statistic, "Welch t");
  expectRelative(c.df, ref.welch.df, "Welch-Satterthwaite df");
  expectRelative(c.pValue, ref.welch.pValue, "p");
  expectRelative(c.ci95[0], ref.welch.ci95[0], "CI low");
  expectRelative(c.ci95[1], ref.welch.ci95[1], "CI high");
  return { m, c };
}

beforeAll(async () => {
  creds = await demoCredentials();
  await Promise.all([ingest(`guide-43-${stamp}`, seed43), ingest(`guide-42-${stamp}`, seed42)]);
});

describe("the guide's Welch example through ingestion and the results API", () => {
  it("np.random.seed(43): scipy's Welch test to 1e-6, and the guide's printed means 4.017 and 4.084, p 0.0033", async () => {
    const { m, c } = await expectScipy(`guide-43-${stamp}`, reference.seed43);
    expect(m.variants[0].mean.toFixed(3)).toBe("4.017");
    expect(m.variants[1].mean.toFixed(3)).toBe("4.084");
    expect(c.pValue.toFixed(4)).toBe("0.0033");
    // The guide: "Relative Improvement: 1.66%".
    expect((c.relLift * 100).toFixed(2)).toBe("1.66");
    expect(c.significant).toBe(true);
  });

  it("np.random.seed(42), the guide's code as printed: scipy's answer (means 4.027 and 4.062, p 0.1212), not significant", async () => {
    const { m, c } = await expectScipy(`guide-42-${stamp}`, reference.seed42);
    expect(m.variants[0].mean.toFixed(3)).toBe("4.027");
    expect(m.variants[1].mean.toFixed(3)).toBe("4.062");
    expect(c.pValue.toFixed(4)).toBe("0.1212");
    expect(c.significant).toBe(false);
  });
});
