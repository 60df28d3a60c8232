import { describe, expect, it } from "vitest";
import { benjaminiHochbergAdjust, holmAdjust } from "@/lib/stats/multipleComparisons";
import { expectClose } from "../support/close";

// Reference values: statsmodels 0.13.5, statsmodels.stats.multitest.multipletests(p, method=...)[1].tolist()
const each = (actual: number[], expected: number[]) => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expectClose(a, expected[i]));
};

describe("multiple-comparison corrections", () => {
  const p = [0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.6];
  const p2 = [0.001, 0.0125, 0.04, 0.045, 0.3];

  it("Holm equals multipletests(method='holm')", () => {
    // multipletests([0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.6], method='holm')
    each(holmAdjust(p), [0.06, 0.16, 0.15, 0.035, 0.4, 0.16, 0.6]);
    // multipletests([0.001, 0.0125, 0.04, 0.045, 0.3], method='holm')
    each(holmAdjust(p2), [0.005, 0.05, 0.12, 0.12, 0.3]);
  });

  it("Benjamini-Hochberg equals multipletests(method='fdr_bh')", () => {
    // multipletests([0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.6], method='fdr_bh')
    each(benjaminiHochbergAdjust(p), [0.035, 0.056, 0.056, 0.035, 0.23333333333333336, 0.056, 0.6]);
    // multipletests([0.001, 0.0125, 0.04, 0.045, 0.3], method='fdr_bh')
    each(benjaminiHochbergAdjust(p2), [0.005, 0.03125, 0.056249999999999994, 0.056249999999999994, 0.3]);
  });

  it("leaves a single p and an empty list as they are", () => {
    expect(holmAdjust([0.03])).toEqual([0.03]);
    expect(benjaminiHochbergAdjust([0.03])).toEqual([0.03]);
    expect(holmAdjust([])).toEqual([]);
  });
});
