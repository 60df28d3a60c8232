// A Bayesian reading beside the frequentist one, as GrowthBook's effect engine (gbstats EffectBayesianABTest) with a flat
// prior: the effect's posterior is normal, N(estimate, se^2), the estimate and standard error being the frequentist ones.
import normal from "@stdlib/stats-base-dists-normal";
import type { Direction } from "./compare.types";

export interface BayesianReading {
  /** P(the treatment is better): P(effect > 0), or P(effect < 0) for a decrease metric. */
  chanceToBeat: number;
  /** Expected loss of shipping the treatment, in the effect's units: E[max(0, -effect)] (increase) or E[max(0, effect)] (decrease). */
  expectedLoss: number;
}

/**
 * chanceToBeat = Phi(sign mu / sigma); expectedLoss = sigma phi(mu / sigma) - sign mu Phi(-sign mu / sigma), with sign = +1
 * for increase, -1 for decrease: the mean of the effect's part on the worse side of 0, which is gbstats get_risk's
 * treatment risk -P(effect < 0) E[effect | effect < 0]. With sigma = 0 the effect is known: chance 1, 0 or 1/2.
 */
export function bayesianReading(mu: number, sigma: number, direction: Direction = "increase"): BayesianReading {
  const sign = direction === "increase" ? 1 : -1;
  const m = sign * mu;
  if (!(sigma > 0)) return { chanceToBeat: m > 0 ? 1 : m < 0 ? 0 : 0.5, expectedLoss: Math.max(0, -m) };
  const z = m / sigma;
  return {
    chanceToBeat: normal.cdf(z, 0, 1),
    expectedLoss: Math.max(0, sigma * normal.pdf(z, 0, 1) - m * normal.cdf(-z, 0, 1)),
  };
}
