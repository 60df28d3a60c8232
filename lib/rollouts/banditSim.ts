// The bandit simulator behind `assay bandit`: arms with known true rates (or means), units arriving in batches, each
// batch split by the allocation's weights (lib/rollouts/thompson.ts, the same code the rollout worker uses), every unit's
// outcome drawn from its arm, the posteriors updated after each batch. The reference in the same run is the fixed equal
// split on the same horizon. Regret is pseudo-regret: for each unit, the best arm's true value minus its own arm's,
// summed over the horizon (so it measures the allocation, not the luck of the outcomes). Pure and seeded: run r uses
// seed + r for Thompson and seed + r + 1,000,003 for the fixed split.
import normalFactory from "@stdlib/random-base-normal";
import { seededUniform, thompsonWeights, type ArmStats } from "./thompson";

export interface BanditSimOptions {
  /** Each arm's true conversion rate (proportion) or mean (mean). */
  arms: number[];
  horizon: number;
  batch: number;
  floor: number;
  seed: number;
  runs: number;
  kind: "proportion" | "mean";
  /** The outcomes' standard deviation (mean goal). */
  sd: number;
  minPerArm: number;
  /** Joint posterior draws per weight update. */
  draws: number;
}

export interface BanditPathPoint {
  /** Units allocated so far. */
  units: number;
  /** The weights the next batch gets, averaged over runs. */
  weights: number[];
  /** Cumulative pseudo-regret so far, averaged over runs: Thompson, and the fixed equal split. */
  regret: number;
  fixedRegret: number;
}

export interface BanditSimResult {
  policy: "thompson";
  kind: "proportion" | "mean";
  arms: number[];
  bestArm: number;
  horizon: number;
  batch: number;
  floor: number;
  runs: number;
  seed: number;
  /** Mean cumulative pseudo-regret over the runs. */
  regret: number;
  fixedRegret: number;
  /** regret / fixedRegret (below 1: Thompson lost less than the equal split). */
  regretRatio: number | null;
  /** Runs in which Thompson's regret was below the fixed split's. */
  runsBelowFixed: number;
  /** The share of all units that went to the best arm, averaged over runs. */
  bestArmShare: number;
  /** Runs in which the best arm's weight passed 0.8 within the horizon. */
  runsBestOver80: number;
  /** The smallest weight any arm got in any run (the floor holds when this is at least the floor, once adapting). */
  smallestWeight: number;
  /** The weights after the last batch (what the next unit would get), averaged over runs. */
  weights: number[];
  path: BanditPathPoint[];
}

export interface RunOutcome {
  regret: number;
  bestUnits: number;
  weightsAt: number[][];
  regretAt: number[];
  passed80: boolean;
  smallest: number;
}

/** One run: `weightsFor(stats)` gives each batch's weights; `uniform` drives the split and the outcomes. */
function runOnce(
  o: BanditSimOptions,
  best: number,
  uniform: () => number,
  weightsFor: ((stats: ArmStats[]) => number[]) | null,
): RunOutcome {
  const k = o.arms.length;
  const normal = normalFactory.factory({ prng: uniform });
  const n = new Array<number>(k).fill(0);
  const successes = new Array<number>(k).fill(0);
  const sum = new Array<number>(k).fill(0);
  const sumSq = new Array<number>(k).fill(0);
  const stats = (): ArmStats[] =>
    o.kind === "proportion"
      ? n.map((ni, i) => ({ kind: "proportion", n: ni, successes: successes[i] }))
      : n.map((ni, i) => {
          const mean = ni ? sum[i] / ni : 0;
          const variance = ni > 1 ? (sumSq[i] - ni * mean * mean) / (ni - 1) : 0;
          return { kind: "mean", n: ni, mean, variance };
        });
  const equal = new Array<number>(k).fill(1 / k);
  let regret = 0;
  let bestUnits = 0;
  let passed80 = false;
  let smallest = Infinity;
  const weightsAt: number[][] = [];
  const regretAt: number[] = [];
  for (let done = 0; done < o.horizon;) {
    const w = weightsFor ? weightsFor(stats()) : equal;
    weightsAt.push(w);
    if (w[best] > 0.8) passed80 = true;
    if (weightsFor && n.every((x) => x >= o.minPerArm)) smallest = Math.min(smallest, ...w);
    const size = Math.min(o.batch, o.horizon - done);
    for (let u = 0; u < size; u++) {
      // The unit's arm: the first whose cumulative weight passes a uniform draw.
      let x = uniform();
      let arm = 0;
      while (arm < k - 1 && x >= w[arm]) x -= w[arm++];
      n[arm]++;
      if (o.kind === "proportion") {
        if (uniform() < o.arms[arm]) successes[arm]++;
      } else {
        const y = normal(o.arms[arm], o.sd);
        sum[arm] += y;
        sumSq[arm] += y * y;
      }
      regret += o.arms[best] - o.arms[arm];
      if (arm === best) bestUnits++;
    }
    done += size;
    regretAt.push(regret);
  }
  // The weights the next unit would get, after the last batch's outcomes.
  weightsAt.push(weightsFor ? weightsFor(stats()) : equal);
  if (weightsAt[weightsAt.length - 1][best] > 0.8) passed80 = true;
  return { regret, bestUnits, weightsAt, regretAt, passed80, smallest };
}

/** The best arm: the highest true value (the first of equals). */
const bestOf = (arms: readonly number[]) => arms.reduce((b, v, i) => (v > arms[b] ? i : b), 0);

/** The runs one at a time (Thompson and the fixed split on run r), so a caller can show progress between them. */
export function* banditRuns(o: BanditSimOptions): Generator<{ thompson: RunOutcome; fixed: RunOutcome }> {
  const best = bestOf(o.arms);
  for (let r = 0; r < o.runs; r++) {
    const uniform = seededUniform(o.seed + r);
    const thompson = runOnce(o, best, uniform, (stats) =>
      thompsonWeights(stats, { floor: o.floor, minPerArm: o.minPerArm, draws: o.draws, prng: uniform }),
    );
    yield { thompson, fixed: runOnce(o, best, seededUniform(o.seed + r + 1_000_003), null) };
  }
}

/** Simulates `runs` runs of Thompson allocation and of the fixed equal split; the averages and the mean paths. */
export function simulateBandit(o: BanditSimOptions): BanditSimResult {
  return summarizeBandit(o, [...banditRuns(o)]);
}

/** The averages and mean paths of finished runs. */
export function summarizeBandit(o: BanditSimOptions, runs: { thompson: RunOutcome; fixed: RunOutcome }[]): BanditSimResult {
  const k = o.arms.length;
  const best = bestOf(o.arms);
  const ts = runs.map((r) => r.thompson);
  const fixed = runs.map((r) => r.fixed);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  // Point s: after s batches (the weights the next batch gets, the regret so far).
  const path: BanditPathPoint[] = ts[0].weightsAt.map((_, s) => ({
    units: Math.min(o.horizon, s * o.batch),
    weights: Array.from({ length: k }, (_, i) => mean(ts.map((t) => t.weightsAt[s][i]))),
    regret: s === 0 ? 0 : mean(ts.map((t) => t.regretAt[s - 1])),
    fixedRegret: s === 0 ? 0 : mean(fixed.map((t) => t.regretAt[s - 1])),
  }));
  const regret = mean(ts.map((t) => t.regret));
  const fixedRegret = mean(fixed.map((t) => t.regret));
  return {
    policy: "thompson",
    kind: o.kind,
    arms: o.arms,
    bestArm: best,
    horizon: o.horizon,
    batch: o.batch,
    floor: o.floor,
    runs: o.runs,
    seed: o.seed,
    regret,
    fixedRegret,
    regretRatio: fixedRegret > 0 ? regret / fixedRegret : null,
    runsBelowFixed: ts.filter((t, r) => t.regret < fixed[r].regret).length,
    bestArmShare: mean(ts.map((t) => t.bestUnits / o.horizon)),
    runsBestOver80: ts.filter((t) => t.passed80).length,
    smallestWeight: Math.min(...ts.map((t) => t.smallest)),
    weights: path[path.length - 1].weights,
    path,
  };
}
