// lib/planner/planForm: the planner form's text <-> plan input, with the shared schema's messages.
// Guide example numbers (seeds/001 plan_ab_test; statsmodels zt_ind_solve_power -> 1871.54, exact root
// 1871.5401335527515 per tests/unit/power.test.ts): 1,872 per variant, 3,744 total, 2 days.
import { describe, expect, it } from "vitest";
import { fieldsFromValues, GUIDE_EXAMPLE, readPlanForm, toggleMdeKind, type PlanFormFields } from "@/lib/planner/planForm";
import { mdeForDays, planSampleSize } from "@/lib/stats/power";

const guideFields = fieldsFromValues(GUIDE_EXAMPLE);
const read = (patch: Partial<PlanFormFields>) => readPlanForm({ ...guideFields, ...patch });

describe("fieldsFromValues", () => {
  it("shows the guide's example with the MDE and coverage in percent", () => {
    expect(guideFields).toEqual({
      metric: "proportion",
      baseline: "0.76",
      sd: "",
      mde: "5",
      mdeAbsolute: false,
      alpha: "0.05",
      power: "0.8",
      variants: "2",
      weights: "",
      bonferroni: false,
      effectSize: "guide",
      dailyTraffic: "2000",
      coverage: "100",
      days: "7",
    });
  });

  it("keeps an absolute MDE in the metric's units and hides float noise", () => {
    const fields = fieldsFromValues({ ...GUIDE_EXAMPLE, mde: 0.07, mdeAbsolute: false, coverage: 0.29 });
    expect(fields.mde).toBe("7"); // 0.07 * 100 = 7.000000000000001
    expect(fields.coverage).toBe("29"); // 0.29 * 100 = 28.999999999999996
    expect(fieldsFromValues({ ...GUIDE_EXAMPLE, mde: 0.038, mdeAbsolute: true }).mde).toBe("0.038");
  });
});

describe("readPlanForm", () => {
  it("plans the guide's example: 1,872 / 3,744 / 2 days, and the 7-day inverse", () => {
    const state = readPlanForm(guideFields);
    expect(state.errors).toEqual({});
    expect(state.values).toEqual(GUIDE_EXAMPLE);
    expect(state.report!.plan).toMatchObject({ perVariant: 1872, total: 3744, days: 2 });
    expect(Math.abs(state.report!.plan.nExact - 1871.5401335527515)).toBeLessThan(1e-9);
    expect(state.inverse!.mde).toBeCloseTo(mdeForDays({ metric: "proportion", baseline: 0.76, dailyTraffic: 2000, days: 7 }).mde, 12);
    expect(state.inverseError).toBeNull();
  });

  it("reads percent, thousands separators and a trailing % sign", () => {
    const state = read({ mde: "10 %", dailyTraffic: "2,000", coverage: "50%" });
    expect(state.values).toMatchObject({ mde: 0.1, dailyTraffic: 2000, coverage: 0.5 });
    expect(state.report!.plan.perVariant).toBe(planSampleSize({ metric: "proportion", baseline: 0.76, mde: 0.1 }).perVariant);
    expect(state.report!.plan.days).toBe(
      planSampleSize({ metric: "proportion", baseline: 0.76, mde: 0.1, dailyTraffic: 2000, coverage: 0.5 }).days,
    );
  });

  it("names the baseline when it is 1.5, and gives no plan", () => {
    const state = read({ baseline: "1.5" });
    expect(state.report).toBeNull();
    expect(state.errors.baseline).toBe("Baseline must be between 0 and 1 (exclusive) for a proportion metric, got 1.5");
    expect(Object.keys(state.errors)).toEqual(["baseline"]);
  });

  it.each([
    ["empty baseline", { baseline: "" }, "baseline", "Baseline is required"],
    ["text baseline", { baseline: "abc" }, "baseline", 'Baseline must be a number, got "abc"'],
    ["zero MDE", { mde: "0" }, "mde", "MDE must not be 0: a zero effect cannot be detected with any sample size"],
    ["MDE past 1", { mde: "50" }, "mde", "MDE pushes the proportion from 0.76 to 1.14, outside (0, 1); use a smaller MDE"],
    ["power 2", { power: "2" }, "power", "Power must be between 0 and 1 (exclusive), got 2"],
    ["coverage 150%", { coverage: "150" }, "coverage", "Coverage must be more than 0% and at most 100%, got 150%"],
    [
      "negative traffic",
      { dailyTraffic: "-5" },
      "dailyTraffic",
      "Daily traffic must be at least 1 a day (a number of interactions or users), got -5",
    ],
    ["mean without sd", { metric: "mean" as const }, "sd", 'Standard deviation is required when metric is "mean"'],
  ])("%s -> an error on that field", (_name, patch, field, message) => {
    const state = read(patch);
    expect(state.report).toBeNull();
    expect(state.errors[field as keyof typeof state.errors]).toBe(message);
  });

  it("plans without a duration when daily traffic is empty; the inverse then asks for it", () => {
    const state = read({ dailyTraffic: "" });
    expect(state.report!.plan.days).toBeNull();
    expect(state.inverse).toBeNull();
    expect(state.inverseError).toBe("Daily traffic is required to turn days into a sample size");
  });

  it("reports bad or too few days for the inverse without losing the plan", () => {
    expect(read({ days: "" })).toMatchObject({ inverse: null, inverseError: null });
    expect(read({ days: "-1" }).inverseError).toBe("Days must be a positive number, got -1");
    const tiny = read({ days: "0.0001" });
    expect(tiny.report!.plan.perVariant).toBe(1872);
    expect(tiny.inverseError).toMatch(/^Days give fewer than 1 unit per variant/);
  });

  it("plans a mean metric with Bonferroni and ignores Cohen's h for it", () => {
    const state = read({
      metric: "mean",
      baseline: "1500",
      sd: "600",
      mde: "-10",
      variants: "3",
      bonferroni: true,
      effectSize: "cohens-h",
    });
    expect(state.errors).toEqual({});
    expect(state.values).toMatchObject({ metric: "mean", sd: 600, correction: "bonferroni", effectSize: "guide" });
    expect(state.report!.plan).toEqual(
      planSampleSize({
        metric: "mean",
        baseline: 1500,
        sd: 600,
        mde: -0.1,
        variants: 3,
        correction: "bonferroni",
        dailyTraffic: 2000,
        coverage: 1,
        alpha: 0.05,
        power: 0.8,
      }),
    );
    expect(state.inverse!.mde).toBeLessThan(0);
  });
});

describe("toggleMdeKind", () => {
  it("converts 5% of 0.76 to an absolute 0.038 and back", () => {
    const absolute = toggleMdeKind(guideFields, true);
    expect(absolute).toMatchObject({ mdeAbsolute: true, mde: "0.038" });
    expect(readPlanForm(absolute).report!.plan.perVariant).toBe(1872);
    expect(toggleMdeKind(absolute, false)).toMatchObject({ mdeAbsolute: false, mde: "5" });
  });

  it("keeps the text when it cannot convert, and is a no-op for the current kind", () => {
    expect(toggleMdeKind({ ...guideFields, mde: "abc" }, true)).toMatchObject({ mdeAbsolute: true, mde: "abc" });
    expect(toggleMdeKind(guideFields, false)).toBe(guideFields);
  });
});
