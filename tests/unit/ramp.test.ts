// Ramp plans (lib/rollouts/ramp.ts) on issue 8's assignment (lib/assignment): 100,000 users across every step of the
// guide's 1-5-25-50-100 canary and of a three-variant plan, each returning at every later step. No assigned user ever
// changes variant; each step's new users split by the step's weights (Pearson's chi-square, lib/stats/chiSquare.ts,
// which matches scipy.stats.chisquare, p > 0.001); the users a step adds are exactly the bucket ranges it reports.
import { describe, expect, it } from "vitest";
import { assign, bucketNumber, type AssignmentSettings } from "@/lib/assignment";
import { chiSquareGoodnessOfFit } from "@/lib/stats/chiSquare";
import { addedRanges, rampPlanIssues, RAMP_PRESETS, stepWeights, type RampStep, type RampVariant } from "@/lib/rollouts/ramp";

function settingsFor(variants: RampVariant[], weights: Record<string, number>, coverage: number): AssignmentSettings {
  return {
    key: "ramp",
    running: true,
    hashingSalt: "ramp-test",
    coverage,
    variants: variants.map((v) => ({ key: v.key, weight: weights[v.key], isControl: v.isControl })),
    forcedVariants: {},
    killSwitch: { on: false, variant: null },
    targeting: [],
  };
}

/** Runs `perStep` new users through each step, every earlier user returning at every step; checks as it goes. */
function climb(variants: RampVariant[], steps: RampStep[], perStep: number) {
  const kept = new Map<string, string>();
  let next = 0;
  const pValues: number[] = [];
  for (const step of steps) {
    const weights = stepWeights(variants, step);
    const settings = settingsFor(variants, weights, step.coverage ?? 1);
    // Returning users: the variant they were given first, whatever the step.
    for (const [user, variant] of kept) {
      const r = assign(settings, { userId: user, sticky: variant });
      expect(r.variant).toBe(variant);
      expect(r.reason).toBe("sticky");
    }
    const counts = new Map(variants.map((v) => [v.key, 0]));
    let outside = 0;
    for (let i = 0; i < perStep; i++) {
      const user = `u${next++}`;
      const r = assign(settings, { userId: user, sticky: null });
      if (!r.remember) {
        outside++;
        continue;
      }
      kept.set(user, r.variant);
      counts.set(r.variant, counts.get(r.variant)! + 1);
    }
    const entered = perStep - outside;
    expect(entered / perStep).toBeCloseTo(step.coverage ?? 1, 1);
    // Variants the step gives no share get no new user; the others split by the step's weights.
    const live = variants.filter((v) => weights[v.key] > 0);
    for (const v of variants) if (weights[v.key] === 0) expect(counts.get(v.key)).toBe(0);
    if (live.length >= 2) {
      const test = chiSquareGoodnessOfFit(
        live.map((v) => counts.get(v.key)!),
        live.map((v) => weights[v.key]),
      );
      pValues.push(test.pValue);
      expect(test.pValue).toBeGreaterThan(0.001);
    }
  }
  return { kept, pValues };
}

describe("ramp plans", () => {
  const ab: RampVariant[] = [
    { key: "A", isControl: true, weight: 50 },
    { key: "B", isControl: false, weight: 50 },
  ];

  it("the canary's steps give the treatment 1, 5, 25, 50 then 100% of new users", () => {
    expect(RAMP_PRESETS.canary.map((s) => stepWeights(ab, s))).toEqual([
      { A: 99, B: 1 },
      { A: 95, B: 5 },
      { A: 75, B: 25 },
      { A: 50, B: 50 },
      { A: 0, B: 100 },
    ]);
    // Two treatments share the treatment percent by their designed weights.
    const abc: RampVariant[] = [ab[0], { key: "B", isControl: false, weight: 30 }, { key: "C", isControl: false, weight: 10 }];
    expect(stepWeights(abc, { treatmentPercent: 20, minHours: 0, minSample: 0 })).toEqual({ A: 80, B: 15, C: 5 });
    // A coverage step keeps the designed weights.
    expect(stepWeights(ab, RAMP_PRESETS.coverage[0])).toEqual({ A: 50, B: 50 });
  });

  it("100,000 users across every canary step: no assigned user changes variant, new users split by the step", () => {
    const { kept, pValues } = climb(ab, RAMP_PRESETS.canary, 20_000);
    expect(kept.size).toBe(100_000);
    expect(pValues).toHaveLength(4); // the 100% step has one live variant
    // Everyone assigned at 1% to B is still in B at the end: 1% of the first 20,000, about 200.
    const firstB = [...kept].filter(([u, v]) => Number(u.slice(1)) < 20_000 && v === "B").length;
    expect(firstB).toBeGreaterThan(140);
    expect(firstB).toBeLessThan(260);
  });

  it("a coverage ramp with three variants: fewer users enter, never a reshuffle", () => {
    const abc: RampVariant[] = [
      { key: "A", isControl: true, weight: 34 },
      { key: "B", isControl: false, weight: 33 },
      { key: "C", isControl: false, weight: 33 },
    ];
    const { kept } = climb(abc, RAMP_PRESETS.coverage, 25_000);
    expect(kept.size).toBeGreaterThan(0.45 * 100_000);
  });

  it("says which new users a step adds: the bucket numbers a variant gains", () => {
    const keys = ["A", "B"];
    const from = { weights: [95, 5], coverage: 1 };
    const to = { weights: [75, 25], coverage: 1 };
    const added = addedRanges(keys, from, to);
    expect(added[0]).toEqual({ variant: "A", ranges: [], share: 0 });
    expect(added[1].variant).toBe("B");
    expect(added[1].ranges).toHaveLength(1);
    expect(added[1].ranges[0][0]).toBeCloseTo(0.75, 12);
    expect(added[1].ranges[0][1]).toBeCloseTo(0.95, 12);
    expect(added[1].share).toBeCloseTo(0.2, 12);
    // Checked on users: a new user whose bucket number is in [0.75, 0.95) went to A before the step and B after it.
    for (let i = 0; i < 2000; i++) {
      const n = bucketNumber("ramp-test", `x${i}`);
      const before = assign(settingsFor(ab, { A: 95, B: 5 }, 1), { userId: `x${i}` });
      const after = assign(settingsFor(ab, { A: 75, B: 25 }, 1), { userId: `x${i}` });
      const inAdded = n >= 0.75 && n < 0.95;
      expect(before.variant !== after.variant).toBe(inAdded);
    }
    // Coverage growing from 10% to 25% at 50/50: each variant gains the end of its range.
    const grown = addedRanges(keys, { weights: [50, 50], coverage: 0.1 }, { weights: [50, 50], coverage: 0.25 });
    expect(grown.map((g) => g.share.toFixed(4))).toEqual(["0.0750", "0.0750"]);
  });

  it("refuses a plan that goes down or sets nothing, naming the step", () => {
    expect(rampPlanIssues(RAMP_PRESETS.canary)).toEqual([]);
    expect(rampPlanIssues([])).toEqual([{ field: "steps", message: "a ramp needs at least one step" }]);
    const down = rampPlanIssues([
      { treatmentPercent: 5, minHours: 1, minSample: 10 },
      { treatmentPercent: 1, minHours: 1, minSample: 10 },
      { minHours: 1, minSample: 10 },
    ]);
    expect(down.map((i) => i.field)).toEqual(["steps.1.treatmentPercent", "steps.2"]);
    expect(down[0].message).toMatch(/step 2 \(1%\) is below step 1 \(5%\)/);
  });
});
