// Thompson sampling as an allocation: each arm's weight is the posterior probability that it is the best arm,
// estimated from `draws` joint draws of the arms' posteriors (the batched form of Thompson sampling: a batch of new
// units is split by these weights, which is what one posterior draw per unit would do on average). Pure, seeded.
//
// - A proportion goal: Beta-Bernoulli, prior Beta(1, 1), posterior Beta(1 + successes, 1 + failures)
//   (Russo et al., "A Tutorial on Thompson Sampling", 2018, section 3).
// - A mean goal: a normal model, the mean's posterior N(mean, variance / n) under a flat prior (the same tutorial,
//   section 4.2, with the sample variance standing in for the known variance).
// - Until every arm has `minPerArm` units (default 100) the split stays equal: too little data to adapt on.
// - Every arm keeps at least `floor` (default 1%) of the traffic: w = floor + (1 - arms x floor) x P(best), so an arm
//   that looks bad early can still recover, and the experiment keeps measuring every arm.
import betaFactory from "@stdlib/random-base-beta";
import mt19937 from "@stdlib/random-base-mt19937";
import normalFactory from "@stdlib/random-base-normal";

export type ArmStats = { kind: "proportion"; n: number; successes: number } | { kind: "mean"; n: number; mean: number; variance: number };

export interface ThompsonOptions {
  /** Each arm's least share of traffic (default 0.01). */
  floor?: number;
  /** Units each arm needs before the weights move off an equal split (default 100). */
  minPerArm?: number;
  /** Joint posterior draws for P(best) (default 10,000). */
  draws?: number;
  /** Uniform [0, 1) source (default: a Mersenne Twister seeded with `seed`). */
  prng?: () => number;
  seed?: number;
}

export const DEFAULT_FLOOR = 0.01;
export const DEFAULT_MIN_PER_ARM = 100;

/** A seeded uniform [0, 1) source (MT19937), the one source every draw here comes from. */
export function seededUniform(seed: number): () => number {
  // The generator's `normalized` (a double in [0, 1) from 53 random bits) is there at run time; its types leave it out.
  const generator = mt19937.factory({ seed: Math.floor(seed) >>> 0 || 1 }) as unknown as { normalized: () => number };
  return generator.normalized;
}

/** The weights a floor leaves: floor + (1 - arms x floor) x share. A floor over 1 / arms is an equal split. */
export function applyFloor(shares: readonly number[], floor: number): number[] {
  const k = shares.length;
  const f = Math.min(Math.max(0, floor), 1 / k);
  return shares.map((p) => f + (1 - k * f) * p);
}

/** P(arm is best) for each arm, from `draws` joint draws of the posteriors (ties go to the first). */
export function probabilityBest(arms: readonly ArmStats[], draws: number, prng: () => number): number[] {
  const beta = betaFactory.factory({ prng });
  const normal = normalFactory.factory({ prng });
  const wins = new Array<number>(arms.length).fill(0);
  const sample = arms.map((a): (() => number) => {
    if (a.kind === "proportion") {
      const alpha = 1 + a.successes;
      const b = 1 + Math.max(0, a.n - a.successes);
      return () => beta(alpha, b);
    }
    // Fewer than 2 units: no spread to go on, so the posterior is very wide (it never wins by luck of a single value).
    const sd = a.n >= 2 ? Math.sqrt(Math.max(a.variance, 1e-12) / a.n) : 1e6;
    return () => normal(a.n >= 1 ? a.mean : 0, sd);
  });
  for (let d = 0; d < draws; d++) {
    let best = 0;
    let bestValue = -Infinity;
    for (let i = 0; i < sample.length; i++) {
      const v = sample[i]();
      if (v > bestValue) {
        bestValue = v;
        best = i;
      }
    }
    wins[best]++;
  }
  return wins.map((w) => w / draws);
}

/** The next allocation's weights (summing to 1): equal until every arm has minPerArm units, then P(best) with a floor. */
export function thompsonWeights(arms: readonly ArmStats[], opts: ThompsonOptions = {}): number[] {
  const k = arms.length;
  if (k === 0) return [];
  const equal = new Array<number>(k).fill(1 / k);
  if (arms.some((a) => a.n < (opts.minPerArm ?? DEFAULT_MIN_PER_ARM))) return equal;
  const prng = opts.prng ?? seededUniform(opts.seed ?? 1);
  return applyFloor(probabilityBest(arms, opts.draws ?? 10_000, prng), opts.floor ?? DEFAULT_FLOOR);
}
