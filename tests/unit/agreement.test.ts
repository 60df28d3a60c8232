// Judge-against-human agreement and pairwise statistics (lib/stats/agreement.ts) against reference values computed with
// Debian 12's python3: scikit-learn 1.2.1, scipy 1.10.1, statsmodels 0.13.5. Each expected value names its expression;
// `judge` and `human` are the arrays below.
import { describe, expect, it } from "vitest";
import {
  averageRanks,
  cohenKappa,
  cohenKappaOfMatrix,
  confusionMatrix,
  signTest,
  spearman,
  spearmanOfMatrix,
  wilsonInterval,
} from "@/lib/stats/agreement";
import { expectClose } from "../support/close";

const judge = [5, 4, 4, 3, 5, 2, 1, 4, 3, 5, 4, 2, 3, 3, 5, 1, 2, 4, 5, 3];
const human = [5, 5, 4, 3, 4, 2, 2, 3, 3, 5, 4, 1, 3, 2, 5, 1, 3, 4, 4, 3];
const thumbs = [1, 1, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 1];
const scale = [1, 2, 3, 4, 5];

describe("Cohen's kappa", () => {
  it("equals sklearn's cohen_kappa_score(judge, human, labels=[1..5], weights=None | 'linear' | 'quadratic')", () => {
    expectClose(cohenKappa(judge, human, { labels: scale }), 0.4871794871794872, 1e-12);
    expectClose(cohenKappa(judge, human, { labels: scale, weights: "linear" }), 0.7153024911032029, 1e-12);
    expectClose(cohenKappa(judge, human, { labels: scale, weights: "quadratic" }), 0.8734177215189873, 1e-12);
  });

  it("weighs by the whole scale when values are missing: cohen_kappa_score([2,3,4,4], [3,3,4,5], labels=[1..5], weights='quadratic')", () => {
    expectClose(cohenKappa([2, 3, 4, 4], [3, 3, 4, 5], { labels: scale, weights: "quadratic" }), 0.6923076923076923, 1e-12);
  });

  it("counts the confusion matrix as sklearn's confusion_matrix(judge, human, labels=[1..5]) and refuses ratings off the scale", () => {
    expect(confusionMatrix(judge, human, scale).matrix).toEqual([
      [1, 1, 0, 0, 0],
      [1, 1, 1, 0, 0],
      [0, 1, 4, 0, 0],
      [0, 0, 1, 3, 1],
      [0, 0, 0, 2, 3],
    ]);
    expect(() => confusionMatrix([1, 6], [1, 2], scale)).toThrow(/rating 6 is not one of the labels 1, 2, 3, 4, 5/);
    expect(() => confusionMatrix([1], [1, 2])).toThrow(/1 and 2 ratings/);
  });

  it("is 1 for perfect agreement and NaN when neither rater varies (no disagreement to expect)", () => {
    expect(cohenKappa([1, 2, 3], [1, 2, 3], { weights: "quadratic" })).toBe(1);
    expect(cohenKappa([3, 3, 3], [3, 3, 3])).toBeNaN();
  });
});

describe("Spearman's rank correlation", () => {
  it("equals scipy.stats.spearmanr(judge, human) and spearmanr(judge, thumbs), ties averaged", () => {
    const r = spearman(judge, human);
    expectClose(r.rho, 0.8922789771195997, 1e-12);
    expectClose(r.pValue, 1.2472008490326162e-7, 1e-9);
    const t = spearman(judge, thumbs);
    expectClose(t.rho, 0.8166982597207062, 1e-12);
    expectClose(t.pValue, 1.1167754421208665e-5, 1e-9);
  });

  it("ranks ties by their average rank (scipy.stats.rankdata([10, 20, 10, 30, 20, 10]) = [2, 4.5, 2, 6, 4.5, 2])", () => {
    expect(averageRanks([10, 20, 10, 30, 20, 10])).toEqual([2, 4.5, 2, 6, 4.5, 2]);
  });
});

describe("Wilson's interval and the sign test", () => {
  it("Wilson equals statsmodels' proportion_confint(count, nobs, 0.05, method='wilson')", () => {
    const cases: [number, number, [number, number]][] = [
      [37, 50, [0.6044684273515116, 0.841284725064476]],
      [0, 10, [0, 0.27753279986288926]],
      [10, 10, [0.7224672001371106, 1.0]],
      [512, 1000, [0.4810325544060909, 0.5428756033902558]],
    ];
    for (const [c, n, [lo, hi]] of cases) {
      const [a, b] = wilsonInterval(c, n);
      expectClose(a, lo, 1e-12);
      expectClose(b, hi, 1e-12);
    }
  });

  it("the sign test equals scipy.stats.binomtest(wins, wins + losses, 0.5).pvalue", () => {
    const cases: [number, number, number][] = [
      [14, 6, 0.11531829833984375],
      [30, 12, 0.007915897334896727],
      [0, 5, 0.0625],
      [5, 5, 1.0],
      [500, 460, 0.20810860073513476],
      [3, 0, 0.25],
    ];
    for (const [w, l, p] of cases) expectClose(signTest(w, l), p, 1e-10);
    expect(signTest(0, 0)).toBe(1);
  });
});

describe("from a table of counts (what SQL's GROUP BY judge, human gives)", () => {
  const table = confusionMatrix(judge, human, scale).matrix;

  it("kappa of the confusion matrix equals cohen_kappa_score(judge, human, labels=[1..5], weights=None | 'linear' | 'quadratic')", () => {
    expectClose(cohenKappaOfMatrix(table), 0.4871794871794872, 1e-12);
    expectClose(cohenKappaOfMatrix(table, "linear"), 0.7153024911032029, 1e-12);
    expectClose(cohenKappaOfMatrix(table, "quadratic"), 0.8734177215189873, 1e-12);
    // Transposed (rows the human's): kappa is symmetric.
    expectClose(
      cohenKappaOfMatrix(
        table[0].map((_, j) => table.map((r) => r[j])),
        "quadratic",
      ),
      0.8734177215189873,
      1e-12,
    );
  });

  it("Spearman of the table equals scipy.stats.spearmanr(judge, human) and spearmanr(judge, thumbs), with empty categories", () => {
    const r = spearmanOfMatrix(table);
    expectClose(r.rho, 0.8922789771195997, 1e-12);
    expectClose(r.pValue, 1.2472008490326162e-7, 1e-9);
    expect(r.n).toBe(20);
    // judge 1..5 (rows) against thumbs 0/1 (columns): a table need not be square.
    const thumbsTable = scale.map((s) => [0, 1].map((t) => judge.filter((j, i) => j === s && thumbs[i] === t).length));
    const t = spearmanOfMatrix(thumbsTable);
    expectClose(t.rho, 0.8166982597207062, 1e-12);
    expectClose(t.pValue, 1.1167754421208665e-5, 1e-9);
  });

  it("is NaN when a rater gives one value only or the table is empty, as the lists' versions are", () => {
    const one = [
      [0, 0, 0],
      [2, 3, 1],
      [0, 0, 0],
    ];
    expect(spearmanOfMatrix(one).rho).toBeNaN();
    expect(
      spearmanOfMatrix([
        [0, 0],
        [0, 0],
      ]).rho,
    ).toBeNaN();
    expect(
      cohenKappaOfMatrix(
        [
          [4, 0],
          [0, 0],
        ],
        "quadratic",
      ),
    ).toBeNaN();
  });
});
