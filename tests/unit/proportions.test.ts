import { describe, expect, it } from "vitest";
import { twoProportionZTest } from "@/lib/stats/proportions";
import { expectClose } from "../support/close";

// Reference values: scipy 1.10.1, statsmodels 0.13.5 (Debian 12's python3), with
// from statsmodels.stats.proportion import proportions_ztest, confint_proportions_2indep
describe("two-proportion z-test", () => {
  it("equals statsmodels: pooled z and p, unpooled Wald interval", () => {
    const r = twoProportionZTest({ n: 1000, successes: 130 }, { n: 1000, successes: 100 })!;
    expectClose(r.diff, 0.03);
    // proportions_ztest([130, 100], [1000, 1000]) -> (2.102740605622114, 0.03548845046647471)
    expectClose(r.statistic, 2.102740605622114);
    expectClose(r.pValue, 0.03548845046647471);
    // confint_proportions_2indep(130, 1000, 100, 1000, method='wald', compare='diff') -> (0.0020679344393763587, 0.057932065560623636)
    expectClose(r.ci95[0], 0.0020679344393763587);
    expectClose(r.ci95[1], 0.057932065560623636);
  });

  it("equals statsmodels on unequal sizes, at alpha 0.1", () => {
    const r = twoProportionZTest({ n: 210, successes: 45 }, { n: 1900, successes: 320 }, 0.1)!;
    // proportions_ztest([45, 320], [210, 1900]) -> (1.6674841775201057, 0.09541816803708748)
    expectClose(r.statistic, 1.6674841775201057);
    expectClose(r.pValue, 0.09541816803708748);
    // confint_proportions_2indep(45, 210, 320, 1900, method='wald', compare='diff', alpha=0.1)
    //   -> (-0.0028036259274938774, 0.09453294923576454)
    expectClose(r.ci95[0], -0.0028036259274938774);
    expectClose(r.ci95[1], 0.09453294923576454);
  });

  it("keeps its digits for a tiny p", () => {
    // proportions_ztest([600, 400], [1000, 1000]) -> (8.944271909999157, 3.744097384202925e-19)
    const r = twoProportionZTest({ n: 1000, successes: 600 }, { n: 1000, successes: 400 })!;
    expectClose(r.statistic, 8.944271909999157);
    expectClose(r.pValue, 3.744097384202925e-19);
  });

  it("has no answer for an empty side or a pooled rate of 0 or 1", () => {
    expect(twoProportionZTest({ n: 0, successes: 0 }, { n: 10, successes: 3 })).toBeNull();
    expect(twoProportionZTest({ n: 10, successes: 0 }, { n: 10, successes: 0 })).toBeNull();
    expect(twoProportionZTest({ n: 10, successes: 10 }, { n: 12, successes: 12 })).toBeNull();
  });
});
