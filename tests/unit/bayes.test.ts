import { describe, expect, it } from "vitest";
import { bayesianReading } from "@/lib/stats/bayes";
import { expectClose } from "../support/close";

// Reference values: scipy 1.10.1, GrowthBook's gbstats get_risk with a normal posterior N(mu, sigma^2):
//   ctw = scipy.stats.norm.sf(0, mu, sigma)
//   p_ctrl = norm.cdf(0.0, loc=mu, scale=sigma)
//   mn_neg = scipy.stats.truncnorm.mean(a=-np.inf, b=(0-mu)/sigma, loc=mu, scale=sigma)
//   mn_pos = scipy.stats.truncnorm.mean(a=(0-mu)/sigma, b=np.inf, loc=mu, scale=sigma)
//   risk = [(1 - p_ctrl) * mn_pos, -p_ctrl * mn_neg]   (loss of keeping the control, loss of shipping the treatment)
describe("Bayesian reading", () => {
  it("increase metric: chance to beat control and the expected loss of shipping equal scipy", () => {
    const cases: [number, number, number, number][] = [
      // mu, sigma, ctw, risk[1]
      [0.02, 0.015, 0.9087887802741321, 0.0006359267256225482],
      [-0.01, 0.03, 0.3694413401817636, 0.017627083428972158],
      [0.0789, 0.0287, 0.9970123060491515, 2.5882023644234052e-5],
    ];
    for (const [mu, sigma, ctw, loss] of cases) {
      const r = bayesianReading(mu, sigma, "increase");
      expectClose(r.chanceToBeat, ctw);
      expectClose(r.expectedLoss, loss);
    }
  });

  it("decrease metric: the chance is P(effect < 0) and the loss is gbstats' risk[0]", () => {
    // mu, sigma = 0.02, 0.015: 1 - ctw = 0.0912112197258679; risk[0] = 0.020635926725622547
    const r = bayesianReading(0.02, 0.015, "decrease");
    expectClose(r.chanceToBeat, 1 - 0.9087887802741321);
    expectClose(r.expectedLoss, 0.020635926725622547);
  });

  it("stays finite and non-negative far in the tail, and is exact without spread", () => {
    // mu, sigma = 0.5, 0.05: ctw 1.0, risk[1] 3.737280127296618e-26 (the formula's two terms cancel to ~1e-24 here)
    const far = bayesianReading(0.5, 0.05);
    expect(far.chanceToBeat).toBe(1);
    expect(far.expectedLoss).toBeGreaterThanOrEqual(0);
    expect(far.expectedLoss).toBeLessThan(1e-22);
    expect(bayesianReading(0.1, 0)).toEqual({ chanceToBeat: 1, expectedLoss: 0 });
    expect(bayesianReading(-0.1, 0)).toEqual({ chanceToBeat: 0, expectedLoss: 0.1 });
    expect(bayesianReading(0, 0)).toEqual({ chanceToBeat: 0.5, expectedLoss: 0 });
  });
});
