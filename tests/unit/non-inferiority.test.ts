import { describe, expect, it } from "vitest";
import { mean, sampleStandardDeviation } from "simple-statistics";
import { absoluteMargin, nonInferiorityTest } from "@/lib/stats/nonInferiority";
import { welchTest } from "@/lib/stats/welch";
import { expectClose } from "../support/close";

// Reference values: statsmodels 0.13.5, scipy 1.10.1 (Debian 12's python3).
// rng = numpy.random.default_rng(3); x1 = np.round(rng.normal(10.0, 2.0, 40), 2); x2 = np.round(rng.normal(10.4, 3.0, 55), 2)
const x1 = [
  14.08, 4.89, 10.84, 8.86, 9.09, 9.57, 5.96, 9.54, 8.27, 16.65, 10.45, 9.29, 9.44, 8.66, 7.89, 9.22, 10.96, 9.52, 11.92, 9.6, 10.05, 13.09,
  11.09, 8.99, 9.63, 11.08, 13.87, 9.46, 9.51, 12.0, 8.23, 9.42, 11.77, 11.16, 10.18, 11.34, 4.34, 12.04, 8.08, 6.66,
];
const x2 = [
  11.23, 12.5, 9.07, 7.17, 10.48, 10.24, 14.62, 12.64, 10.98, 13.73, 9.78, 7.62, 12.15, 12.15, 9.76, 8.05, 11.09, 2.92, 12.47, 11.87, 5.48,
  10.58, 7.51, 12.67, 4.3, 7.66, 12.53, 13.87, 3.93, 8.91, 11.38, 8.57, 15.17, 6.83, 11.46, 7.25, 14.62, 10.34, 9.28, 5.25, 15.45, 12.66,
  12.66, 13.81, 11.45, 8.48, 8.0, 8.0, 14.51, 6.02, 8.61, 9.44, 11.07, 12.13, 6.65,
];
const s = (x: number[]) => ({ n: x.length, mean: mean(x), sd: sampleStandardDeviation(x) });
const w = welchTest(s(x1), s(x2))!;
const input = { diff: w.diff, se: w.diff / w.statistic, df: w.df };

describe("non-inferiority (one-sided)", () => {
  it("increase metric, means: equals statsmodels ttest_ind(alternative='larger', value=-margin)", () => {
    // statsmodels.stats.weightstats.ttest_ind(x1, x2, alternative='larger', usevar='unequal', value=-1.0)
    //   -> (1.4319923326126005, 0.0777579458978445, 92.51759620177086)
    const r = nonInferiorityTest(input, 1.0, "increase")!;
    expectClose(r.statistic, 1.4319923326126005);
    expectClose(r.pValue, 0.0777579458978445);
    // d - scipy.stats.t.ppf(0.95, df) * se -> -1.1264601545577182: not above -1, so not shown non-inferior
    expectClose(r.bound, -1.1264601545577182);
    expect(r.margin).toBe(1);
    expect(r.passed).toBe(false);
    expect(nonInferiorityTest(input, 1.0, "increase", 0.1)!.passed).toBe(true);
  });

  it("decrease metric, means: equals statsmodels ttest_ind(alternative='smaller', value=+margin)", () => {
    // ttest_ind(x1, x2, alternative='smaller', usevar='unequal', value=0.5) -> (-1.2901913118596424, 0.10009982422167772, 92.51759620177086)
    const r = nonInferiorityTest(input, 0.5, "decrease")!;
    expectClose(r.statistic, -1.2901913118596424);
    expectClose(r.pValue, 0.10009982422167772);
    expectClose(r.bound, 0.704596518194079); // d + scipy.stats.t.ppf(0.95, df) * se
    expect(r.passed).toBe(false);
  });

  it("proportions: equals statsmodels test_proportions_2indep(method='wald', compare='diff')", () => {
    const se = (a: number, b: number) => Math.sqrt((a * (1 - a)) / 1000 + (b * (1 - b)) / 1000);
    // test_proportions_2indep(470, 1000, 500, 1000, value=-0.05, method='wald', compare='diff', alternative='larger')
    //   -> statistic 0.895233263833517, pvalue 0.18533120327489105
    const inc = nonInferiorityTest({ diff: 0.47 - 0.5, se: se(0.47, 0.5), df: null }, 0.05, "increase")!;
    expectClose(inc.statistic, 0.895233263833517);
    expectClose(inc.pValue, 0.18533120327489105);
    // test_proportions_2indep(33, 1000, 25, 1000, value=0.02, method='wald', compare='diff', alternative='smaller')
    //   -> statistic -1.5994882456290014, pvalue 0.05485607916487595
    const dec = nonInferiorityTest({ diff: 0.033 - 0.025, se: se(0.033, 0.025), df: null }, 0.02, "decrease")!;
    expectClose(dec.statistic, -1.5994882456290014);
    expectClose(dec.pValue, 0.05485607916487595);
  });

  it("a relative margin is the share of the control's value", () => {
    expect(absoluteMargin(0.1, 950, true)).toBe(95);
    expect(absoluteMargin(0.1, -20, true)).toBe(2);
    expect(absoluteMargin(30, 950, false)).toBe(30);
  });

  it("without spread the answer is exact; a negative margin has none", () => {
    expect(nonInferiorityTest({ diff: -0.5, se: 0, df: 4 }, 1, "increase")).toMatchObject({ passed: true, pValue: 0 });
    expect(nonInferiorityTest({ diff: 1.5, se: 0, df: 4 }, 1, "decrease")).toMatchObject({ passed: false, pValue: 1 });
    expect(nonInferiorityTest(input, -1, "increase")).toBeNull();
  });
});
