// Simulated A/A tests (and, with a planted effect, A/B tests) through compareMetric: the proof that the engine's false
// positive rate is what alpha says, that peeking at a fixed-horizon test inflates it, and that sequential mode does not.
// Pure: the randomness comes from the seed.
import normal from "@stdlib/stats-base-dists-normal";
import { compareMetric } from "./compare";
import type { ArmSummary } from "./compare.types";
import { normalSampler, seededRandom, type Random } from "./random";

export const AA_DEFAULTS = { tests: 2000, peeks: 1, seed: 1, meanBaseline: 10, sd: 1, proportionBaseline: 0.3 } as const;

export interface AaInput {
  tests: number;
  perVariant: number;
  metric: "mean" | "proportion";
  /** Looks at equally spaced sample sizes (perVariant k / peeks, k = 1..peeks); a test counts if any look is significant. */
  peeks: number;
  sequential: boolean;
  seed: number;
  /** Planted effect: shift of the treatment's mean in standard deviations (mean) or in absolute points (proportion). */
  effect: number | null;
  alpha: number;
  /** The control's mean (mean metric) or rate (proportion metric). */
  baseline: number;
  /** The metric's standard deviation (mean metric). */
  sd: number;
}

export interface AaResult {
  tests: number;
  alpha: number;
  /** Share of A/A tests found significant (at any look). */
  falsePositiveRate: number;
  /** Wilson 95% interval of that share. */
  ci95: [number, number];
  peeks: number;
  sequential: boolean;
  /** With a planted effect: the share of A/B tests found significant, and its Wilson 95% interval. */
  power?: number;
  powerCi95?: [number, number];
}

const Z95 = normal.quantile(0.975, 0, 1);

/** Wilson score interval for x successes in n trials at 95% (statsmodels proportion_confint(x, n, method="wilson")). */
export function wilsonInterval(x: number, n: number, z = Z95): [number, number] {
  if (n === 0) return [0, 1];
  const p = x / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** The sample sizes of the looks: ceil(perVariant k / peeks), k = 1..peeks, each at least 2. */
export function lookSizes(perVariant: number, peeks: number): number[] {
  return Array.from({ length: peeks }, (_, k) => Math.max(2, Math.ceil((perVariant * (k + 1)) / peeks)));
}

/** One arm's running sums: values are summed as deviations from the baseline so the variance keeps its digits. */
class RunningArm {
  n = 0;
  sum = 0;
  sumSquares = 0;
  constructor(
    readonly variant: string,
    readonly origin: number,
  ) {}
  add(x: number) {
    const d = x - this.origin;
    this.n++;
    this.sum += d;
    this.sumSquares += d * d;
  }
  summary(): ArmSummary {
    const m = this.sum / this.n;
    const variance = this.n > 1 ? Math.max(0, (this.sumSquares - this.sum * m) / (this.n - 1)) : 0;
    return { variant: this.variant, n: this.n, mean: this.origin + m, sd: Math.sqrt(variance), p50: null, p95: null, p99: null };
  }
}

/** Runs `tests` experiments with the treatment shifted by `shift` and counts those significant at any look. */
function countSignificant(input: AaInput, random: Random, shift: number): number {
  const draw =
    input.metric === "mean"
      ? (() => {
          const z = normalSampler(random);
          return (offset: number) => input.baseline + offset + input.sd * z();
        })()
      : (offset: number) => (random.next() < input.baseline + offset ? 1 : 0);
  const origin = input.metric === "mean" ? input.baseline : 0;
  const looks = lookSizes(input.perVariant, input.peeks);
  const sequential = input.sequential ? { nStar: input.perVariant } : null;
  let significant = 0;
  for (let test = 0; test < input.tests; test++) {
    const a = new RunningArm("A", origin);
    const b = new RunningArm("B", origin);
    for (const size of looks) {
      while (a.n < size) {
        a.add(draw(0));
        b.add(draw(shift));
      }
      const [c] = compareMetric({ kind: input.metric, control: "A", arms: [a.summary(), b.summary()], alpha: input.alpha, sequential });
      if (c.significant) {
        significant++;
        break;
      }
    }
  }
  return significant;
}

/** The false positive rate of `tests` A/A tests (and the power against the planted effect, when one is given). */
export function simulateAaTests(input: AaInput): AaResult {
  const fp = countSignificant(input, seededRandom(input.seed), 0);
  const result: AaResult = {
    tests: input.tests,
    alpha: input.alpha,
    falsePositiveRate: fp / input.tests,
    ci95: wilsonInterval(fp, input.tests),
    peeks: input.peeks,
    sequential: input.sequential,
  };
  if (input.effect !== null) {
    const shift = input.metric === "mean" ? input.effect * input.sd : input.effect;
    // Another stream for the A/B tests, so the A/A answer does not change when an effect is asked for.
    const hits = countSignificant(input, seededRandom((input.seed ^ 0x5bd1e995) >>> 0), shift);
    result.power = hits / input.tests;
    result.powerCi95 = wilsonInterval(hits, input.tests);
  }
  return result;
}
