import { describe, expect, it } from "vitest";
import { confidenceSequenceHalfwidth, sequentialPValue, sequentialRho, sequentialTuning } from "@/lib/stats/sequential";
import { expectClose } from "../support/close";

// Reference values: numpy 1.24 evaluating gbstats' SequentialTwoSidedTTest formulas (Waudby-Smith et al. 2023, eq. 9,
// 155 and 161):
//   rho(alpha, N) = np.sqrt((-2*np.log(alpha) + np.log(-2*np.log(alpha) + 1)) / N)
//   hw(se, n, N, alpha): a = n*rho**2 + 1; np.sqrt(se**2*n) * np.sqrt(2*a*np.log(np.sqrt(a)/alpha) / (n*rho)**2)
//   pv(d, se, n, N, alpha): st2 = d**2*n/se**2; min(1, 1/(np.exp(rho**2*st2/(2*a)) / np.sqrt(a)))
describe("sequential testing (always-valid)", () => {
  it("rho from the tuning N", () => {
    expectClose(sequentialRho(0.05, 5000), 0.03984006677137368);
    expectClose(sequentialRho(0.05, 2000), 0.06299267656536578);
    expectClose(sequentialRho(0.1, 800), 0.08894422132224383);
  });

  it("half-width and p-value equal the python evaluation", () => {
    const cases: [number, number, number, number, number, number, number][] = [
      // d, se, n, N, alpha, hw(...), pv(...)
      [0.3, 0.1, 1000, 2000, 0.05, 0.30835687143683504, 0.06125556722733657],
      [0.05, 0.04, 400, 2000, 0.05, 0.13455550903131125, 0.9960158075702772],
      [0.3, 0.1, 20000, 2000, 0.05, 0.32417231454054385, 0.10532176572684532],
      [2.5, 0.6, 300, 800, 0.1, 1.725850431166063, 0.004089588608709655],
    ];
    for (const [d, se, n, N, alpha, hw, p] of cases) {
      expectClose(confidenceSequenceHalfwidth(se, n, N, alpha), hw);
      expectClose(sequentialPValue(d, se, n, N, alpha), p);
    }
  });

  it("is wider than the fixed-horizon interval and agrees with its own p at the boundary", () => {
    const hw = confidenceSequenceHalfwidth(0.1, 2000, 2000, 0.05);
    expect(hw).toBeGreaterThan(1.959963984540054 * 0.1);
    // A difference just inside the sequence is not significant; just outside, it is.
    expect(sequentialPValue(hw * 0.999, 0.1, 2000, 2000, 0.05)).toBeGreaterThan(0.05);
    expect(sequentialPValue(hw * 1.001, 0.1, 2000, 2000, 0.05)).toBeLessThan(0.05);
  });

  it("N is twice the plan's per-variant sample; no spread gives p = 1; huge evidence does not overflow", () => {
    expect(sequentialTuning(1872)).toBe(3744);
    expect(sequentialPValue(1, 0, 100, 200, 0.05)).toBe(1);
    const p = sequentialPValue(100, 0.01, 1e6, 2000, 0.05);
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThan(1e-300);
  });
});
