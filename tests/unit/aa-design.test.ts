// lib/aa/design.ts (what an A/A simulation of a design uses, from its plan) and lib/aa/reading.ts (the words).
import { describe, expect, it } from "vitest";
import { aaDesignOf } from "@/lib/aa/design";
import { aaReading, aaScenarios, effectText } from "@/lib/aa/reading";
import type { ExperimentPlan } from "@/lib/experiments/plan";
import type { AaResult } from "@/lib/stats/aa";

const plan = (over: Partial<ExperimentPlan>): ExperimentPlan =>
  ({
    metricName: "Goal completion rate",
    metricKind: "PROPORTION",
    baseline: 0.6,
    mde: 0.05,
    mdeAbsolute: false,
    alpha: 0.05,
    power: 0.8,
    unequalSplit: false,
    perVariant: 1500,
    duration: { metricName: "Goal completion rate", perVariant: 1500, arms: [], total: 3000, days: 1, fullWeekDays: 7 },
    ...over,
  }) as ExperimentPlan;

describe("aaDesignOf", () => {
  it("a relative MDE becomes a difference in the metric's units; the sample is the plan's duration", () => {
    const d = aaDesignOf(plan({}), false);
    expect(d).toMatchObject({ kind: "proportion", perVariant: 1500, baseline: 0.6, sd: null, alpha: 0.05, plannedPower: 0.8 });
    if ("reason" in d) throw new Error(d.reason);
    // 0.05 x 0.6 = 0.03 (3 points).
    expect(d.mde).toBeCloseTo(0.03, 12);
    // 24,000,000 / (1500 x 2 arms x 2 runs) = 4000, capped at 2000.
    expect(d.maxTests).toBe(2000);
  });

  it("a mean keeps its sd; an absolute MDE stays as it is; a longer duration (another metric) sets the sample", () => {
    const d = aaDesignOf(
      plan({
        metricKind: "MEAN",
        baseline: 4,
        sd: 0.8,
        mde: -0.08,
        mdeAbsolute: true,
        perVariant: 1570,
        duration: { metricName: "Latency", perVariant: 4000, arms: [], total: 8000, days: 4, fullWeekDays: 7 },
      }),
      true,
    );
    expect(d).toMatchObject({ kind: "mean", sd: 0.8, mde: -0.08, perVariant: 4000, sizedPerVariant: 1570, sequential: true });
    // 24,000,000 / (4000 x 4) = 1500.
    expect(d).toMatchObject({ maxTests: 1500 });
  });

  it("no plan, or a plan that cannot be sized, is a reason", () => {
    expect(aaDesignOf(null, false)).toMatchObject({ reason: expect.stringContaining("goal metric") });
    expect(aaDesignOf({ error: "Type a baseline for helpfulness." }, false)).toMatchObject({
      reason: expect.stringContaining("Type a baseline for helpfulness."),
    });
  });
});

const result = (over: Partial<AaResult>): AaResult => ({
  tests: 1000,
  alpha: 0.05,
  falsePositiveRate: 0.049,
  ci95: [0.0373, 0.0642],
  peeks: 1,
  sequential: false,
  ...over,
});

describe("aaReading", () => {
  it("one look, ten fixed-horizon looks and ten peeking-safe looks, with the power", () => {
    expect(aaScenarios(10, true).map((s) => s.scenario)).toEqual(["once", "peeking", "safe"]);
    expect(aaScenarios(1, false).map((s) => s.scenario)).toEqual(["once"]);
    const lines = aaReading(
      [
        { scenario: "once", result: result({ power: 0.803, powerCi95: [0.777, 0.826] }) },
        { scenario: "peeking", result: result({ peeks: 10, falsePositiveRate: 0.19, ci95: [0.166, 0.215] }) },
        {
          scenario: "safe",
          result: result({
            peeks: 10,
            sequential: true,
            falsePositiveRate: 0.009,
            ci95: [0.0048, 0.017],
            power: 0.51,
            powerCi95: [0.48, 0.54],
          }),
        },
      ],
      effectText("proportion", 0.038),
      0.8,
    );
    expect(lines).toEqual([
      "Without peeking, 4.9% of 1,000 A/A tests were falsely significant (95% CI 3.7% to 6.4%), as expected at 5%.",
      "Checking 10 times and stopping at the first significant result raises it to 19% (95% CI 17% to 22%).",
      "Checking 10 times, the peeking-safe mode keeps it at 0.9% (95% CI 0.48% to 1.7%), within 5%.",
      "With a real difference of +3.8 points planted, a test read once at the planned sample found it 80% of the time (95% CI 78% to 83%); the plan expects 80%. The peeking-safe mode found it 51% of the time: the price of being allowed to look early.",
    ]);
  });

  it("says when one look is off alpha", () => {
    expect(aaReading([{ scenario: "once", result: result({ falsePositiveRate: 0.09, ci95: [0.073, 0.11] }) }], null, 0.8)[0]).toContain(
      "more than the 5% expected",
    );
    expect(effectText("mean", -0.08)).toBe("−0.08");
  });
});
