// Percentile-bootstrap confidence intervals for the difference of two samples' quantiles (Efron and Tibshirani, An
// Introduction to the Bootstrap, 1993, ch. 13), with an injected seed so the same seed gives the same interval.
import { quantileSorted } from "./quantile";
import { seededRandom } from "./random";

export const BOOTSTRAP_DEFAULTS = { resamples: 1000, seed: 1, confidence: 0.95 } as const;

export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
  confidence?: number;
  /** x[i] and y[i] are one unit measured twice: resample pairs, not each sample alone. */
  paired?: boolean;
}

/**
 * For each q in `qs`: the (1 - c) / 2 and (1 + c) / 2 quantiles (numpy linear) of quantile_q(y*) - quantile_q(x*) over
 * `resamples` resamples with replacement (x* and y* drawn independently, or as pairs when paired). Null for an empty side.
 */
export function bootstrapQuantileDifference(
  x: readonly number[],
  y: readonly number[],
  qs: readonly number[],
  options: BootstrapOptions = {},
): ([number, number] | null)[] {
  const resamples = options.resamples ?? BOOTSTRAP_DEFAULTS.resamples;
  const seed = options.seed ?? BOOTSTRAP_DEFAULTS.seed;
  const confidence = options.confidence ?? BOOTSTRAP_DEFAULTS.confidence;
  if (x.length === 0 || y.length === 0 || (options.paired && x.length !== y.length)) return qs.map(() => null);
  const random = seededRandom(seed);
  const draw = (n: number) => Math.floor(random.next() * n);
  const xs = new Float64Array(x.length);
  const ys = new Float64Array(y.length);
  const deltas = qs.map(() => new Float64Array(resamples));
  for (let b = 0; b < resamples; b++) {
    if (options.paired) {
      for (let i = 0; i < x.length; i++) {
        const k = draw(x.length);
        xs[i] = x[k];
        ys[i] = y[k];
      }
    } else {
      for (let i = 0; i < x.length; i++) xs[i] = x[draw(x.length)];
      for (let i = 0; i < y.length; i++) ys[i] = y[draw(y.length)];
    }
    xs.sort();
    ys.sort();
    qs.forEach((q, j) => (deltas[j][b] = quantileSorted(ys, q) - quantileSorted(xs, q)));
  }
  const tail = (1 - confidence) / 2;
  return deltas.map((d) => {
    d.sort();
    return [quantileSorted(d, tail), quantileSorted(d, 1 - tail)];
  });
}
