import { describe, expect, it } from "vitest";
import samples from "../fixtures/quantile-samples.json";
import { quantileDifferenceTest, quantileSorted, quantileSummary, quantileTooFewValues, quantileVariance } from "@/lib/stats/quantile";
import { exponential, seededRandom } from "@/lib/stats/random";
import { expectClose } from "../support/close";

// Reference values: numpy 1.24 and scipy 1.10.1 on tests/fixtures/quantile-samples.json (made by its "source" line),
// applying the documented formula of lib/stats/quantile.ts in python:
//   z = scipy.stats.norm.ppf(0.975); h = z * np.sqrt(q * (1 - q) / n)
//   value, lower, upper = np.quantile(x, q), np.quantile(x, q - h), np.quantile(x, q + h)
//   var = (n - 1) / n * ((upper - lower) / (2 * z))**2; se = np.sqrt(var_t + var_c); d = value_t - value_c
//   p = 2 * scipy.stats.norm.sf(abs(d / se)); ci = d -/+ scipy.stats.norm.ppf(1 - alpha / 2) * se
const sorted = (x: number[]) => Float64Array.from(x).sort();
const control = sorted(samples.control);
const treatment = sorted(samples.treatment);

describe("quantiles", () => {
  it("interpolate like numpy.quantile", () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([10], 0.95)).toBe(10);
    expectClose(quantileSorted([1, 2, 3, 4, 10], 0.95), 8.8); // np.quantile([1,2,3,4,10], 0.95)
    expect(quantileSorted([], 0.5)).toBeNaN();
  });

  it("P95: each arm's order-statistic interval and the difference's test equal the python computation", () => {
    const c = quantileSummary(control, 0.95);
    const t = quantileSummary(treatment, 0.95);
    expectClose(c.value, 2484.4949999999963);
    expectClose(c.lower, 2307.6757667010406);
    expectClose(c.upper, 2798.2928493571235);
    expectClose(t.value, 2603.894999999999);
    expectClose(t.lower, 2386.889698299364);
    expectClose(t.upper, 3257.8791962532073);
    expectClose(quantileVariance(c, control.length), 15625.792843075153);
    const r = quantileDifferenceTest({ n: treatment.length, quantile: t }, { n: control.length, quantile: c })!;
    expectClose(r.se, 254.75045517193362);
    expectClose(r.statistic, 0.4686939613882871);
    expectClose(r.pValue, 0.6392884038802088);
    expectClose(r.ci95[0], -379.9017171821726);
    expectClose(r.ci95[1], 618.7017171821783);
    const r90 = quantileDifferenceTest({ n: treatment.length, quantile: t }, { n: control.length, quantile: c }, 0.1)!;
    expectClose(r90.ci95[0], -299.62721015709064);
    expectClose(r90.ci95[1], 538.4272101570963);
  });

  it("P50 equals the python computation", () => {
    const c = quantileSummary(control, 0.5);
    const t = quantileSummary(treatment, 0.5);
    expectClose(c.value, 540.4);
    expectClose(c.lower, 448.35442332879165);
    expectClose(c.upper, 648.2025629831481);
    expectClose(t.lower, 516.8615252252287);
    expectClose(t.upper, 651.7277035585556);
    expectClose(quantileVariance(c, control.length), 2592.7279573701244);
    const r = quantileDifferenceTest({ n: treatment.length, quantile: t }, { n: control.length, quantile: c })!;
    expectClose(r.diff, 50.1);
    expectClose(r.se, 61.43356642741019);
    expectClose(r.pValue, 0.41477753474260093);
    expectClose(r.ci95[0], -70.30757763957295);
    expectClose(r.ci95[1], 170.50757763957301);
  });

  it("refuses too few values for the interval (P95 needs n > 72, P99 n > 380), as gbstats", () => {
    expect(quantileTooFewValues(72, 0.95)).toBe(true);
    expect(quantileTooFewValues(73, 0.95)).toBe(false);
    expect(quantileTooFewValues(380, 0.99)).toBe(true);
    expect(quantileTooFewValues(381, 0.99)).toBe(false);
    const few = sorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const s = quantileSummary(few, 0.95);
    expect(quantileDifferenceTest({ n: 10, quantile: s }, { n: 10, quantile: s })).toBeNull();
  });

  it("covers the true difference about 95% of the time (seeded simulation, exponential latencies)", () => {
    // Both arms exponential with mean 1000 ms: the true P95 difference is 0. 600 simulated experiments of 1,000 per arm;
    // the binomial sd of a 95% rate over 600 is 0.9%, so the observed coverage must fall within [0.92, 0.98].
    const random = seededRandom(20260101);
    const draw = (n: number) => {
      const x = new Float64Array(n);
      for (let i = 0; i < n; i++) x[i] = exponential(random, 1000);
      return x.sort();
    };
    let covered = 0;
    const runs = 600;
    for (let k = 0; k < runs; k++) {
      const c = draw(1000);
      const t = draw(1000);
      const r = quantileDifferenceTest({ n: 1000, quantile: quantileSummary(t, 0.95) }, { n: 1000, quantile: quantileSummary(c, 0.95) })!;
      if (r.ci95[0] <= 0 && 0 <= r.ci95[1]) covered++;
    }
    const coverage = covered / runs;
    expect(coverage).toBeGreaterThanOrEqual(0.92);
    expect(coverage).toBeLessThanOrEqual(0.98);
  });
});
