import { describe, expect, it } from "vitest";
import { mean, sampleStandardDeviation } from "simple-statistics";
import samples from "../fixtures/quantile-samples.json";
import { adjustPValues, compareMetric } from "@/lib/stats/compare";
import type { ArmSummary, Comparison } from "@/lib/stats/compare.types";
import { rankSummary } from "@/lib/stats/mannWhitney";
import { quantileSummary } from "@/lib/stats/quantile";
import { expectClose } from "../support/close";

// Reference values: scipy 1.10.1 and statsmodels 0.13.5 (Debian 12's python3). For a mean comparison of samples t and c:
//   scipy.stats.ttest_ind(t, c, equal_var=False) (statistic, pvalue); vt, vc = t.var(ddof=1)/len(t), c.var(ddof=1)/len(c);
//   df = (vt+vc)**2/(vt**2/(len(t)-1)+vc**2/(len(c)-1)); ci = d -/+ scipy.stats.t.ppf(0.975, df)*np.sqrt(vt+vc);
//   rel = d/c.mean(); rse = np.sqrt(vt/c.mean()**2 + t.mean()**2*vc/c.mean()**4); relci = rel -/+ t.ppf(0.975, df)*rse;
//   scipy.stats.mannwhitneyu(c, t, alternative='two-sided', use_continuity=True, method='asymptotic');
//   bayes: scipy.stats.norm.sf(0, rel, rse) and -norm.cdf(0, rel, rse)*truncnorm.mean(a=-inf, b=-rel/rse, loc=rel, scale=rse)
const arm = (variant: string, x: number[]): ArmSummary => ({
  variant,
  n: x.length,
  mean: mean(x),
  sd: sampleStandardDeviation(x),
  p50: null,
  p95: null,
  p99: null,
});
const noNaN = (c: Comparison[]) => {
  const text = JSON.stringify(c);
  expect(JSON.parse(text)).toEqual(c);
  for (const x of c) for (const v of [x.diff, x.statistic, x.pValue, ...x.ci95]) expect(Number.isFinite(v)).toBe(true);
};

const c5 = [3.1, 4.2, 3.8, 4.9, 3.5];
const t5 = [4.4, 5.1, 3.9, 5.6, 4.8];

describe("compareMetric", () => {
  it("means, n = 5 per arm: Welch, lift, Mann-Whitney and the Bayesian reading equal scipy", () => {
    const [r] = compareMetric({ kind: "mean", control: "A", arms: [arm("A", c5), arm("B", t5)], ranks: [rankSummary(c5, t5, "B")] });
    expect(r.variant).toBe("B");
    expectClose(r.diff, 0.86);
    expectClose(r.statistic, 2.0292954661869373);
    expectClose(r.pValue, 0.0770598442776934);
    expectClose(r.df!, 7.9732643849770355);
    expectClose(r.ci95[0], -0.1178377191316391);
    expectClose(r.ci95[1], 1.8378377191316388);
    expectClose(r.relLift!, 0.22051282051282048);
    expectClose(r.relCi95![0], -0.06081683915907368);
    expectClose(r.relCi95![1], 0.5018424801847147);
    expect(r.mannWhitney!.u).toBe(4);
    expectClose(r.mannWhitney!.pValue, 0.09469294259947589);
    expectClose(r.bayes!.chanceToBeat, 0.9647399895251997);
    expectClose(r.bayes!.expectedLoss, 0.0017034550957927383);
    expect(r.bayes!.scale).toBe("relative");
    expect(r.pAdjusted).toBe(r.pValue);
    expect(r.significant).toBe(false);
    expect(r.nonInferiority).toBeNull();
    expect(r.varianceReduction).toBeNull();
    expect(r.note).toBeNull();
  });

  it("very unequal sizes and variances (5 against 400), with a relative non-inferiority margin on a decrease metric", () => {
    // cu = [10.551, 10.169, 9.73, 9.37, 9.053]; rng = np.random.default_rng(17); rng.normal(10, 0.5, 5) drawn first, then
    // tu = np.round(rng.normal(12, 5, 400), 3): tu.mean() 11.8053125, tu.std(ddof=1) 5.071981634340909;
    // cu.mean() 9.774600000000001, cu.std(ddof=1) 0.6009877702582641; mannwhitneyu(cu, tu) statistic 653.0, tie term 12
    const arms: ArmSummary[] = [
      { variant: "A", n: 5, mean: 9.774600000000001, sd: 0.6009877702582641, p50: null, p95: null, p99: null },
      { variant: "B", n: 400, mean: 11.8053125, sd: 5.071981634340909, p50: null, p95: null, p99: null },
    ];
    const [r] = compareMetric({
      kind: "mean",
      control: "A",
      arms,
      ranks: [{ variant: "B", u: 653, tieTerm: 12 }],
      direction: "decrease",
      margin: 0.1,
    });
    expectClose(r.statistic, 5.495446455194686);
    expectClose(r.pValue, 7.532955038908845e-5);
    expectClose(r.df!, 14.18018801737788);
    expectClose(r.ci95[0], 1.2391009996269264);
    expectClose(r.ci95[1], 2.8223240003730696);
    expectClose(r.relLift!, 0.20775402574018353);
    expectClose(r.relCi95![0], 0.11747506434696514);
    expectClose(r.relCi95![1], 0.2980329871334019);
    expectClose(r.mannWhitney!.pValue, 0.1828484354530867);
    // statsmodels ttest_ind(tu, cu, alternative='smaller', usevar='unequal', value=0.1*cu.mean()) -> (2.8502767957305304, 0.9936442370595606, 14.18...)
    expectClose(r.nonInferiority!.margin, 0.97746);
    expectClose(r.nonInferiority!.pValue, 0.9936442370595606);
    expect(r.nonInferiority!.passed).toBe(false);
    expect(r.nonInferiority!.bound).toBeGreaterThan(r.nonInferiority!.margin);
    expect(r.significant).toBe(true);
    // Lower is better here: B's rise makes it very likely worse.
    expect(r.bayes!.chanceToBeat).toBeLessThan(0.001);
  });

  it("a zero-variance control still has a Welch answer (the treatment's spread)", () => {
    // ttest_ind([5.0, 6.0, 7.0, 6.5, 5.5], [5, 5, 5, 5, 5], equal_var=False) -> 2.82842712474619, 0.04742065558431962, df 4.0
    const [r] = compareMetric({ kind: "mean", control: "A", arms: [arm("A", [5, 5, 5, 5, 5]), arm("B", [5, 6, 7, 6.5, 5.5])] });
    expectClose(r.statistic, 2.82842712474619);
    expectClose(r.pValue, 0.04742065558431962);
    expectClose(r.df!, 4);
    expectClose(r.ci95[0], 0.018378419261219525);
    expectClose(r.ci95[1], 1.9816215807387805);
    noNaN([r]);
  });

  it("no spread in either arm, or too few values, gives a clear no-test answer: no throw, no NaN", () => {
    const out = compareMetric({
      kind: "mean",
      control: "A",
      arms: [
        arm("A", [5, 5, 5]),
        arm("B", [6, 6, 6]),
        { variant: "C", n: 1, mean: 1, sd: null, p50: null, p95: null, p99: null },
        { variant: "D", n: 0, mean: null, sd: null, p50: null, p95: null, p99: null },
      ],
      margin: 0.1,
      sequential: { nStar: 100 },
    });
    expect(out.map((c) => c.variant)).toEqual(["B", "C", "D"]);
    for (const c of out) {
      expect(c).toMatchObject({ statistic: 0, pValue: 1, pAdjusted: 1, significant: false, df: null, bayes: null, nonInferiority: null });
      expect(c.note).toMatch(/no test/);
    }
    expect(out[0]).toMatchObject({ diff: 1, relLift: 0.2, ci95: [1, 1] });
    expect(out[1]).toMatchObject({ diff: -4, relLift: -0.8, ci95: [-4, -4] });
    expect(out[2]).toMatchObject({ diff: 0, relLift: null });
    noNaN(out);
    const p = compareMetric({ kind: "proportion", control: "A", arms: [{ ...arm("A", [0, 0, 0]) }, arm("B", [0, 0, 0, 0])] });
    expect(p[0].note).toMatch(/no test/);
    noNaN(p);
  });

  it("proportions: pooled z and unpooled interval as statsmodels, lift by the delta method", () => {
    const a = (variant: string, rate: number): ArmSummary => ({ variant, n: 1000, mean: rate, sd: null, p50: null, p95: null, p99: null });
    const [r] = compareMetric({ kind: "proportion", control: "A", arms: [a("A", 0.1), a("B", 0.13)] });
    // proportions_ztest([130, 100], [1000, 1000]); confint_proportions_2indep(130, 1000, 100, 1000, method='wald', compare='diff')
    expectClose(r.statistic, 2.102740605622114);
    expectClose(r.pValue, 0.03548845046647471);
    expectClose(r.ci95[0], 0.0020679344393763587);
    expectClose(r.ci95[1], 0.057932065560623636);
    expect(r.df).toBeNull();
    // see tests/unit/lift.test.ts: rel 0.3, CI [-0.019179397713587065, 0.6191793977135871]
    expectClose(r.relCi95![0], -0.019179397713587065);
    expectClose(r.relCi95![1], 0.6191793977135871);
    expect(r.significant).toBe(true);
  });

  it("quantiles: the quantile test (see tests/unit/quantile.test.ts for its python values)", () => {
    const summary = (variant: string, x: number[]): ArmSummary => {
      const s = Float64Array.from(x).sort();
      return { variant, n: s.length, mean: null, sd: null, p50: null, p95: null, p99: null, quantile: quantileSummary(s, 0.95) };
    };
    const [r] = compareMetric({
      kind: "quantile",
      control: "A",
      arms: [summary("A", samples.control), summary("B", samples.treatment)],
      direction: "decrease",
      margin: 0.1,
    });
    expectClose(r.diff, 2603.894999999999 - 2484.4949999999963);
    expectClose(r.statistic, 0.4686939613882871);
    expectClose(r.pValue, 0.6392884038802088);
    expectClose(r.ci95[0], -379.9017171821726);
    expect(r.df).toBeNull();
    // Not worse than +10% of the control's P95 (248.4 ms)? The one-sided upper bound is above it: not shown.
    expect(r.nonInferiority!.passed).toBe(false);
    const few = compareMetric({
      kind: "quantile",
      control: "A",
      arms: [summary("A", samples.control.slice(0, 50)), summary("B", samples.treatment.slice(0, 50))],
    });
    expect(few[0].note).toMatch(/too few values/);
  });

  it("CUPED when both arms carry the covariate: Welch on the adjusted values, with the variance removed", () => {
    // The sample of tests/unit/cuped.test.ts: scipy.stats.ttest_ind(adj_t, adj_c, equal_var=False)
    //   -> statistic 4.888507905495106, pvalue 1.3475695316117131e-06; variance removed 0.6370375789472469
    const arms: ArmSummary[] = [
      {
        variant: "A",
        n: 300,
        mean: 49.52623333333334,
        sd: 9.845320373477456,
        p50: null,
        p95: null,
        p99: null,
        covariate: { n: 300, mean: 49.59843333333333, sd: 9.607694896085974, covariance: 75.23033722296547 },
      },
      {
        variant: "B",
        n: 250,
        mean: 53.85376,
        sd: 9.882688459480477,
        p50: null,
        p95: null,
        p99: null,
        covariate: { n: 250, mean: 51.86016, sd: 10.13335749447553, covariance: 80.2303391550201 },
      },
    ];
    const [r] = compareMetric({ kind: "mean", control: "A", arms });
    expectClose(r.statistic, 4.888507905495106);
    expectClose(r.pValue, 1.3475695316117131e-6);
    expectClose(r.varianceReduction!, 0.6370375789472469);
    expectClose(r.diff, 52.85049524915805 - 50.3622872923683);
    // Without the covariate: ttest_ind(yt, yc, equal_var=False) -> statistic 5.122243636598453
    const [plain] = compareMetric({ kind: "mean", control: "A", arms: arms.map(({ covariate: _c, ...a }) => a) });
    expectClose(plain.statistic, 5.122243636598453);
    expect(plain.varianceReduction).toBeNull();
  });

  it("sequential mode: the confidence sequence and always-valid p of gbstats, tuned at 2 x nStar", () => {
    // The unequal sample above, nStar = 300 -> N = 600, n = 405 (see tests/unit/sequential.test.ts for the formulas):
    //   ci (0.9035221843040899, 3.1579028156959064), p 7.505830323777467e-06
    const arms: ArmSummary[] = [
      { variant: "A", n: 5, mean: 9.774600000000001, sd: 0.6009877702582641, p50: null, p95: null, p99: null },
      { variant: "B", n: 400, mean: 11.8053125, sd: 5.071981634340909, p50: null, p95: null, p99: null },
    ];
    const [r] = compareMetric({ kind: "mean", control: "A", arms, sequential: { nStar: 300 } });
    expectClose(r.ci95[0], 0.9035221843040899);
    expectClose(r.ci95[1], 3.1579028156959064);
    expectClose(r.pValue, 7.505830323777467e-6);
    expect(r.significant).toBe(true);
    // The sequence is wider than the fixed-horizon interval of the same data.
    const [fixed] = compareMetric({ kind: "mean", control: "A", arms });
    expect(r.ci95[1] - r.ci95[0]).toBeGreaterThan(fixed.ci95[1] - fixed.ci95[0]);
    expect(r.relCi95![1] - r.relCi95![0]).toBeGreaterThan(fixed.relCi95![1] - fixed.relCi95![0]);
  });

  it("answers one comparison per treatment, in order, whatever the control's position; refuses an unknown control", () => {
    const out = compareMetric({ kind: "mean", control: "B", arms: [arm("A", c5), arm("B", t5), arm("C", c5)] });
    expect(out.map((c) => c.variant)).toEqual(["A", "C"]);
    expectClose(out[0].statistic, -2.0292954661869373);
    expect(() => compareMetric({ kind: "mean", control: "Z", arms: [arm("A", c5)] })).toThrow(/"Z" is not among the arms/);
  });
});

describe("adjustPValues", () => {
  // Two metrics: [n = 5 means, zero-variance control], [unequal means, proportions]; p as in the tests above.
  // statsmodels multipletests([0.0770598442776934, 0.04742065558431962, 7.532955038908845e-05, 0.03548845046647471], method=...)
  const byMetric = (): Comparison[][] => {
    const m1 = [
      ...compareMetric({ kind: "mean", control: "A", arms: [arm("A", c5), arm("B", t5)] }),
      ...compareMetric({ kind: "mean", control: "A", arms: [arm("A", [5, 5, 5, 5, 5]), arm("C", [5, 6, 7, 6.5, 5.5])] }),
    ];
    const m2 = [
      ...compareMetric({
        kind: "mean",
        control: "A",
        arms: [
          { variant: "A", n: 5, mean: 9.774600000000001, sd: 0.6009877702582641, p50: null, p95: null, p99: null },
          { variant: "B", n: 400, mean: 11.8053125, sd: 5.071981634340909, p50: null, p95: null, p99: null },
        ],
      }),
      ...compareMetric({
        kind: "proportion",
        control: "A",
        arms: [
          { variant: "A", n: 1000, mean: 0.1, sd: null, p50: null, p95: null, p99: null },
          { variant: "C", n: 1000, mean: 0.13, sd: null, p50: null, p95: null, p99: null },
        ],
      }),
    ];
    return [m1, m2];
  };

  it("Holm across metrics x treatments equals multipletests(method='holm')", () => {
    const out = adjustPValues(byMetric(), "holm", 0.05);
    // -> [0.10646535139942413, 0.0003013182015563538, 0.10646535139942413, 0.10646535139942413] in the order p was given
    expectClose(out[0][0].pAdjusted, 0.10646535139942413);
    expectClose(out[0][1].pAdjusted, 0.10646535139942413);
    expectClose(out[1][0].pAdjusted, 0.0003013182015563538);
    expectClose(out[1][1].pAdjusted, 0.10646535139942413);
    expect(out.flat().map((c) => c.significant)).toEqual([false, false, true, false]);
    expect(out[0][1].pValue).toBeCloseTo(0.04742065558431962, 12);
  });

  it("Benjamini-Hochberg equals multipletests(method='fdr_bh'); none keeps p", () => {
    const out = adjustPValues(byMetric(), "bh", 0.05);
    // -> [0.0770598442776934, 0.0003013182015563538, 0.06322754077909283, 0.06322754077909283]
    expectClose(out[0][0].pAdjusted, 0.0770598442776934);
    expectClose(out[0][1].pAdjusted, 0.06322754077909283);
    expectClose(out[1][0].pAdjusted, 0.0003013182015563538);
    expectClose(out[1][1].pAdjusted, 0.06322754077909283);
    const none = adjustPValues(byMetric().flat(), "none", 0.05);
    expect(none.map((c) => c.pAdjusted)).toEqual(none.map((c) => c.pValue));
    expect(none.map((c) => c.significant)).toEqual([false, true, true, true]);
    expect(adjustPValues([], "holm")).toEqual([]);
  });
});
