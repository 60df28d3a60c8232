// The ramp's automatic check (lib/rollouts/guardrails.ts) on results shaped as the results engine gives them: a
// guardrail is breached only when the whole interval of the change lies past the scorecard's margin on the bad side
// (relative or absolute, for lower-is-better and higher-is-better metrics); a breach rolls back, a short step waits
// with the numbers, a healthy one advances.
import { describe, expect, it } from "vitest";
import { errorRateReadings, guardrailReading, rampCheck } from "@/lib/rollouts/guardrails";
import type { ExperimentResults, MetricResult } from "@/lib/results/types";
import type { Comparison } from "@/lib/stats/compare.types";

const comparison = (over: Partial<Comparison>): Comparison =>
  ({ variant: "B", diff: 0, relLift: 0, ci95: [0, 0], relCi95: [0, 0], note: null, ...over }) as Comparison;
const metric = (over: Partial<MetricResult>, c: Partial<Comparison>): MetricResult =>
  ({
    metric: "latency_ms",
    role: "GUARDRAIL",
    kind: "QUANTILE",
    quantile: 0.95,
    direction: "DECREASE",
    margin: 0.1,
    marginAbsolute: false,
    comparisons: [comparison(c)],
    ...over,
  }) as MetricResult;
const results = (metrics: MetricResult[], interactions: Record<string, number> = { A: 5000, B: 5000 }): ExperimentResults =>
  ({
    metrics,
    variants: Object.entries(interactions).map(([variant, n]) => ({ variant, interactions: n })),
  }) as ExperimentResults;
const step = { treatmentPercent: 5, minHours: 24, minSample: 1000 };
const started = new Date("2026-12-01T00:00:00Z");
const later = new Date("2026-12-02T06:00:00Z"); // 30 h on

describe("guardrail readings", () => {
  it("P95 latency 20-40% worse against a 10% margin is breached; 2-15% is not (the interval reaches under the limit)", () => {
    const bad = guardrailReading(metric({}, {}), comparison({ relCi95: [0.2, 0.4] }))!;
    expect(bad.breached).toBe(true);
    expect(bad.sentence).toBe("P95 latency_ms of B: +20.0% to +40.0% against the control (limit +10.0%), worse than the limit");
    expect(guardrailReading(metric({}, {}), comparison({ relCi95: [0.02, 0.15] }))!.breached).toBe(false);
  });

  it("a higher-is-better score is breached when its whole interval is below minus the margin", () => {
    const m = metric({ metric: "helpfulness", kind: "MEAN", quantile: null, direction: "INCREASE", margin: 0.05 }, {});
    expect(guardrailReading(m, comparison({ relCi95: [-0.2, -0.08] }))!).toMatchObject({ breached: true, limit: -0.05 });
    expect(guardrailReading(m, comparison({ relCi95: [-0.2, 0.01] }))!.breached).toBe(false);
  });

  it("an absolute margin reads the difference itself; no margin means worse than no change", () => {
    const errors = metric({ metric: "error", kind: "PROPORTION", quantile: null, margin: 0.01, marginAbsolute: true }, {});
    expect(guardrailReading(errors, comparison({ ci95: [0.015, 0.03] }))!).toMatchObject({
      breached: true,
      scale: "absolute",
      limit: 0.01,
    });
    expect(guardrailReading(errors, comparison({ ci95: [0.005, 0.03] }))!.breached).toBe(false);
    const noMargin = metric({ margin: null }, {});
    expect(guardrailReading(noMargin, comparison({ relCi95: [0.01, 0.05] }))!.breached).toBe(true);
    expect(guardrailReading(noMargin, comparison({ relCi95: [-0.01, 0.05] }))!.breached).toBe(false);
  });

  it("a comparison the engine could not test is left out", () => {
    expect(guardrailReading(metric({}, {}), comparison({ note: "too few values", relCi95: [1, 1] }))).toBeNull();
  });
});

describe("the ramp's check", () => {
  it("rolls back on a breach, whatever the time and sample", () => {
    const r = rampCheck(results([metric({}, { relCi95: [0.25, 0.35] })], { A: 10, B: 10 }), step, started, started);
    expect(r.action).toBe("rollback");
    expect(r.reason).toBe(
      "guardrail breached: P95 latency_ms of B: +25.0% to +35.0% against the control (limit +10.0%), worse than the limit",
    );
  });

  it("waits while the step is young or under-sampled, saying by how much", () => {
    const healthy = [metric({}, { relCi95: [-0.05, 0.04] })];
    expect(rampCheck(results(healthy), step, started, new Date("2026-12-01T03:00:00Z"))).toMatchObject({
      action: "wait",
      reason: "the step has run 3.0 of its 24 hours",
    });
    expect(rampCheck(results(healthy, { A: 9000, B: 420 }), step, started, later)).toMatchObject({
      action: "wait",
      reason: "under-sampled: B has 420 of the 1,000 interactions each variant needs",
    });
  });

  it("advances a healthy step that has its time and sample", () => {
    const r = rampCheck(results([metric({}, { relCi95: [-0.05, 0.04] })]), step, started, later);
    expect(r.action).toBe("advance");
    expect(r.reason).toMatch(
      /^the step ran 30\.0 h with at least 1,000 interactions per variant, and no guardrail is worse than its limit/,
    );
    expect(r.readings).toHaveLength(1);
  });
});

describe("the error rate, watched whatever the scorecard", () => {
  // Reference intervals (scipy, outside Assay): se = sqrt(pt(1-pt)/n + pc(1-pc)/n) with n = 2,000 each side;
  //   fixed:      (pt - pc) +- scipy.stats.norm.ppf(0.975) x se
  //   sequential: the confidence sequence of Waudby-Smith et al. (2023) eq. 9, N = 2 x nStar = 2,000, n = 4,000, alpha 0.05,
  //               computed in Python from the formula: rho = sqrt((-2 ln a + ln(-2 ln a + 1)) / N), a' = n rho^2 + 1,
  //               hw = sqrt(se^2 n) sqrt(2 a' ln(sqrt(a') / alpha) / (n rho)^2).
  const totals = (pt: number, sequential: boolean) =>
    ({
      control: "A",
      alpha: 0.05,
      sequential,
      sample: { plannedPerVariant: 1000 },
      metrics: [],
      variants: [
        { variant: "A", isControl: true, weight: 0.95, interactions: 2000, errorRate: 0.01 },
        { variant: "B", isControl: false, weight: 0.05, interactions: 2000, errorRate: pt },
      ],
    }) as unknown as ExperimentResults;

  it("reads 1% against 5% failures as breached, with the fixed or the peeking-safe interval", () => {
    const [fixed] = errorRateReadings(totals(0.05, false));
    expect(fixed.interval[0]).toBeCloseTo(0.0295, 6);
    expect(fixed.interval[1]).toBeCloseTo(0.0505, 6);
    expect(fixed.breached).toBe(true);
    const [seq] = errorRateReadings(totals(0.05, true));
    expect(seq.interval[0]).toBeCloseTo(0.023598938, 7);
    expect(seq.interval[1]).toBeCloseTo(0.056401062, 7);
    expect(seq.sentence).toBe(
      "error rate of B: +2.36 points to +5.64 points against the control (limit +1.00 points), worse than the limit",
    );
    expect(rampCheck(totals(0.05, true), step, started, later)).toMatchObject({ action: "rollback" });
  });

  it("does not roll back 1.8% against 1% (the interval reaches under the 1-point limit), nor compare with too little data", () => {
    const [close] = errorRateReadings(totals(0.018, false));
    expect(close.interval[0]).toBeCloseTo(0.000722, 6);
    expect(close.interval[1]).toBeCloseTo(0.015278, 6);
    expect(close.breached).toBe(false);
    const few = totals(0.5, false);
    (few.variants[1] as { interactions: number }).interactions = 29;
    expect(errorRateReadings(few)).toEqual([]);
  });
});
