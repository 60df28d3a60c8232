import { describe, expect, it } from "vitest";
import { mean, sampleStandardDeviation } from "simple-statistics";
import { welchTest } from "@/lib/stats/welch";

describe("Welch's t-test", () => {
  it("equals scipy.stats.ttest_ind_from_stats(equal_var=False) on summary statistics", () => {
    // scipy 1.17.1: ttest_ind_from_stats(4.1, 0.9, 200, 3.8, 1.1, 180, equal_var=False)
    //   statistic 2.890470908560336, pvalue 0.0040891147549852475; Welch df 346.5216607440086;
    //   95% CI of the difference (t.ppf(0.975, df) * se): [0.09586369477779938, 0.5041363052222003]
    const r = welchTest({ n: 200, mean: 4.1, sd: 0.9 }, { n: 180, mean: 3.8, sd: 1.1 })!;
    expect(r.diff).toBeCloseTo(0.3, 12);
    expect(r.statistic).toBeCloseTo(2.890470908560336, 10);
    expect(r.pValue).toBeCloseTo(0.0040891147549852475, 10);
    expect(r.df).toBeCloseTo(346.5216607440086, 8);
    expect(r.ci95[0]).toBeCloseTo(0.09586369477779938, 8);
    expect(r.ci95[1]).toBeCloseTo(0.5041363052222003, 8);
  });

  it("equals scipy.stats.ttest_ind(b, a, equal_var=False) on raw values, small samples", () => {
    // scipy 1.17.1: ttest_ind([2,4,…,16], [1,…,10], equal_var=False): statistic 1.7685190342396897,
    //   pvalue 0.10435319420515, df 11.123571257293584, confidence_interval(0.95) [-0.8499786050886602, 7.84997860508866]
    const a = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const b = [2, 4, 6, 8, 10, 12, 14, 16];
    const s = (x: number[]) => ({ n: x.length, mean: mean(x), sd: sampleStandardDeviation(x) });
    const r = welchTest(s(b), s(a))!;
    expect(r.statistic).toBeCloseTo(1.7685190342396897, 10);
    expect(r.pValue).toBeCloseTo(0.10435319420515, 10);
    expect(r.df).toBeCloseTo(11.123571257293584, 8);
    expect(r.ci95[0]).toBeCloseTo(-0.8499786050886602, 8);
    expect(r.ci95[1]).toBeCloseTo(7.84997860508866, 8);
  });

  it("has no answer with fewer than 2 values a side or no variance", () => {
    expect(welchTest({ n: 1, mean: 1, sd: 0 }, { n: 10, mean: 1, sd: 1 })).toBeNull();
    expect(welchTest({ n: 10, mean: 1, sd: 0 }, { n: 10, mean: 2, sd: 0 })).toBeNull();
  });
});
