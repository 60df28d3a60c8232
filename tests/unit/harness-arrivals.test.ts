import { describe, expect, it } from "vitest";
import kstest from "@stdlib/stats-kstest";
import { mean, standardDeviation } from "simple-statistics";
import { arrivalOffsets, traceOffsets } from "@/lib/harness/arrivals";

const gaps = (offsets: Float64Array) => Array.from(offsets, (t, i) => (i === 0 ? t : t - offsets[i - 1]));

describe("arrival processes", () => {
  it("the KS test agrees with scipy on a small sample (so the checks below mean what scipy's would)", () => {
    // /usr/bin/python3 -c "from scipy import stats; print(stats.kstest([0.1,0.5,0.9,1.3,0.2],'expon'))"
    // -> statistic=0.27253179303401254, pvalue=0.7686416270665897
    const r = kstest([0.1, 0.5, 0.9, 1.3, 0.2], "exponential", 1);
    expect(r.statistic).toBeCloseTo(0.27253179303401254, 12);
    expect(r.pValue).toBeCloseTo(0.7686416270665897, 12);
  });

  it("Poisson inter-arrival times are exponential with mean 1/rate (Kolmogorov-Smirnov)", () => {
    const rate = 250;
    for (const seed of [1, 2, 3]) {
      const offsets = arrivalOffsets({ process: "poisson", rate, seed }, { limit: 20_000 });
      expect(offsets.length).toBe(20_000);
      const g = gaps(offsets);
      const r = kstest(g, "exponential", rate);
      expect(r.pValue).toBeGreaterThan(0.01);
      expect(mean(g)).toBeGreaterThan((1 / rate) * 0.97);
      expect(mean(g)).toBeLessThan((1 / rate) * 1.03);
    }
    // The same test does see a wrong rate and a non-random schedule.
    const g = gaps(arrivalOffsets({ process: "poisson", rate, seed: 1 }, { limit: 20_000 }));
    expect(kstest(g, "exponential", rate * 1.1).pValue).toBeLessThan(1e-6);
    const constant = gaps(arrivalOffsets({ process: "constant", rate, seed: 1 }, { limit: 20_000 }));
    expect(kstest(constant.slice(1), "exponential", rate).pValue).toBeLessThan(1e-6);
  });

  it("gamma gaps have mean 1/rate and coefficient of variation 1/sqrt(burstiness); burstiness 1 is Poisson", () => {
    const rate = 100;
    for (const b of [0.25, 0.5, 1, 4]) {
      const g = gaps(arrivalOffsets({ process: "gamma", rate, burstiness: b, seed: 11 }, { limit: 60_000 }));
      const cv = standardDeviation(g) / mean(g);
      expect(Math.abs(mean(g) * rate - 1)).toBeLessThan(0.03);
      expect(Math.abs(cv * Math.sqrt(b) - 1)).toBeLessThan(0.05);
      // and their distribution is Gamma(shape b, rate b x rate) (the gamma CDF is slow: 10,000 gaps are plenty)
      expect(kstest(g.slice(0, 10_000), "gamma", b, b * rate).pValue).toBeGreaterThan(0.01);
    }
    const poissonLike = gaps(arrivalOffsets({ process: "gamma", rate, burstiness: 1, seed: 5 }, { limit: 20_000 }));
    expect(kstest(poissonLike, "exponential", rate).pValue).toBeGreaterThan(0.01);
  });

  it("constant: one every 1/rate from 0; a duration ends the schedule; the seed reproduces it exactly", () => {
    const c = arrivalOffsets({ process: "constant", rate: 4, seed: 1 }, { durationS: 2 });
    expect(Array.from(c)).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75]);
    const a = arrivalOffsets({ process: "poisson", rate: 50, seed: 9 }, { durationS: 10 });
    const b = arrivalOffsets({ process: "poisson", rate: 50, seed: 9 }, { durationS: 10 });
    const other = arrivalOffsets({ process: "poisson", rate: 50, seed: 10 }, { durationS: 10 });
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(other));
    expect(a[a.length - 1]).toBeLessThan(10);
    expect(Math.abs(a.length - 500)).toBeLessThan(100); // Poisson(500): sd 22
    for (let i = 1; i < a.length; i++) expect(a[i]).toBeGreaterThanOrEqual(a[i - 1]);
    expect(arrivalOffsets({ process: "poisson", rate: 50, seed: 9 }, { durationS: 10, limit: 7 }).length).toBe(7);
  });

  it("refuses a rate, burstiness or limit that cannot make a schedule", () => {
    expect(() => arrivalOffsets({ process: "poisson", rate: 0, seed: 1 }, { durationS: 1 })).toThrow(/rate must be a positive/);
    expect(() => arrivalOffsets({ process: "poisson", rate: Number.NaN, seed: 1 }, { durationS: 1 })).toThrow(/rate/);
    expect(() => arrivalOffsets({ process: "gamma", rate: 1, burstiness: -1, seed: 1 }, { durationS: 1 })).toThrow(/burstiness/);
    expect(() => arrivalOffsets({ process: "constant", rate: 1, seed: 1 }, {})).toThrow(/duration or a request count/);
  });

  it("trace timestamps: offsets from the first, divided by the time scale", () => {
    expect(Array.from(traceOffsets([100, 101, 103], 2))).toEqual([0, 0.5, 1.5]);
    expect(() => traceOffsets([1, 2], 0)).toThrow(/time scale/);
  });
});
