// Thompson weights as traffic percentages (lib/rollouts/allocation.ts): whole hundredths of a percent that sum to exactly
// 100, the floor never rounded away, and a DECREASE goal turned round so Thompson still seeks the best.
import { describe, expect, it } from "vitest";
import { armStatsOf, percentWeights } from "@/lib/rollouts/allocation";
import { applyFloor } from "@/lib/rollouts/thompson";
import type { MetricResult } from "@/lib/results/types";

const hundredths = (x: number) => Math.abs(x * 100 - Math.round(x * 100)) < 1e-9;

describe("percentWeights", () => {
  it("rounds by largest remainder to hundredths summing to 100", () => {
    expect(percentWeights(["A", "B", "C"], [1 / 3, 1 / 3, 1 / 3])).toEqual({ A: 33.34, B: 33.33, C: 33.33 });
    expect(percentWeights(["A", "B"], [0.808345, 0.191655])).toEqual({ A: 80.83, B: 19.17 });
    expect(percentWeights(["A", "B"], [1, 0])).toEqual({ A: 100, B: 0 });
  });

  it("keeps the floor and sums to 100 for many random posteriors", () => {
    let seed = 12345;
    const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let t = 0; t < 2000; t++) {
      const k = 2 + (t % 5);
      const raw = Array.from({ length: k }, rand);
      const total = raw.reduce((a, b) => a + b, 0);
      const shares = applyFloor(
        raw.map((r) => r / total),
        0.01,
      );
      const w = Object.values(
        percentWeights(
          Array.from({ length: k }, (_, i) => `v${i}`),
          shares,
        ),
      );
      expect(w.every(hundredths)).toBe(true);
      expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 9);
      expect(Math.min(...w)).toBeGreaterThanOrEqual(1);
    }
  });
});

describe("armStatsOf", () => {
  const metric = (over: Partial<MetricResult>): MetricResult =>
    ({
      metric: "m",
      role: "GOAL",
      kind: "PROPORTION",
      direction: "INCREASE",
      variants: [
        { variant: "A", n: 400, mean: 0.1, sd: 0.3 },
        { variant: "B", n: 400, mean: 0.12, sd: 0.325 },
      ],
      ...over,
    }) as MetricResult;

  it("counts successes for a proportion, failures when lower is better", () => {
    expect(armStatsOf(metric({}), ["A", "B"])).toEqual([
      { kind: "proportion", n: 400, successes: 40 },
      { kind: "proportion", n: 400, successes: 48 },
    ]);
    expect(armStatsOf(metric({ direction: "DECREASE" }), ["A", "B"])).toEqual([
      { kind: "proportion", n: 400, successes: 360 },
      { kind: "proportion", n: 400, successes: 352 },
    ]);
  });

  it("negates a mean when lower is better, and gives a variant with no data n = 0", () => {
    const m = metric({ kind: "MEAN", direction: "DECREASE" });
    expect(armStatsOf(m, ["B", "C"])).toEqual([
      { kind: "mean", n: 400, mean: -0.12, variance: 0.325 ** 2 },
      { kind: "mean", n: 0, mean: -0, variance: 0 },
    ]);
  });
});
