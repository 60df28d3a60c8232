import { describe, expect, it } from "vitest";
import { averageRanks, mannWhitneyU, rankSummary, rankSummaryFromSorted } from "@/lib/stats/mannWhitney";
import { expectClose } from "../support/close";

// Reference values: scipy 1.10.1,
//   scipy.stats.mannwhitneyu(control, treatment, alternative='two-sided', use_continuity=True, method='asymptotic')
// whose statistic is U for the first sample (the control).
const mwu = (control: number[], treatment: number[]) => {
  const s = rankSummary(control, treatment, "B");
  return { summary: s, result: mannWhitneyU(s, control.length, treatment.length)! };
};

describe("Mann-Whitney U", () => {
  it("average ranks equal scipy.stats.rankdata", () => {
    // scipy.stats.rankdata([1,2,2,3,3,3,4,5,5,6] + [2,3,4,4,5,6,6,7,8,8,9]).tolist()
    const ranks = [1, 3, 3, 6.5, 6.5, 6.5, 10, 13, 13, 16, 3, 6.5, 10, 10, 13, 16, 16, 18, 19.5, 19.5, 21];
    expect(Array.from(averageRanks([1, 2, 2, 3, 3, 3, 4, 5, 5, 6, 2, 3, 4, 4, 5, 6, 6, 7, 8, 8, 9]))).toEqual(ranks);
  });

  it("equals scipy with many ties", () => {
    // mannwhitneyu([1,2,2,3,3,3,4,5,5,6], [2,3,4,4,5,6,6,7,8,8,9], ...) -> statistic=23.5, pvalue=0.027640884214298913
    const { summary, result } = mwu([1, 2, 2, 3, 3, 3, 4, 5, 5, 6], [2, 3, 4, 4, 5, 6, 6, 7, 8, 8, 9]);
    expect(summary.u).toBe(23.5);
    // Tie groups in the pooled sample: 2 x3, 3 x4, 4 x3, 5 x3, 6 x3, 8 x2 -> sum(t^3 - t) = 24 + 60 + 24 + 24 + 24 + 6.
    expect(summary.tieTerm).toBe(162);
    expectClose(result.pValue, 0.027640884214298913);
  });

  it("equals scipy on integer samples of unequal size", () => {
    // rng = numpy.random.default_rng(7); c2 = rng.integers(0, 20, 60); t2 = rng.integers(2, 22, 45)
    const c2 = [
      18, 12, 13, 17, 11, 15, 16, 4, 1, 6, 5, 17, 18, 0, 9, 16, 2, 15, 2, 9, 16, 6, 6, 5, 14, 5, 19, 8, 9, 10, 11, 11, 10, 19, 16, 15, 14,
      12, 6, 19, 9, 4, 16, 3, 17, 12, 2, 0, 8, 0, 2, 10, 19, 9, 16, 18, 16, 12, 8, 10,
    ];
    const t2 = [
      7, 11, 9, 6, 21, 2, 3, 5, 21, 15, 19, 6, 16, 9, 11, 2, 14, 18, 15, 5, 12, 7, 21, 19, 5, 12, 20, 18, 16, 14, 2, 16, 11, 3, 6, 12, 16,
      12, 14, 19, 15, 9, 14, 13, 4,
    ];
    const { summary, result } = mwu(c2, t2);
    // mannwhitneyu(c2, t2, ...) -> statistic=1201.5, pvalue=0.3369502128791304
    expect(summary.u).toBe(1201.5);
    // _, cnt = numpy.unique(numpy.concatenate([c2, t2]), return_counts=True); (cnt**3 - cnt).sum() -> 4512
    expect(summary.tieTerm).toBe(4512);
    expectClose(result.pValue, 0.3369502128791304);
  });

  it("equals scipy without ties, and gives p = 1 for identical samples", () => {
    // mannwhitneyu([0.5,1.7,2.2,3.9,4.1], [2.5,3.3,4.8,5.1,6.0,7.7], ...) -> statistic=4.0, pvalue=0.05523425371806383
    const a = mwu([0.5, 1.7, 2.2, 3.9, 4.1], [2.5, 3.3, 4.8, 5.1, 6.0, 7.7]);
    expect(a.summary.u).toBe(4);
    expectClose(a.result.pValue, 0.05523425371806383);
    // mannwhitneyu([1,2,3,4], [1,2,3,4], ...) -> statistic=8.0, pvalue=1.0
    const b = mwu([1, 2, 3, 4], [1, 2, 3, 4]);
    expect(b.summary.u).toBe(8);
    expect(b.result.pValue).toBe(1);
  });

  it("the merge over sorted samples equals the ranks of the pooled sample", () => {
    const c = [5, 1, 3, 3, 9, 2];
    const t = [3, 4, 9, 9, 0];
    const ranks = averageRanks([...c, ...t]);
    const controlRankSum = Array.from(ranks.subarray(0, c.length)).reduce((s, r) => s + r, 0);
    const s = rankSummaryFromSorted(
      [...c].sort((x, y) => x - y),
      [...t].sort((x, y) => x - y),
      "B",
    );
    expect(s.u).toBe(controlRankSum - (c.length * (c.length + 1)) / 2);
  });

  it("is p = 1 when every value is tied, and has no answer for an empty side", () => {
    expect(mwu([2, 2, 2], [2, 2]).result.pValue).toBe(1);
    expect(mannWhitneyU({ u: 0, tieTerm: 0 }, 0, 3)).toBeNull();
  });
});
