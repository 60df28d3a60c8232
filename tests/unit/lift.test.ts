import { describe, expect, it } from "vitest";
import { relativeLift } from "@/lib/stats/lift";
import { expectClose } from "../support/close";

// Reference values: python3 (numpy 1.24, scipy 1.10.1) evaluating the delta-method formula of gbstats TTest.variance,
//   rel = (mt - mc) / mc; var = vt / mc**2 + mt**2 * vc / mc**4; ci = rel -/+ q * sqrt(var)
describe("relative lift (delta method)", () => {
  it("means: Welch df and Student's t quantile", () => {
    // nt, mt, st = 200, 4.1, 0.9; nc, mc, sc = 180, 3.8, 1.1; vt, vc = st**2/nt, sc**2/nc;
    // df = (vt+vc)**2/(vt**2/(nt-1)+vc**2/(nc-1)) = 346.5216607440086; q = scipy.stats.t.ppf(0.975, df)
    const vt = 0.9 ** 2 / 200;
    const vc = 1.1 ** 2 / 180;
    const r = relativeLift({ treatment: 4.1, control: 3.8, varTreatment: vt, varControl: vc }, 0.05, 346.5216607440086)!;
    expectClose(r.relLift, 0.07894736842105259);
    expectClose(r.se, 0.028677598511130716); // np.sqrt(var)
    expectClose(r.ci95[0], 0.02254330681440475); // rel - q*np.sqrt(var)
    expectClose(r.ci95[1], 0.13535143002770042); // rel + q*np.sqrt(var)
  });

  it("proportions: p (1 - p) / n and the normal quantile", () => {
    // pt, pc = 0.13, 0.10 over 1000 each; vt, vc = pt*(1-pt)/1000, pc*(1-pc)/1000; z = scipy.stats.norm.ppf(0.975)
    const r = relativeLift({ treatment: 0.13, control: 0.1, varTreatment: (0.13 * 0.87) / 1000, varControl: (0.1 * 0.9) / 1000 })!;
    expectClose(r.relLift, 0.3);
    expectClose(r.se, 0.16284962388657825);
    expectClose(r.ci95[0], -0.019179397713587065);
    expectClose(r.ci95[1], 0.6191793977135871);
  });

  it("has no answer when the control is 0, and a point interval without variance", () => {
    expect(relativeLift({ treatment: 1, control: 0, varTreatment: 1, varControl: 1 })).toBeNull();
    expect(relativeLift({ treatment: 3, control: 2, varTreatment: 0, varControl: 0 })).toEqual({ relLift: 0.5, se: 0, ci95: [0.5, 0.5] });
  });
});
