// Arrival processes: when each request of an open-loop run is due, as offsets in seconds from the run's start. Every
// offset is computed before the run begins (the scheduler sends at start + offset on the absolute clock, never after a
// chain of relative sleeps), and a seed reproduces the schedule exactly.
//
// - constant: one request every 1/rate s.
// - poisson: exponential gaps of mean 1/rate.
// - gamma: gaps from Gamma(shape = burstiness, rate = burstiness x rate), mean 1/rate, coefficient of variation
//   1/sqrt(burstiness); burstiness 1 is Poisson, below 1 burstier, above 1 steadier (vLLM's --burstiness).
// - trace: the trace's own timestamps, divided by a time scale (2 replays twice as fast).
import gammaDistribution from "@stdlib/random-base-gamma";
import { exponential, seededRandom } from "@/lib/stats/random";

export const ARRIVAL_PROCESSES = ["constant", "poisson", "gamma"] as const;
export type ArrivalProcess = (typeof ARRIVAL_PROCESSES)[number];

export interface ArrivalSettings {
  process: ArrivalProcess;
  /** Requests per second (the mean rate). */
  rate: number;
  /** Gamma shape (only for "gamma"; 1 = Poisson). */
  burstiness?: number;
  seed: number;
}

/**
 * Offsets (s) of the requests that arrive before `durationS` (and at most `limit` of them): the first at 0 for
 * "constant", after one random gap for "poisson" and "gamma" (a random stream has no arrival pinned at 0).
 */
export function arrivalOffsets(settings: ArrivalSettings, limits: { durationS?: number; limit?: number }): Float64Array {
  const { rate } = settings;
  if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`The request rate must be a positive number, got ${rate}.`);
  const durationS = limits.durationS ?? Infinity;
  const limit = limits.limit ?? Infinity;
  if (!Number.isFinite(durationS) && !Number.isFinite(limit)) throw new RangeError("A schedule needs a duration or a request count.");
  const expected = Math.min(limit, Number.isFinite(durationS) ? Math.ceil(durationS * rate * 1.2) + 16 : limit);
  let out = new Float64Array(Math.max(16, Math.min(expected, 50_000_000)));
  let n = 0;
  const gap = gapSampler(settings);
  let t = settings.process === "constant" ? 0 : gap();
  while (n < limit && t < durationS) {
    if (n === out.length) {
      const grown = new Float64Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    out[n++] = t;
    // constant: i / rate exactly (a running sum would drift and let one extra request in under the duration)
    t = settings.process === "constant" ? n / rate : t + gap();
  }
  return out.slice(0, n);
}

function gapSampler(settings: ArrivalSettings): () => number {
  const mean = 1 / settings.rate;
  if (settings.process === "constant") return () => mean;
  const random = seededRandom(settings.seed);
  if (settings.process === "poisson") return () => exponential(random, mean);
  const shape = settings.burstiness ?? 1;
  if (!(shape > 0) || !Number.isFinite(shape)) throw new RangeError(`The burstiness must be a positive number, got ${shape}.`);
  const draw = gammaDistribution.factory(shape, shape * settings.rate, { prng: () => random.next() });
  return () => draw();
}

/** A trace's timestamps scaled: offset = (timestamp - first) / timeScale. */
export function traceOffsets(timestamps: ArrayLike<number>, timeScale = 1): Float64Array {
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new RangeError(`The time scale must be a positive number, got ${timeScale}.`);
  const out = new Float64Array(timestamps.length);
  const first = timestamps.length > 0 ? timestamps[0] : 0;
  for (let i = 0; i < timestamps.length; i++) out[i] = (timestamps[i] - first) / timeScale;
  return out;
}
