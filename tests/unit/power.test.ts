// lib/stats/power: sample sizes against statsmodels 0.13.5 (scipy 1.10.1), computed with python3 and hard-coded.
//
// Two kinds of reference value appear below:
//  - "exact": the root of statsmodels' own power equation, solved tightly with scipy:
//      P = NormalIndPower()
//      n_exact(d, alpha, power, ratio=1.0, alt='two-sided') =
//        brentq(lambda n: P.power(d, n, alpha, ratio=ratio, alternative=alt) - power, 1e-9, 1e9, xtol=1e-12, rtol=4*2.220446049250313e-16)
//      d_exact(n, alpha, power) = brentq(lambda d: P.power(d, n, alpha, ratio=1.0, alternative='two-sided') - power, 1e-12, 10, xtol=1e-15)
//  - "sm": what zt_ind_solve_power / NormalIndPower.solve_power itself returns. Its brentq_expanding stops at
//    xtol=1e-5, so it agrees with the exact root only to ~1e-9 relative for n (checked at 1e-6 below) and ~1e-5 for
//    effect sizes.
// Helpers used in the python expressions: es(p1, p2) = (p2 - p1) / sqrt(pbar (1 - pbar)), pbar = (p1 + p2)/2 (the guide);
// proportion_effectsize from statsmodels.stats.proportion.
import { describe, expect, it } from "vitest";
import {
  PlanInputError,
  cohensH,
  effectSizeMeans,
  effectSizeProportions,
  mdeForDays,
  mdeTable,
  normalIndPower,
  planInputProblems,
  planSampleSize,
  solveNormalIndEffectSize,
  solveNormalIndSampleSize,
  type PlanInput,
} from "../../lib/stats/power";
import { planInputSchema } from "../../lib/validation/plan";

/** |actual - expected| <= rel * |expected| */
function expectRel(actual: number, expected: number, rel: number) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

type PlanCase = {
  name: string;
  input: PlanInput;
  effectSize: number;
  nExact: number;
  nStatsmodels: number;
  perVariant: number;
  total: number;
  days: number | null;
  alphaPerComparison?: number;
};

const planCases: PlanCase[] = [
  {
    name: "the guide's example: baseline 76%, +5% relative, 2000/day",
    input: { metric: "proportion", baseline: 0.76, mde: 0.05, dailyTraffic: 2000 },
    effectSize: 0.0915838150994437, // es(0.76, 0.76*1.05)
    nExact: 1871.5401335527515, // n_exact(es(0.76, 0.76*1.05), 0.05, 0.8)
    nStatsmodels: 1871.5401340901687, // zt_ind_solve_power(effect_size=es(0.76, 0.76*1.05), alpha=0.05, power=0.8, ratio=1.0, alternative='two-sided')
    perVariant: 1872, // math.ceil(...)
    total: 3744, // 1872 * 2
    days: 2, // math.ceil(3744 / 2000)
  },
  {
    name: "alpha 0.01",
    input: { metric: "proportion", baseline: 0.76, mde: 0.05, alpha: 0.01, dailyTraffic: 2000 },
    effectSize: 0.0915838150994437, // es(0.76, 0.76*1.05)
    nExact: 2784.819220899984, // n_exact(es(0.76, 0.76*1.05), 0.01, 0.8)
    nStatsmodels: 2784.819220614012, // zt_ind_solve_power(effect_size=es(0.76, 0.76*1.05), alpha=0.01, power=0.8, ratio=1.0, alternative='two-sided')
    perVariant: 2785,
    total: 5570,
    days: 3, // math.ceil(5570 / 2000)
  },
  {
    name: "power 0.9",
    input: { metric: "proportion", baseline: 0.76, mde: 0.05, power: 0.9 },
    effectSize: 0.0915838150994437, // es(0.76, 0.76*1.05)
    nExact: 2505.466507137047, // n_exact(es(0.76, 0.76*1.05), 0.05, 0.9)
    nStatsmodels: 2505.4665071374684, // zt_ind_solve_power(effect_size=es(0.76, 0.76*1.05), alpha=0.05, power=0.9, ratio=1.0, alternative='two-sided')
    perVariant: 2506,
    total: 5012,
    days: null,
  },
  {
    name: "three variants, no correction: same n per variant, 3x total",
    input: { metric: "proportion", baseline: 0.76, mde: 0.05, variants: 3, dailyTraffic: 2000 },
    effectSize: 0.0915838150994437, // es(0.76, 0.76*1.05)
    nExact: 1871.5401335527515, // n_exact(es(0.76, 0.76*1.05), 0.05, 0.8)
    nStatsmodels: 1871.5401340901687, // zt_ind_solve_power(effect_size=es(0.76, 0.76*1.05), alpha=0.05, power=0.8, ratio=1.0, alternative='two-sided')
    perVariant: 1872,
    total: 5616, // 1872 * 3
    days: 3, // math.ceil(5616 / 2000)
    alphaPerComparison: 0.05,
  },
  {
    name: "three variants with Bonferroni: alpha 0.05 / 2 comparisons",
    input: { metric: "proportion", baseline: 0.76, mde: 0.05, variants: 3, correction: "bonferroni", dailyTraffic: 2000 },
    effectSize: 0.0915838150994437, // es(0.76, 0.76*1.05)
    nExact: 2266.4507327120978, // n_exact(es(0.76, 0.76*1.05), 0.05/2, 0.8)
    nStatsmodels: 2266.450733720105, // zt_ind_solve_power(effect_size=es(0.76, 0.76*1.05), alpha=0.05/2, power=0.8, ratio=1.0, alternative='two-sided')
    perVariant: 2267,
    total: 6801, // 2267 * 3
    days: 4, // math.ceil(6801 / 2000)
    alphaPerComparison: 0.025,
  },
  {
    name: "negative MDE (-5% relative)",
    input: { metric: "proportion", baseline: 0.76, mde: -0.05, dailyTraffic: 2000 },
    effectSize: -0.08674103713933524, // es(0.76, 0.76*(1-0.05))
    nExact: 2086.3510527553644, // n_exact(es(0.76, 0.76*(1-0.05)), 0.05, 0.8)
    nStatsmodels: 2086.3510526453033, // zt_ind_solve_power(effect_size=es(0.76, 0.76*(1-0.05)), alpha=0.05, power=0.8, ratio=1.0, alternative='two-sided')
    perVariant: 2087,
    total: 4174,
    days: 3, // math.ceil(4174 / 2000)
  },
  {
    name: "low baseline 3%, +10% relative, half the traffic covered",
    input: { metric: "proportion", baseline: 0.03, mde: 0.1, dailyTraffic: 10000, coverage: 0.5 },
    effectSize: 0.017175768000773733, // es(0.03, 0.03*1.10)
    nExact: 53211.349822976874, // n_exact(es(0.03, 0.03*1.10), 0.05, 0.8)
    nStatsmodels: 53211.34982299226, // zt_ind_solve_power(effect_size=es(0.03, 0.03*1.10), alpha=0.05, power=0.8, ratio=1.0, alternative='two-sided')
    perVariant: 53212,
    total: 106424,
    days: 22, // math.ceil(106424 / (10000*0.5))
  },
  {
    name: "mean metric: baseline 4.0, sd 0.8, +5% relative (the guide's 4.0 -> 4.2 helpfulness example)",
    input: { metric: "mean", baseline: 4.0, sd: 0.8, mde: 0.05, dailyTraffic: 100 },
    effectSize: 0.25, // (4.0*0.05)/0.8
    nExact: 251.16353629843837, // n_exact((4.0*0.05)/0.8, 0.05, 0.8)
    nStatsmodels: 251.16353630180953, // zt_ind_solve_power(effect_size=(4.0*0.05)/0.8, alpha=0.05, power=0.8, ratio=1.0, alternative='two-sided')
    perVariant: 252,
    total: 504,
    days: 6, // math.ceil(504 / 100)
  },
  {
    name: "mean metric, absolute decrease: latency 1500 ms, sd 1500, -300 ms",
    input: { metric: "mean", baseline: 1500, sd: 1500, mde: -300, mdeAbsolute: true },
    effectSize: -0.2, // -300/1500
    nExact: 392.4430254663101, // n_exact(-0.3/1.5, 0.05, 0.8)
    nStatsmodels: 392.44302325778864, // zt_ind_solve_power(effect_size=-0.3/1.5, alpha=0.05, power=0.8, ratio=1.0, alternative='two-sided')
    perVariant: 393,
    total: 786,
    days: null,
  },
  {
    name: "Cohen's h for the guide's example",
    input: { metric: "proportion", baseline: 0.76, mde: 0.05, effectSize: "cohens-h", dailyTraffic: 2000 },
    effectSize: 0.09165947744593339, // proportion_effectsize(0.76*1.05, 0.76)
    nExact: 1868.4516002890393, // n_exact(proportion_effectsize(0.76*1.05, 0.76), 0.05, 0.8)
    nStatsmodels: 1868.4516009097226, // zt_ind_solve_power(effect_size=proportion_effectsize(0.76*1.05, 0.76), alpha=0.05, power=0.8, ratio=1.0, alternative='two-sided')
    perVariant: 1869,
    total: 3738,
    days: 2,
  },
  {
    name: "absolute MDE: 20% -> 22%",
    input: { metric: "proportion", baseline: 0.2, mde: 0.02, mdeAbsolute: true, dailyTraffic: 1000 },
    effectSize: 0.04910286161402361, // es(0.20, 0.20+0.02)
    nExact: 6510.629792486088, // n_exact(es(0.20, 0.20+0.02), 0.05, 0.8)
    nStatsmodels: 6510.629792486087, // zt_ind_solve_power(effect_size=es(0.20, 0.20+0.02), alpha=0.05, power=0.8, ratio=1.0, alternative='two-sided')
    perVariant: 6511,
    total: 13022,
    days: 14, // math.ceil(13022 / 1000)
  },
];

describe("planSampleSize against statsmodels", () => {
  it.each(planCases)("$name", (c) => {
    const plan = planSampleSize(c.input);
    expectRel(plan.effectSize, c.effectSize, 1e-12);
    expectRel(plan.nExact, c.nExact, 1e-10); // the exact root of statsmodels' power equation
    expectRel(plan.nExact, c.nStatsmodels, 1e-6); // what zt_ind_solve_power prints
    expect(plan.perVariant).toBe(c.perVariant);
    expect(plan.total).toBe(c.total);
    expect(plan.days).toBe(c.days);
    if (c.alphaPerComparison !== undefined) expect(plan.alphaPerComparison).toBeCloseTo(c.alphaPerComparison, 15);
  });

  it("reports the proportions and means it planned for", () => {
    const p = planSampleSize({ metric: "proportion", baseline: 0.76, mde: 0.05 });
    expect(p.p1).toBe(0.76);
    expect(p.p2).toBeCloseTo(0.798, 15);
    const m = planSampleSize({ metric: "mean", baseline: 4, sd: 0.8, mde: 0.05 });
    expect(m.baselineMean).toBe(4);
    expect(m.targetMean).toBeCloseTo(4.2, 15);
  });

  it("does not add a day for float noise in total / (traffic * coverage)", () => {
    // total 3744 at 99.84/day x 30% = 29.952/day is exactly 125 days; in floating point 3744 / (99.84 * 0.3) = 125.00000000000001.
    const p = planSampleSize({ metric: "proportion", baseline: 0.76, mde: 0.05, dailyTraffic: 99.84, coverage: 0.3 });
    expect(3744 / (99.84 * 0.3)).toBeGreaterThan(125);
    expect(p.days).toBe(125);
  });
});

describe("effect sizes", () => {
  it("guide's pooled-sd effect size", () => {
    expectRel(effectSizeProportions(0.76, 0.76 * 1.05), 0.0915838150994437, 1e-12); // es(0.76, 0.76*1.05)
    expectRel(effectSizeProportions(0.76, 0.76 * 0.95), -0.08674103713933524, 1e-12); // es(0.76, 0.76*(1-0.05))
  });
  it("Cohen's h = statsmodels proportion_effectsize(p2, p1)", () => {
    expectRel(cohensH(0.76, 0.76 * 1.05), 0.09165947744593339, 1e-12); // proportion_effectsize(0.76*1.05, 0.76)
    expect(cohensH(0.3, 0.2)).toBeCloseTo(-cohensH(0.2, 0.3), 15);
  });
  it("Cohen's d for means", () => {
    expect(effectSizeMeans(0.2, 0.8)).toBe(0.25);
  });
});

describe("statsmodels NormalIndPower solver", () => {
  it("power matches NormalIndPower().power", () => {
    // NormalIndPower().power(effect_size=0.1, nobs1=1000, alpha=0.05, ratio=1.0, alternative='two-sided')
    expectRel(normalIndPower({ effectSize: 0.1, nobs1: 1000, alpha: 0.05 }), 0.6087794846454566, 1e-12);
  });

  it("ratio 2", () => {
    const n = solveNormalIndSampleSize({ effectSize: 0.2, alpha: 0.05, power: 0.8, ratio: 2 });
    expectRel(n, 294.33226909973246, 1e-10); // n_exact(0.2, 0.05, 0.8, ratio=2.0)
    expectRel(n, 294.332269088512, 1e-6); // zt_ind_solve_power(effect_size=0.2, alpha=0.05, power=0.8, ratio=2.0, alternative='two-sided')
  });

  it("one-sided 'larger'", () => {
    const n = solveNormalIndSampleSize({ effectSize: 0.2, alpha: 0.05, power: 0.8, alternative: "larger" });
    expectRel(n, 309.12786160098847, 1e-10); // n_exact(0.2, 0.05, 0.8, alt='larger')
    expectRel(n, 309.1278616012884, 1e-6); // zt_ind_solve_power(effect_size=0.2, alpha=0.05, power=0.8, ratio=1.0, alternative='larger')
  });

  it("tiny effect size 0.01", () => {
    const n = solveNormalIndSampleSize({ effectSize: 0.01, alpha: 0.05, power: 0.8 });
    expectRel(n, 156977.21018652397, 1e-10); // n_exact(0.01, 0.05, 0.8)
    expectRel(n, 156977.2101852328, 1e-6); // zt_ind_solve_power(effect_size=0.01, alpha=0.05, power=0.8, ratio=1.0, alternative='two-sided')
  });

  it("the solved n gives exactly the requested power", () => {
    const n = solveNormalIndSampleSize({ effectSize: 0.0915838150994437, alpha: 0.05, power: 0.8 });
    expect(Math.abs(normalIndPower({ effectSize: 0.0915838150994437, nobs1: n, alpha: 0.05 }) - 0.8)).toBeLessThan(1e-13);
  });

  it("inverse: effect size for n = 1000 (alpha 0.05, power 0.8)", () => {
    const d = solveNormalIndEffectSize({ nobs1: 1000, alpha: 0.05, power: 0.8, ratio: 1 });
    expectRel(d, 0.125290546405754, 1e-10); // d_exact(1000, 0.05, 0.8)
    // NormalIndPower().solve_power(effect_size=None, nobs1=1000, alpha=0.05, power=0.8, ratio=1.0, alternative='two-sided')
    expect(Math.abs(d - 0.1252903452971738)).toBeLessThan(1e-5); // statsmodels' own xtol
  });

  it("inverse: effect size for n = 250 (alpha 0.01, power 0.9)", () => {
    const d = solveNormalIndEffectSize({ nobs1: 250, alpha: 0.01, power: 0.9, ratio: 1 });
    expectRel(d, 0.3450146335041745, 1e-10); // d_exact(250, 0.01, 0.9)
    // NormalIndPower().solve_power(effect_size=None, nobs1=250, alpha=0.01, power=0.9, ratio=1.0, alternative='two-sided')
    expect(Math.abs(d - 0.34501644249885693)).toBeLessThan(1e-5);
  });

  it("inverse round-trips with the forward solver", () => {
    const n = solveNormalIndSampleSize({ effectSize: 0.3, alpha: 0.05, power: 0.8 });
    expectRel(solveNormalIndEffectSize({ nobs1: n, alpha: 0.05, power: 0.8 }), 0.3, 1e-10);
  });

  it("rejects a zero effect size and power not above alpha", () => {
    expect(() => solveNormalIndSampleSize({ effectSize: 0, alpha: 0.05, power: 0.8 })).toThrow(RangeError);
    expect(() => solveNormalIndSampleSize({ effectSize: 0.1, alpha: 0.5, power: 0.4 })).toThrow(RangeError);
  });
});

describe("mdeForDays (inverse of the plan)", () => {
  it("guide's traffic, 2 days: n = 2000 per variant", () => {
    const r = mdeForDays({ metric: "proportion", baseline: 0.76, days: 2, dailyTraffic: 2000 });
    expect(r.perVariant).toBe(2000); // math.floor(2*2000/2)
    expectRel(r.effectSize, 0.08859379498207648, 1e-10); // d_exact(2000, 0.05, 0.8)
    // brentq(lambda p2: es(0.76, p2) - d_exact(2000, 0.05, 0.8), 0.76, 1 - 1e-15, xtol=1e-15) / 0.76 - 1
    expectRel(r.mde, 0.04841474890748554, 1e-9);
    // Round trip: planning for that MDE needs exactly 2000 per variant.
    expectRel(planSampleSize({ metric: "proportion", baseline: 0.76, mde: r.mde }).nExact, 2000, 1e-9);
  });

  it("decrease flag", () => {
    const r = mdeForDays({ metric: "proportion", baseline: 0.76, days: 2, dailyTraffic: 2000, decrease: true });
    // brentq(lambda p2: es(0.76, p2) + d_exact(2000, 0.05, 0.8), 1e-15, 0.76, xtol=1e-15) / 0.76 - 1
    expectRel(r.mde, -0.051094626900381246, 1e-9);
    expectRel(planSampleSize({ metric: "proportion", baseline: 0.76, mde: r.mde }).nExact, 2000, 1e-9);
  });

  it("Cohen's h, 3 variants, Bonferroni, half coverage", () => {
    const input = {
      metric: "proportion" as const,
      baseline: 0.1,
      days: 14,
      dailyTraffic: 500,
      coverage: 0.5,
      variants: 3,
      correction: "bonferroni" as const,
      effectSize: "cohens-h" as const,
    };
    const r = mdeForDays(input);
    expect(r.perVariant).toBe(1166); // math.floor(14*500*0.5/3)
    expectRel(r.effectSize, 0.1276857986354465, 1e-10); // d_exact(math.floor(14*500*0.5/3), 0.05/2, 0.8)
    // brentq(lambda p2: proportion_effectsize(p2, 0.10) - d_exact(math.floor(14*500*0.5/3), 0.05/2, 0.8), 0.10, 1 - 1e-15, xtol=1e-15) / 0.10 - 1
    expectRel(r.mde, 0.4145804197959304, 1e-9);
    const { days: _days, ...planInput } = input;
    const plan = planSampleSize({ ...planInput, mde: r.mde });
    expectRel(plan.nExact, 1166, 1e-9);
    expect(plan.days).toBeLessThanOrEqual(14);
  });

  it("mean metric, relative MDE", () => {
    const r = mdeForDays({ metric: "mean", baseline: 4.0, sd: 0.8, days: 7, dailyTraffic: 1000 });
    expect(r.perVariant).toBe(3500);
    expectRel(r.mde, 0.013394122812915224, 1e-9); // d_exact(math.floor(7*1000/2), 0.05, 0.8) * 0.8 / 4.0
  });

  it("too little traffic names days", () => {
    expect(() => mdeForDays({ metric: "proportion", baseline: 0.5, days: 1, dailyTraffic: 1 })).toThrowError(PlanInputError);
    try {
      mdeForDays({ metric: "proportion", baseline: 0.99, days: 1, dailyTraffic: 10 });
      expect.unreachable();
    } catch (err) {
      expect((err as PlanInputError).field).toBe("days");
    }
  });
});

describe("mdeTable", () => {
  it("rows for the default MDEs, marking the infeasible ones", () => {
    const rows = mdeTable({ metric: "proportion", baseline: 0.76, dailyTraffic: 2000 });
    expect(rows.map((r) => r.mde)).toEqual([0.01, 0.02, 0.05, 0.1, 0.15]);
    expect(rows[2]).toEqual({ mde: 0.05, feasible: true, perVariant: 1872, total: 3744, days: 2 });
    // sample size falls as the MDE grows
    for (let i = 1; i < rows.length; i++) expect(rows[i].perVariant!).toBeLessThan(rows[i - 1].perVariant!);
    const high = mdeTable({ metric: "proportion", baseline: 0.9 }, [0.05, 0.15]);
    expect(high[1]).toEqual({ mde: 0.15, feasible: false, reason: "rate outside 0–1", perVariant: null, total: null, days: null });
  });
});

// ratio = n2/n1 as statsmodels takes it: the treatment's share over the control's.
describe("unequal weights size every arm with statsmodels' ratio", () => {
  const guide = { metric: "proportion" as const, baseline: 0.76, mde: 0.05, dailyTraffic: 2000 };

  it("90/10 (control 90): the control needs nobs1, the small arm nobs1 · ratio, and the small arm sets the days", () => {
    const plan = planSampleSize({ ...guide, weights: [90, 10] });
    expectRel(plan.nExact, 9357.70066776376, 1e-10); // n_exact(es(0.76, 0.76*1.05), 0.05, 0.8, ratio=10/90)
    // NormalIndPower().solve_power(effect_size=es(0.76, 0.76*1.05), alpha=0.05, power=0.8, ratio=10/90)
    expectRel(plan.nExact, 9357.700667764466, 1e-6);
    expect(plan.arms.map((a) => a.n)).toEqual([9358, 1040]); // math.ceil(9357.70...), math.ceil(9357.70... * (10/90))
    expect(plan.total).toBe(10398); // 9358 + 1040
    expect(plan.perVariant).toBe(9358);
    expect(plan.days).toBe(6); // math.ceil(max(9358/(2000*0.9), 1040/(2000*0.1))) = math.ceil(5.2)
    expect(plan.unequalSplit).toBe(true);
    // The balanced plan would have said 1,872 per variant in 2 days: at 10% the small arm gets 200 a day.
    expect(planSampleSize(guide).days).toBe(2);
  });

  it("10/90 (control 10): the same comparison seen from the other side", () => {
    const plan = planSampleSize({ ...guide, weights: [10, 90] });
    expectRel(plan.nExact, 1039.7445186404177, 1e-10); // n_exact(es(0.76, 0.76*1.05), 0.05, 0.8, ratio=90/10)
    // NormalIndPower().solve_power(effect_size=es(0.76, 0.76*1.05), alpha=0.05, power=0.8, ratio=9)
    expectRel(plan.nExact, 1039.7445187583091, 1e-6);
    expect(plan.arms.map((a) => a.n)).toEqual([1040, 9358]); // math.ceil(1039.74...), math.ceil(1039.74... * 9)
    expect(plan.days).toBe(6);
  });

  it("50/25/25: each treatment at ratio 0.5", () => {
    const plan = planSampleSize({ ...guide, weights: [50, 25, 25] });
    expectRel(plan.nExact, 2807.3102003291274, 1e-10); // n_exact(es(0.76, 0.76*1.05), 0.05, 0.8, ratio=0.5)
    expect(plan.arms.map((a) => a.n)).toEqual([2808, 1404, 1404]); // math.ceil(2807.31...), math.ceil(2807.31... * 0.5) twice
    expect(plan.variants).toBe(3);
    expect(plan.days).toBe(3); // math.ceil(2808 / (2000 * 0.5))
  });

  it("40/40/20 with Bonferroni: the weaker comparison (ratio 0.5) sizes the control", () => {
    const plan = planSampleSize({ ...guide, weights: [40, 40, 20], correction: "bonferroni" });
    expect(plan.alphaPerComparison).toBe(0.025); // 0.05 / 2
    // max(n_exact(d, 0.025, 0.8, ratio=1.0) = 2266.45, n_exact(d, 0.025, 0.8, ratio=0.5) = 3399.68), d = es(0.76, 0.76*1.05)
    expectRel(plan.nExact, 3399.6760990681455, 1e-10);
    expect(plan.arms.map((a) => a.n)).toEqual([3400, 3400, 1700]); // math.ceil(3399.676...), same, math.ceil(3399.676... / 2)
  });

  it("equal weights give exactly the balanced plan", () => {
    const balanced = planSampleSize({ ...guide, variants: 3 });
    const weighted = planSampleSize({ ...guide, weights: [1, 1, 1] });
    expect([weighted.perVariant, weighted.total, weighted.days, weighted.unequalSplit]).toEqual([
      balanced.perVariant,
      balanced.total,
      balanced.days,
      false,
    ]);
  });

  it("refuses a 0 weight, a single arm and a count that disagrees with variants", () => {
    for (const input of [
      { ...guide, weights: [90, 0] },
      { ...guide, weights: [100] },
      { ...guide, weights: [50, 50], variants: 3 },
    ]) {
      expect(planInputProblems(input).map((p) => p.field)).toEqual(["weights"]);
    }
  });

  it("the inverse with 90/10: the weakest comparison's n", () => {
    const r = mdeForDays({ metric: "proportion", baseline: 0.76, days: 6, dailyTraffic: 2000, weights: [90, 10] });
    expect(r.arms).toEqual([10800, 1200]); // math.floor(6*2000*0.9), math.floor(6*2000*0.1)
    expect(r.perVariant).toBe(1200);
    // brentq(lambda d: NormalIndPower().power(d, 10800, 0.05, ratio=1200/10800) - 0.8, 1e-12, 10, xtol=1e-15)
    expectRel(r.effectSize, 0.08524941896905397, 1e-10);
    // NormalIndPower().solve_power(effect_size=None, nobs1=10800, alpha=0.05, power=0.8, ratio=1200/10800)
    expect(Math.abs(r.effectSize - 0.0852497630742122)).toBeLessThan(1e-5);
    // 6 days give more than 5.2, so they detect a little less than 5%.
    expect(r.mde).toBeLessThan(0.05);
  });
});

describe("non-inferiority: one-sided at the margin", () => {
  it("a proportion: d = margin / sqrt(p (1 - p)), alternative 'larger'", () => {
    const plan = planSampleSize({ metric: "proportion", baseline: 0.02, mde: 0.005, mdeAbsolute: true, test: "non-inferiority" });
    expect(plan.alternative).toBe("larger");
    expectRel(plan.effectSize, 0.03571428571428572, 1e-12); // 0.005 / math.sqrt(0.02 * 0.98)
    expectRel(plan.nExact, 9694.249739806997, 1e-10); // n_exact(0.005/math.sqrt(0.02*0.98), 0.05, 0.8, 1.0, 'larger')
    // NormalIndPower().solve_power(effect_size=0.005/math.sqrt(0.02*0.98), alpha=0.05, power=0.8, ratio=1.0, alternative='larger')
    expectRel(plan.nExact, 9694.24974016798, 1e-6);
    expect(plan.perVariant).toBe(9695);
  });

  it("a mean with a relative margin: d = baseline · margin / sd", () => {
    const plan = planSampleSize({ metric: "mean", baseline: 0.002, sd: 0.001, mde: 0.05, test: "non-inferiority", dailyTraffic: 2000 });
    expectRel(plan.effectSize, 0.1, 1e-12); // 0.002 * 0.05 / 0.001
    // NormalIndPower().solve_power(effect_size=0.1, alpha=0.05, power=0.8, ratio=1.0, alternative='larger')
    expectRel(plan.nExact, 1236.5114464618343, 1e-6);
    expect([plan.perVariant, plan.total, plan.days]).toEqual([1237, 2474, 2]); // math.ceil(1236.51), 2 * 1237, math.ceil(2474 / 2000)
  });
});

describe("what the planner cannot size is a problem naming the field, never an exception", () => {
  const guide: PlanInput = { metric: "proportion", baseline: 0.76, mde: 0.05, dailyTraffic: 2000 };
  const mean: PlanInput = { metric: "mean", baseline: 4, sd: 0.8, mde: 0.05, dailyTraffic: 2000 };
  const cases: [string, PlanInput, string][] = [
    ["mde 1e-300", { ...guide, mde: 1e-300 }, "mde"],
    ["mde 1e-9 (n beyond 10^12)", { ...guide, mde: 1e-9 }, "mde"],
    ["alpha 5e-324", { ...guide, alpha: 5e-324 }, "alpha"],
    ["alpha 1e-17 (1 - alpha/2 rounds to 1)", { ...guide, alpha: 1e-17 }, "alpha"],
    ["baseline 1e308 with sd 5e-324", { ...mean, baseline: 1e308, sd: 5e-324 }, "sd"],
    ["baseline 1e308 relative mde 1 (target overflows)", { ...mean, baseline: 1e308, mde: 1 }, "mde"],
    ["sd 1e308 (effect underflows)", { ...mean, sd: 1e308 }, "mde"],
    ["daily traffic 1e-300", { ...guide, dailyTraffic: 1e-300 }, "dailyTraffic"],
    ["proportion baseline 5e-324", { ...guide, baseline: 5e-324 }, "mde"],
    ["non-inferiority margin 1e-300", { ...mean, mde: 1e-300, test: "non-inferiority" }, "mde"],
  ];
  it.each(cases)("%s -> %s", (_name, input, field) => {
    expect(planInputProblems(input).map((p) => p.field)).toEqual([field]);
    expect(() => planSampleSize(input)).toThrowError(PlanInputError);
    // The API's schema (which has no `test`: non-inferiority is for a design's guardrails) reports the same field.
    if (!input.test) expect(planInputSchema.safeParse(input).error?.issues.map((i) => i.path[0])).toEqual([field]);
  });

  it("extreme but computable inputs are planned with finite numbers", () => {
    for (const input of [
      { ...guide, dailyTraffic: 1e308 },
      { ...guide, power: 0.9999999999999999 },
      { ...mean, baseline: 1e300, sd: 1e300 },
      { ...guide, alpha: 1e-12 },
    ]) {
      const plan = planSampleSize(input);
      for (const x of [plan.nExact, plan.perVariant, plan.total, plan.days]) expect(Number.isFinite(x)).toBe(true);
      expect(plan.perVariant).toBeGreaterThanOrEqual(1);
      expect(plan.days).toBeGreaterThanOrEqual(1);
    }
  });

  it("days 1e308 in the inverse names days", () => {
    expect(() => mdeForDays({ metric: "proportion", baseline: 0.76, days: 1e308, dailyTraffic: 2000 })).toThrowError(
      expect.objectContaining({ field: "days" }),
    );
  });

  it("the MDE table marks rows beyond 10^12 per variant as not possible", () => {
    // d = 4 * 0.01 / 1e5 = 4e-7 needs ((1.96 + 0.8416) / 4e-7)**2 * 2 = 9.8e13 per variant; 50% needs 3.9e10.
    const rows = mdeTable({ metric: "mean", baseline: 4, sd: 1e5 }, [0.01, 0.5]);
    expect(rows[0]).toMatchObject({ feasible: false, reason: "needs more than 1.00e+12 per variant" });
    expect(rows[1].feasible).toBe(true);
  });
});

describe("input errors name their field", () => {
  const ok: PlanInput = { metric: "proportion", baseline: 0.76, mde: 0.05 };
  const cases: [string, PlanInput, string][] = [
    ["proportion baseline above 1", { ...ok, baseline: 1.2 }, "baseline"],
    ["proportion baseline 0", { ...ok, baseline: 0 }, "baseline"],
    ["MDE of 0", { ...ok, mde: 0 }, "mde"],
    ["power above 1", { ...ok, power: 1.5 }, "power"],
    ["power 0", { ...ok, power: 0 }, "power"],
    ["alpha 1", { ...ok, alpha: 1 }, "alpha"],
    ["alpha negative", { ...ok, alpha: -0.05 }, "alpha"],
    ["MDE pushes p2 past 1", { ...ok, baseline: 0.99, mde: 0.05 }, "mde"],
    ["MDE pushes p2 to 0", { ...ok, baseline: 0.1, mde: -1 }, "mde"],
    ["absolute MDE pushes p2 below 0", { ...ok, baseline: 0.1, mde: -0.2, mdeAbsolute: true }, "mde"],
    ["mean without sd", { metric: "mean", baseline: 4, mde: 0.05 }, "sd"],
    ["mean with sd 0", { metric: "mean", baseline: 4, sd: 0, mde: 0.05 }, "sd"],
    ["mean with negative sd", { metric: "mean", baseline: 4, sd: -1, mde: 0.05 }, "sd"],
    ["1 variant", { ...ok, variants: 1 }, "variants"],
    ["9 variants", { ...ok, variants: 9 }, "variants"],
    ["2.5 variants", { ...ok, variants: 2.5 }, "variants"],
    ["daily traffic 0", { ...ok, dailyTraffic: 0 }, "dailyTraffic"],
    ["coverage 0", { ...ok, coverage: 0 }, "coverage"],
    ["coverage above 1", { ...ok, coverage: 1.1 }, "coverage"],
    ["Cohen's h for a mean", { metric: "mean", baseline: 4, sd: 1, mde: 0.05, effectSize: "cohens-h" }, "effectSize"],
  ];
  it.each(cases)("%s -> %s", (_name, input, field) => {
    let caught: unknown;
    try {
      planSampleSize(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PlanInputError);
    expect((caught as PlanInputError).field).toBe(field);
    expect((caught as PlanInputError).message.startsWith(`${field} `)).toBe(true);
    // The zod schema reports the same field.
    const parsed = planInputSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path[0])).toContain(field);
  });
});

describe("planInputSchema", () => {
  it("fills the defaults and accepts what planSampleSize accepts", () => {
    const parsed = planInputSchema.parse({ metric: "proportion", baseline: 0.76, mde: 0.05 });
    expect(parsed).toEqual({
      metric: "proportion",
      baseline: 0.76,
      mde: 0.05,
      mdeAbsolute: false,
      alpha: 0.05,
      power: 0.8,
      coverage: 1,
      correction: "none",
      effectSize: "guide",
    });
    expect(planSampleSize(parsed).perVariant).toBe(1872);
    expect(planSampleSize(parsed).variants).toBe(2);
  });

  it("names the field for type errors", () => {
    const r = planInputSchema.safeParse({ metric: "ratio", baseline: "abc" });
    expect(r.success).toBe(false);
    const byField = Object.fromEntries(r.error!.issues.map((i) => [String(i.path[0]), i.message]));
    expect(byField.metric).toMatch(/^metric /);
    expect(byField.baseline).toMatch(/^baseline must be a number/);
    expect(byField.mde).toBe("mde is required");
  });
});
