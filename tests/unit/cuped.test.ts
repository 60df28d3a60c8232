import { describe, expect, it } from "vitest";
import { cupedAdjust } from "@/lib/stats/cuped";
import { expectClose } from "../support/close";

// Reference values: numpy 1.24 on a sample with a pre-period covariate,
//   rng = np.random.default_rng(5)
//   xc = np.round(rng.normal(50, 10, 300), 2); yc = np.round(0.8*xc + rng.normal(10, 6, 300), 2)
//   xt = np.round(rng.normal(51, 10, 250), 2); yt = np.round(0.8*xt + rng.normal(12, 6, 250), 2)
// summarised per arm as n, y.mean(), y.std(ddof=1), x.mean(), x.std(ddof=1), np.cov(y, x, ddof=1)[0,1] (the inputs below);
// then, pooling Y = np.concatenate([yt, yc]), X = np.concatenate([xt, xc]):
//   theta = np.cov(Y, X, ddof=1)[0,1] / X.var(ddof=1)   (= np.polyfit(X, Y, 1)[0], the pooled OLS slope)
//   adj_t = yt - theta*(xt - X.mean()); adj_c = yc - theta*(xc - X.mean())
const cupedArms = {
  treatment: {
    n: 250,
    mean: 53.85376,
    sd: 9.882688459480477,
    covariate: { mean: 51.86016, sd: 10.13335749447553, covariance: 80.2303391550201 },
  },
  control: {
    n: 300,
    mean: 49.52623333333334,
    sd: 9.845320373477456,
    covariate: { mean: 49.59843333333333, sd: 9.607694896085974, covariance: 75.23033722296547 },
  },
};

describe("CUPED from summary statistics", () => {
  const r = cupedAdjust([cupedArms.treatment, cupedArms.control]);

  it("theta is the pooled slope of y on x", () => {
    expectClose(r.theta, 0.8132365139363618);
  });

  it("adjusted means and variances equal those of the adjusted samples", () => {
    expectClose(r.arms[0].mean, 52.85049524915805); // adj_t.mean()
    expectClose(r.arms[1].mean, 50.3622872923683); // adj_c.mean()
    expectClose(r.arms[0].variance, 35.08610220843573); // adj_t.var(ddof=1)
    expectClose(r.arms[1].variance, 35.618318075593244); // adj_c.var(ddof=1)
  });

  it("says how much of the difference's variance it removed", () => {
    // 1 - (adj_t.var(ddof=1)/250 + adj_c.var(ddof=1)/300) / (yt.var(ddof=1)/250 + yc.var(ddof=1)/300)
    expectClose(r.varianceReduction, 0.6370375789472469);
  });

  it("a covariate without spread changes nothing", () => {
    const flat = (a: typeof cupedArms.control) => ({ ...a, covariate: { mean: 1, sd: 0, covariance: 0 } });
    const z = cupedAdjust([flat(cupedArms.treatment), flat(cupedArms.control)]);
    expect(z.theta).toBe(0);
    expect(z.varianceReduction).toBe(0);
    expect(z.arms[1].mean).toBe(cupedArms.control.mean);
  });
});
