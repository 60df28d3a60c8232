// Thompson-sampling allocation (lib/rollouts/thompson.ts), the bandit simulator (lib/rollouts/banditSim.ts) and
// `assay bandit`. Reference values, computed with scipy 1.10.1:
//   P(Beta(121, 881) > Beta(101, 901)) = integrate.quad(lambda x: beta.pdf(x, 121, 881) * beta.cdf(x, 101, 901), 0, 1)
//                                      = 0.923183
//   three arms Beta(101, 901), Beta(121, 881), Beta(111, 891): P(best) by the same integral with both other cdfs
//                                      = 0.046208, 0.726886, 0.226905
//   normal posteriors N(1.0, 1/150) and N(1.2, 1.5/150): P(second > first) = norm.cdf(0.2 / sqrt(1/150 + 1.5/150))
//                                      = 0.939332
import { describe, expect, it } from "vitest";
import { applyFloor, probabilityBest, seededUniform, thompsonWeights } from "@/lib/rollouts/thompson";
import { simulateBandit, type BanditSimOptions } from "@/lib/rollouts/banditSim";
import { assay } from "../support/cliInProcess";

const sim = (o: Partial<BanditSimOptions>): BanditSimOptions => ({
  arms: [0.1, 0.12],
  horizon: 20_000,
  batch: 500,
  floor: 0.01,
  seed: 1,
  runs: 40,
  kind: "proportion",
  sd: 1,
  minPerArm: 100,
  draws: 1000,
  ...o,
});

describe("Thompson weights", () => {
  it("P(best) of Beta posteriors matches the integral (scipy), for two and three arms", () => {
    const two = probabilityBest(
      [
        { kind: "proportion", n: 1000, successes: 100 },
        { kind: "proportion", n: 1000, successes: 120 },
      ],
      200_000,
      seededUniform(7),
    );
    expect(two[1]).toBeCloseTo(0.923183, 2);
    expect(two[0] + two[1]).toBeCloseTo(1, 12);
    const three = probabilityBest(
      [
        { kind: "proportion", n: 1000, successes: 100 },
        { kind: "proportion", n: 1000, successes: 120 },
        { kind: "proportion", n: 1000, successes: 110 },
      ],
      200_000,
      seededUniform(8),
    );
    expect(three[0]).toBeCloseTo(0.046208, 2);
    expect(three[1]).toBeCloseTo(0.726886, 2);
    expect(three[2]).toBeCloseTo(0.226905, 2);
  });

  it("P(best) of normal posteriors matches the normal cdf (scipy)", () => {
    const p = probabilityBest(
      [
        { kind: "mean", n: 150, mean: 1.0, variance: 1 },
        { kind: "mean", n: 150, mean: 1.2, variance: 1.5 },
      ],
      200_000,
      seededUniform(9),
    );
    expect(p[1]).toBeCloseTo(0.939332, 2);
  });

  it("stays equal until every arm has its minimum, then keeps the floor for a losing arm", () => {
    const arms = [
      { kind: "proportion" as const, n: 5000, successes: 250 },
      { kind: "proportion" as const, n: 99, successes: 50 },
    ];
    expect(thompsonWeights(arms, { seed: 1 })).toEqual([0.5, 0.5]);
    const w = thompsonWeights([arms[0], { ...arms[1], n: 5000, successes: 2500 }], { seed: 1, floor: 0.05 });
    // P(best) of the 5% arm is 0 to many decimals: it keeps exactly the floor.
    expect(w[0]).toBeCloseTo(0.05, 12);
    expect(w[1]).toBeCloseTo(0.95, 12);
    expect(applyFloor([0.2, 0.8], 0.01)).toEqual([0.01 + 0.98 * 0.2, 0.01 + 0.98 * 0.8]);
    // A floor above 1 / arms is an equal split.
    expect(applyFloor([0, 1], 0.9)).toEqual([0.5, 0.5]);
  });

  it("is seeded: the same seed gives the same weights, another seed others", () => {
    const arms = [
      { kind: "proportion" as const, n: 300, successes: 30 },
      { kind: "proportion" as const, n: 300, successes: 36 },
    ];
    expect(thompsonWeights(arms, { seed: 3 })).toEqual(thompsonWeights(arms, { seed: 3 }));
    expect(thompsonWeights(arms, { seed: 3 })).not.toEqual(thompsonWeights(arms, { seed: 4 }));
  });
});

describe("bandit simulator", () => {
  it("arms 0.10 / 0.12: the better arm passes 80% in most runs, the floor holds, and regret is below the equal split's", () => {
    const r = simulateBandit(sim({}));
    expect(r.bestArm).toBe(1);
    expect(r.runsBestOver80).toBeGreaterThanOrEqual(32); // most: at least 80% of the 40 seeded runs
    expect(r.smallestWeight).toBeGreaterThanOrEqual(0.01 - 1e-12);
    // The equal split's pseudo-regret is about horizon x (0.12 - 0.11) = 200.
    expect(r.fixedRegret).toBeGreaterThan(180);
    expect(r.fixedRegret).toBeLessThan(220);
    expect(r.regret).toBeLessThan(r.fixedRegret * 0.6);
    expect(r.runsBelowFixed).toBeGreaterThanOrEqual(36);
    expect(r.bestArmShare).toBeGreaterThan(0.6);
    expect(r.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    // The path: one point before each batch and one after the last, regret only ever growing.
    expect(r.path).toHaveLength(41);
    expect(r.path[0]).toMatchObject({ units: 0, regret: 0, weights: [0.5, 0.5] });
    expect(r.path.at(-1)!.units).toBe(20_000);
    for (let i = 1; i < r.path.length; i++) expect(r.path[i].regret).toBeGreaterThanOrEqual(r.path[i - 1].regret);
  });

  it("a mean goal on the normal model finds the better arm too; equal arms stay near an even split", () => {
    const m = simulateBandit(sim({ kind: "mean", arms: [1.0, 1.1], sd: 1, runs: 20 }));
    expect(m.bestArm).toBe(1);
    expect(m.weights[1]).toBeGreaterThan(0.7);
    const same = simulateBandit(sim({ arms: [0.1, 0.1], runs: 20 }));
    expect(same.regret).toBe(0);
    expect(same.weights[0]).toBeGreaterThan(0.3);
    expect(same.weights[0]).toBeLessThan(0.7);
  });

  it("is seeded: the same options give the same result", () => {
    expect(simulateBandit(sim({ runs: 5 }))).toEqual(simulateBandit(sim({ runs: 5 })));
    expect(simulateBandit(sim({ runs: 5, seed: 2 })).regret).not.toBe(simulateBandit(sim({ runs: 5 })).regret);
  });
});

describe("assay bandit", () => {
  it("prints the issue's JSON keys through the same allocation code", async () => {
    const out = await assay("bandit", "--arms", "0.10,0.12,0.11", "--horizon", "5000", "--runs", "10", "--json");
    expect(out.code, out.stderr).toBe(0);
    const r = JSON.parse(out.stdout);
    expect(r.policy).toBe("thompson");
    for (const k of ["regret", "fixedRegret", "bestArmShare"]) expect(typeof r[k]).toBe("number");
    expect(r.weights).toHaveLength(3);
    expect(r).toEqual(JSON.parse(JSON.stringify(simulateBandit(sim({ arms: [0.1, 0.12, 0.11], horizon: 5000, runs: 10 })))));
  });

  it.each([
    [["--arms", "0.1"], /--arms takes 2 to 20 comma-separated values/],
    [["--arms", "0.1,abc"], /--arms: value 2 \("abc"\) is not a number/],
    [["--arms", "0.1,1.5"], /value 2 \(1.5\) is not a rate from 0 to 1/],
    [["--arms", "0.1,0.2", "--horizon", "5"], /--horizon must be at least 10/],
    [["--arms", "0.1,0.2", "--batch", "0"], /--batch must be at least 1/],
    [["--arms", "0.1,0.2,0.3", "--floor", "0.4"], /--floor 0.4 for 3 arms is more than all the traffic/],
    [["--arms", "0.1,0.2", "--kind", "median"], /--kind must be proportion or mean/],
    [["--arms", "0.1,0.2", "--runs", "10000", "--horizon", "10000000", "--batch", "1"], /too large to simulate here/],
    [["--horizon", "100"], /required option '--arms <values>' not specified/],
  ])("exits 2 for %j: %s", async (args, message) => {
    const out = await assay("bandit", ...(args as string[]));
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(out.stdout).toBe("");
  });
});
