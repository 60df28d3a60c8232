import { describe, expect, it } from "vitest";
import { GrowthBook } from "@growthbook/growthbook";
import { assign, bucketNumber, bucketRanges, chooseRange, fnv1a32, patternProblem, type AssignmentSettings } from "@/lib/assignment";
import { chiSquareGoodnessOfFit } from "@/lib/stats/chiSquare";

function settings(over: Partial<AssignmentSettings> = {}): AssignmentSettings {
  return {
    key: "exp",
    running: true,
    hashingSalt: "exp",
    coverage: 1,
    variants: [
      { key: "control", weight: 50, isControl: true },
      { key: "treatment", weight: 50, isControl: false },
    ],
    forcedVariants: {},
    killSwitch: { on: false, variant: null },
    targeting: [],
    ...over,
  };
}

describe("hashing (GrowthBook version 2)", () => {
  it("gives the issue's reference values", () => {
    // Issue 8: seed "seed", user "a" -> 0.0505; "seed", "b" -> 0.2696; "foo", "ab" -> 0.2575.
    expect(bucketNumber("seed", "a")).toBe(0.0505);
    expect(bucketNumber("seed", "b")).toBe(0.2696);
    expect(bucketNumber("foo", "ab")).toBe(0.2575);
  });

  it("is 32-bit FNV-1a (the published test vectors)", () => {
    // Vectors from the FNV reference (isthe.com/chongo/tech/comp/fnv, "FNV-1a 32 bit test vectors").
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968);
  });

  it("hashes UTF-16 code units, as the SDKs do (an astral character is two units)", () => {
    const gb = new GrowthBook({ attributes: { id: "😀é" } });
    const r = gb.run({ key: "emoji", variations: [0, 1], hashVersion: 2 });
    expect(r.bucket).toBe(bucketNumber("emoji", "😀é"));
  });
});

describe("bucket ranges (GrowthBook's getBucketRanges)", () => {
  it("50/50 at coverage 1: n < 0.5 is the first variant", () => {
    expect(bucketRanges([50, 50], 1)).toEqual([
      [0, 0.5],
      [0.5, 1],
    ]);
    expect(chooseRange(0.4999, bucketRanges([50, 50]))).toBe(0);
    expect(chooseRange(0.5, bucketRanges([50, 50]))).toBe(1);
  });

  it("coverage shrinks each range from its start, so raising it never moves a covered user", () => {
    expect(bucketRanges([50, 50], 0.2)).toEqual([
      [0, 0.1],
      [0.5, 0.6],
    ]);
    expect(chooseRange(0.15, bucketRanges([50, 50], 0.2))).toBe(-1);
    for (let n = 0; n < 1; n += 0.001) {
      const low = chooseRange(n, bucketRanges([30, 70], 0.05));
      if (low >= 0) expect(chooseRange(n, bucketRanges([30, 70], 1))).toBe(low);
    }
  });

  const designs = [
    { weights: [50, 50], coverage: 1 },
    { weights: [90, 10], coverage: 1 },
    { weights: [34, 33, 33], coverage: 0.5 },
    { weights: [25, 25, 25, 25], coverage: 0.05 },
  ];
  for (const design of designs) {
    it(`matches the GrowthBook SDK user for user: weights ${design.weights.join("/")}, coverage ${design.coverage}`, () => {
      const fractions = design.weights.map((w) => w / 100);
      const s = settings({
        hashingSalt: "salt-x",
        coverage: design.coverage,
        variants: design.weights.map((w, i) => ({ key: `v${i}`, weight: w, isControl: i === 0 })),
      });
      const gb = new GrowthBook({ attributes: { id: "" } });
      let inside = 0;
      for (let i = 0; i < 10_000; i++) {
        const userId = `user-${i}`;
        gb.setAttributes({ id: userId });
        const theirs = gb.run({
          key: "k",
          seed: "salt-x",
          variations: fractions.map((_, j) => j) as [number, number, ...number[]],
          weights: fractions,
          coverage: design.coverage,
          hashVersion: 2,
        });
        const ours = assign(s, { userId });
        expect(ours.inExperiment).toBe(theirs.inExperiment);
        if (theirs.inExperiment) {
          inside++;
          expect(ours.variant).toBe(`v${theirs.variationId}`);
        }
      }
      expect(inside / 10_000).toBeCloseTo(design.coverage, 1);
    });
  }
});

describe("rules, in order", () => {
  it("a stopped or draft experiment sends everyone to the control, whatever else is set", () => {
    const r = assign(settings({ running: false, forcedVariants: { u: "treatment" }, killSwitch: { on: true, variant: "treatment" } }), {
      userId: "u",
    });
    expect(r).toEqual({ variant: "control", inExperiment: false, reason: "notRunning", remember: false });
  });

  it("a decided experiment ships its approved variant to everyone, outside the analysis; an unknown shipped key falls back to the control", () => {
    const shipped = settings({
      running: false,
      shipped: "treatment",
      forcedVariants: { u: "control" },
      killSwitch: { on: true, variant: "control" },
    });
    for (const userId of ["u", "v", "w"])
      expect(assign(shipped, { userId, sticky: "control" })).toEqual({
        variant: "treatment",
        inExperiment: false,
        reason: "shipped",
        remember: false,
      });
    expect(assign(settings({ running: false, shipped: "gone" }), { userId: "u" })).toMatchObject({
      variant: "control",
      reason: "notRunning",
    });
    // While it runs, a shipped key changes nothing (it is only set once decided).
    expect(assign(settings({ running: true, shipped: "treatment", forcedVariants: { u: "control" } }), { userId: "u" }).reason).toBe(
      "forced",
    );
  });

  it("the kill switch wins over a forced user and a kept assignment, and can name a variant", () => {
    const base = { forcedVariants: { u: "treatment" } };
    expect(assign(settings({ ...base, killSwitch: { on: true, variant: null } }), { userId: "u", sticky: "treatment" })).toMatchObject({
      variant: "control",
      reason: "killSwitch",
      inExperiment: false,
    });
    expect(assign(settings({ killSwitch: { on: true, variant: "treatment" } }), { userId: "u" }).variant).toBe("treatment");
  });

  it("a forced user gets that variant and is not counted; a forced variant that no longer exists is ignored", () => {
    expect(assign(settings({ forcedVariants: { qa: "treatment" } }), { userId: "qa" })).toEqual({
      variant: "treatment",
      inExperiment: false,
      reason: "forced",
      remember: false,
    });
    expect(assign(settings({ forcedVariants: { qa: "gone" } }), { userId: "qa" }).reason).not.toBe("forced");
    // Object.prototype names are user ids like any other, not inherited entries.
    expect(assign(settings(), { userId: "constructor" }).reason).toBe("hash");
  });

  it("a kept assignment wins over targeting and over a weight change", () => {
    const s = settings({ targeting: [{ attribute: "plan", operator: "equals", value: "pro" }] });
    expect(assign(s, { userId: "u", sticky: "treatment", attributes: { plan: "free" } })).toMatchObject({
      variant: "treatment",
      reason: "sticky",
      inExperiment: true,
    });
  });

  it("targeting: equals, in, not in and regex on attributes; all must hold", () => {
    const s = settings({
      targeting: [
        { attribute: "plan", operator: "in", value: ["pro", "team"] },
        { attribute: "country", operator: "notIn", value: ["FR"] },
        { attribute: "email", operator: "regex", value: "@acme\\.com$" },
        { attribute: "beta", operator: "equals", value: "true" },
      ],
    });
    const ok = { plan: "pro", country: "DE", email: "a@acme.com", beta: true };
    expect(assign(s, { userId: "u", attributes: ok }).reason).toBe("hash");
    expect(assign(s, { userId: "u", attributes: { ...ok, plan: "free" } }).reason).toBe("notTargeted");
    expect(assign(s, { userId: "u", attributes: { ...ok, country: "FR" } }).reason).toBe("notTargeted");
    expect(assign(s, { userId: "u", attributes: { ...ok, email: "a@acme.org" } }).reason).toBe("notTargeted");
    expect(assign(s, { userId: "u", attributes: { ...ok, beta: false } }).reason).toBe("notTargeted");
    const { country: _omit, ...noCountry } = ok;
    expect(assign(s, { userId: "u", attributes: noCountry }).reason).toBe("hash");
    expect(assign(s, { userId: "u", attributes: { country: "DE" } })).toMatchObject({
      variant: "control",
      inExperiment: false,
      reason: "notTargeted",
    });
  });

  it("a first hash assignment asks to be remembered; outside the coverage it does not", () => {
    expect(assign(settings(), { userId: "u1" }).remember).toBe(true);
    const out = assign(settings({ hashingSalt: "seed", coverage: 0.1 }), { userId: "b" }); // n = 0.2696 (above)
    expect(out).toEqual({ variant: "control", inExperiment: false, reason: "hash", remember: false });
  });
});

describe("targeting patterns", () => {
  it("refuses invalid, overlong and exponential patterns, accepts ordinary ones", () => {
    expect(patternProblem("@acme\\.com$")).toBeNull();
    expect(patternProblem("(")).toMatch(/not a valid regular expression/);
    expect(patternProblem("a".repeat(201))).toMatch(/longer than 200/);
    expect(patternProblem("(a+)+$")).toMatch(/exponential time/);
    expect(patternProblem("(x*)*y")).toMatch(/exponential time/);
  });
});

describe("chi-square goodness of fit", () => {
  it("equals scipy.stats.chisquare", () => {
    // scipy 1.17.1: chisquare([5030, 4970]) -> statistic 0.36, pvalue 0.5485062355001471
    const a = chiSquareGoodnessOfFit([5030, 4970], [1, 1]);
    expect(a.statistic).toBeCloseTo(0.36, 12);
    expect(a.pValue).toBeCloseTo(0.5485062355001471, 10);
    // chisquare([900, 2100, 7000], [1000, 2000, 7000]) -> statistic 15.0, pvalue 0.0005530843701478337
    const b = chiSquareGoodnessOfFit([900, 2100, 7000], [10, 20, 70]);
    expect(b.statistic).toBeCloseTo(15, 10);
    expect(b.pValue).toBeCloseTo(0.0005530843701478337, 12);
    // chisquare([3300, 3350, 3350]) -> pvalue 0.7788007830714049
    expect(chiSquareGoodnessOfFit([3300, 3350, 3350], [1, 1, 1]).pValue).toBeCloseTo(0.7788007830714049, 10);
  });

  it("100,000 users split as the weights say (p > 0.001), for 50/50 and 90/10", () => {
    for (const weights of [
      [50, 50],
      [90, 10],
      [20, 30, 50],
    ]) {
      const s = settings({ variants: weights.map((w, i) => ({ key: `v${i}`, weight: w, isControl: i === 0 })) });
      const counts = weights.map(() => 0);
      for (let i = 0; i < 100_000; i++) counts[Number(assign(s, { userId: `u${i}` }).variant.slice(1))]++;
      expect(chiSquareGoodnessOfFit(counts, weights).pValue).toBeGreaterThan(0.001);
    }
  });
});
