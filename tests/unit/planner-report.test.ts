// lib/planner/report: the planner's plan + table + inverse in one object.
// Expected numbers for the guide's example (seeds/001, plan_ab_test: baseline 0.76, MDE 5%, 2,000/day):
// statsmodels 0.13.5 zt_ind_solve_power(effect_size=0.0915838150994437, alpha=0.05, power=0.8, ratio=1.0,
// alternative='two-sided') = 1871.54013409 (brentq at its default tolerance); the exact root of the power
// equation is 1871.5401335527515 (see tests/unit/power.test.ts), so n = 1872 per variant, 3,744 total, 2 days.
// The guide's own printout says 1,873.
import { describe, expect, it } from "vitest";
import { mdeForDays, mdeTable, planSampleSize, PlanInputError, type PlanInput } from "@/lib/stats/power";
import { inverseForDays, planDirection, planReport, planRequestSchema, planTable, relativeMdeOf, TABLE_MDES } from "@/lib/planner/report";

const guide: PlanInput = { metric: "proportion", baseline: 0.76, mde: 0.05, dailyTraffic: 2000 };

describe("planReport", () => {
  it("gives the guide's example: 1,872 per variant, 3,744 total, 2 days", () => {
    const { plan, table, relativeMde, inverse } = planReport(guide);
    expect(plan.effectSize).toBeCloseTo(0.0915838150994437, 14);
    expect(Math.abs(plan.nExact - 1871.5401335527515) / 1871.5401335527515).toBeLessThan(1e-12);
    expect(plan.perVariant).toBe(1872);
    expect(plan.total).toBe(3744);
    expect(plan.days).toBe(2);
    expect(relativeMde).toBe(0.05);
    expect(inverse).toBeUndefined();
    expect(table.map((r) => r.mde)).toEqual([...TABLE_MDES]);
    expect(table.map((r) => r.current)).toEqual([false, false, true, false, false]);
    expect(table[2]).toMatchObject({ feasible: true, perVariant: 1872, total: 3744, days: 2 });
  });

  it("adds the inverse for days, equal to mdeForDays with the plan's inputs", () => {
    const { inverse } = planReport(guide, { days: 7 });
    const expected = mdeForDays({ metric: "proportion", baseline: 0.76, dailyTraffic: 2000, days: 7 });
    expect(inverse).toEqual({ days: 7, ...expected });
    expect(inverse!.perVariant).toBe(7000); // floor(7 · 2000 · 1 / 2)
    // Round trip: planning at the detectable MDE needs at most the 7,000 the days give.
    expect(planSampleSize({ ...guide, mde: inverse!.mde }).perVariant).toBeLessThanOrEqual(7000);
  });

  it("plans a decrease when the MDE is negative: table and inverse follow the sign", () => {
    const input: PlanInput = { ...guide, mde: -0.05 };
    const { plan, table, inverse } = planReport(input, { days: 7 });
    expect(plan.perVariant).toBe(planSampleSize(input).perVariant);
    expect(table.map((r) => r.mde)).toEqual(TABLE_MDES.map((m) => -m));
    expect(table.find((r) => r.current)!.perVariant).toBe(plan.perVariant);
    expect(inverse!.mde).toBeLessThan(0);
    expect(inverse!.mde).toBeCloseTo(
      mdeForDays({ metric: "proportion", baseline: 0.76, dailyTraffic: 2000, days: 7, decrease: true }).mde,
      12,
    );
  });

  it("keeps the table relative when the MDE is absolute, and marks the matching row", () => {
    const input: PlanInput = { ...guide, mde: 0.038, mdeAbsolute: true }; // 0.76 -> 0.798 = +5% relative
    const { plan, table, relativeMde } = planReport(input);
    expect(relativeMde).toBeCloseTo(0.05, 12);
    expect(plan.perVariant).toBe(1872);
    expect(table.map((r) => r.mde)).toEqual([...TABLE_MDES]);
    expect(table.find((r) => r.current)?.mde).toBe(0.05);
  });

  it("marks rows that push a proportion outside (0, 1) as infeasible", () => {
    const rows = planTable({ ...guide, baseline: 0.9 }); // 0.9 · 1.15 > 1
    expect(rows.map((r) => r.feasible)).toEqual([true, true, true, true, false]); // 0.9 · 1.1 = 0.99 is still a proportion
    expect(rows[4]).toMatchObject({ perVariant: null, total: null, days: null });
    expect(rows.slice(0, 3).map((r) => r.perVariant)).toEqual(
      mdeTable({ ...guide, baseline: 0.9 }, [0.01, 0.02, 0.05]).map((r) => r.perVariant),
    );
  });

  it("handles a mean metric, and a zero baseline with an absolute MDE (no relative table)", () => {
    const mean: PlanInput = {
      metric: "mean",
      baseline: 1500,
      sd: 600,
      mde: -0.1,
      dailyTraffic: 5000,
      variants: 3,
      correction: "bonferroni",
    };
    const { plan, table } = planReport(mean);
    expect(plan).toEqual(planSampleSize(mean));
    expect(plan.alphaPerComparison).toBeCloseTo(0.025, 15);
    expect(table).toHaveLength(5);
    const zero: PlanInput = { metric: "mean", baseline: 0, sd: 1, mde: 0.2, mdeAbsolute: true };
    expect(planReport(zero).table).toEqual([]);
    expect(relativeMdeOf(zero)).toBeNull();
  });

  it("names the field at fault", () => {
    const fieldOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        if (err instanceof PlanInputError) return err.field;
        throw err;
      }
      return null;
    };
    expect(fieldOf(() => planReport({ ...guide, baseline: 1.5 }))).toBe("baseline");
    expect(fieldOf(() => planReport({ ...guide, dailyTraffic: null }, { days: 7 }))).toBe("dailyTraffic");
    expect(fieldOf(() => inverseForDays({ ...guide, dailyTraffic: 10 }, 0.05))).toBe("days"); // under 1 unit per variant
  });

  it("reads the direction from the sign of target - baseline", () => {
    expect(planDirection({ baseline: 0.76, mde: 0.05 })).toBe(1);
    expect(planDirection({ baseline: 0.76, mde: -0.05 })).toBe(-1);
    expect(planDirection({ baseline: -5, mde: 0.05 })).toBe(-1); // -5 · 1.05 = -5.25
    expect(planDirection({ baseline: -5, mde: 0.5, mdeAbsolute: true })).toBe(1);
  });
});

describe("planRequestSchema", () => {
  it("accepts the plan input plus days, with the schema's defaults", () => {
    const parsed = planRequestSchema.parse({ metric: "proportion", baseline: 0.76, mde: 0.05, dailyTraffic: 2000, days: 7 });
    // variants stays unset so that weights can give the number of arms; the planner defaults it to 2.
    expect(parsed).toMatchObject({ days: 7, alpha: 0.05, power: 0.8, coverage: 1, correction: "none", effectSize: "guide" });
    expect(parsed.variants).toBeUndefined();
  });

  it("names days and the plan fields in its messages", () => {
    const issues = planRequestSchema.safeParse({ metric: "proportion", baseline: 1.5, mde: 0.05, days: -1 }).error!.issues;
    expect(issues.map((i) => [i.path[0], i.message])).toEqual(
      expect.arrayContaining([
        ["baseline", expect.stringMatching(/^baseline must be between 0 and 1/)],
        ["days", "days must be a positive number, got -1"],
      ]),
    );
    expect(planRequestSchema.safeParse({ metric: "proportion", baseline: 0.5, mde: 0.05, days: "7" }).error!.issues[0].message).toBe(
      'days must be a number, got "7"',
    );
  });
});
