import { describe, expect, it } from "vitest";
import { AA_DEFAULTS, lookSizes, simulateAaTests, wilsonInterval, type AaInput } from "@/lib/stats/aa";
import { expectClose } from "../support/close";

const base = (over: Partial<AaInput>): AaInput => ({
  tests: 2000,
  perVariant: 200,
  metric: "mean",
  peeks: 1,
  sequential: false,
  seed: 1,
  effect: null,
  alpha: 0.05,
  baseline: AA_DEFAULTS.meanBaseline,
  sd: AA_DEFAULTS.sd,
  ...over,
});

describe("A/A simulation", () => {
  it("the Wilson interval equals statsmodels proportion_confint(x, n, method='wilson')", () => {
    // proportion_confint(106, 2000, method='wilson') -> (0.04401045720579706, 0.06370338306364304)
    const [lo, hi] = wilsonInterval(106, 2000);
    expectClose(lo, 0.04401045720579706);
    expectClose(hi, 0.06370338306364304);
    // proportion_confint(0, 50, method='wilson') -> (0.0, 0.07134759913335874)
    expect(wilsonInterval(0, 50)[0]).toBe(0);
    expectClose(wilsonInterval(0, 50)[1], 0.07134759913335874);
  });

  it("looks are equally spaced and end at the planned sample", () => {
    expect(lookSizes(200, 10)).toEqual([20, 40, 60, 80, 100, 120, 140, 160, 180, 200]);
    expect(lookSizes(10, 3)).toEqual([4, 7, 10]);
    expect(lookSizes(200, 1)).toEqual([200]);
  });

  for (const metric of ["mean", "proportion"] as const) {
    const baseline = metric === "mean" ? AA_DEFAULTS.meanBaseline : AA_DEFAULTS.proportionBaseline;
    it(`${metric}: 5% +/- 1% false positives at alpha 0.05 without peeking (2,000 seeded tests)`, () => {
      const r = simulateAaTests(base({ metric, baseline }));
      expect(r.falsePositiveRate).toBeGreaterThanOrEqual(0.04);
      expect(r.falsePositiveRate).toBeLessThanOrEqual(0.06);
      expect(r.ci95[0]).toBeLessThan(r.falsePositiveRate);
      expect(r.ci95[1]).toBeGreaterThan(r.falsePositiveRate);
      expect(r).toMatchObject({ tests: 2000, alpha: 0.05, peeks: 1, sequential: false });
      expect(r.power).toBeUndefined();
    });

    it(`${metric}: 10 peeks at a fixed-horizon test raise it well above 5%; the sequential test stays at or below 5%`, () => {
      const peeking = simulateAaTests(base({ metric, baseline, peeks: 10 }));
      expect(peeking.falsePositiveRate).toBeGreaterThanOrEqual(0.14);
      expect(peeking.falsePositiveRate).toBeLessThanOrEqual(0.24);
      expect(peeking.ci95[0]).toBeGreaterThan(0.05);
      const sequential = simulateAaTests(base({ metric, baseline, peeks: 10, sequential: true }));
      expect(sequential.falsePositiveRate).toBeLessThanOrEqual(0.05);
      expect(sequential.sequential).toBe(true);
    });
  }

  it("a planted effect gives the power the plan expects (d = 0.28 at 200 per variant: about 80%)", () => {
    // statsmodels tt_ind_solve_power(effect_size=0.28, nobs1=200, alpha=0.05) = 0.80
    const r = simulateAaTests(base({ effect: 0.28 }));
    expect(r.power!).toBeGreaterThan(0.76);
    expect(r.power!).toBeLessThan(0.84);
    expect(r.powerCi95![0]).toBeLessThan(r.power!);
    // The A/A half is the same run as without the effect.
    expect(r.falsePositiveRate).toBe(simulateAaTests(base({})).falsePositiveRate);
  });

  it("a seed reproduces a run exactly; another seed differs", () => {
    const a = simulateAaTests(base({ tests: 300, perVariant: 50, seed: 1 }));
    expect(simulateAaTests(base({ tests: 300, perVariant: 50, seed: 1 }))).toEqual(a);
    const rates = [2, 3, 4].map((seed) => simulateAaTests(base({ tests: 300, perVariant: 50, seed })).falsePositiveRate);
    expect(new Set([a.falsePositiveRate, ...rates]).size).toBeGreaterThan(1);
  });
});
