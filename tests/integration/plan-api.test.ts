// POST /api/v1/plan against the running stack. Expected numbers for the guide's example (seeds/001,
// plan_ab_test: baseline 0.76, MDE 5%, 2,000/day): statsmodels' zt_ind_solve_power gives 1871.54, the exact
// root is 1871.5401335527515 (tests/unit/power.test.ts), so 1,872 per variant, 3,744 total, 2 days.
import { beforeAll, describe, expect, it } from "vitest";
import { ROLES } from "@/lib/auth/permissions";
import { api } from "../support/http";
import { demoCredentials } from "../support/roles";

const guide = { metric: "proportion", baseline: 0.76, mde: 0.05, dailyTraffic: 2000 };

let creds: Awaited<ReturnType<typeof demoCredentials>>;
let pm: { cookie: string };
beforeAll(async () => {
  creds = await demoCredentials();
  pm = { cookie: creds.PM.cookie };
});

const plan = (body: unknown, auth: { cookie?: string; key?: string } = pm) => api("/api/v1/plan", { method: "POST", ...auth, body });

describe("POST /api/v1/plan", () => {
  it("plans the guide's example: 1,872 per variant, 3,744 total, 2 days, with the MDE table", async () => {
    const res = await plan(guide);
    expect(res.status, res.text).toBe(200);
    const { plan: p, table, inverse } = res.json;
    expect(p.effectSize).toBeCloseTo(0.0915838150994437, 12);
    expect(Math.abs(p.nExact - 1871.5401335527515)).toBeLessThan(1e-6);
    expect(p).toMatchObject({ perVariant: 1872, total: 3744, days: 2, alpha: 0.05, power: 0.8, variants: 2, p1: 0.76 });
    expect(table.map((r: { mde: number }) => r.mde)).toEqual([0.01, 0.02, 0.05, 0.1, 0.15]);
    expect(table[2]).toMatchObject({ mde: 0.05, feasible: true, perVariant: 1872, total: 3744, days: 2, current: true });
    expect(inverse).toBeUndefined();
  });

  it("adds the inverse when days are given", async () => {
    const res = await plan({ ...guide, days: 7 });
    expect(res.status, res.text).toBe(200);
    expect(res.json.inverse.days).toBe(7);
    expect(res.json.inverse.perVariant).toBe(7000);
    // statsmodels' power equation for nobs1 = 7000 solved tightly with scipy's brentq: es = 0.04735537534528895, then p2 from
    // the guide's effect-size formula (brentq again): MDE = p2 / 0.76 - 1 = 0.026223353284844375. (zt_ind_solve_power itself
    // stops early and prints es = 0.047356883549, i.e. an MDE 8e-7 higher.)
    expect(res.json.inverse.mde).toBeCloseTo(0.026223353284844375, 9);
  });

  it("plans a decrease for a negative MDE, with a negative table and inverse", async () => {
    const res = await plan({ ...guide, mde: -0.05, days: 7 });
    expect(res.status, res.text).toBe(200);
    // statsmodels: zt_ind_solve_power(effect_size=-0.08674103713933524, alpha=0.05, power=0.8) = 2086.351..., rounded up.
    expect(res.json.plan.perVariant).toBe(2087);
    expect(res.json.plan.effectSize).toBeLessThan(0);
    expect(res.json.plan.p2).toBeCloseTo(0.722, 12);
    expect(res.json.table.map((r: { mde: number }) => r.mde)).toEqual([-0.01, -0.02, -0.05, -0.1, -0.15]);
    expect(res.json.inverse.mde).toBeLessThan(0);
  });

  it("plans a mean metric with Bonferroni over three variants", async () => {
    const body = {
      metric: "mean",
      baseline: 1500,
      sd: 600,
      mde: -0.1,
      variants: 3,
      correction: "bonferroni",
      dailyTraffic: 5000,
      coverage: 0.5,
    };
    const res = await plan(body);
    expect(res.status, res.text).toBe(200);
    // statsmodels: zt_ind_solve_power(effect_size=-150/600, alpha=0.05/2, power=0.8) = 304.16114014196376 -> 305 per variant,
    // 915 in all, ceil(915 / (5000 x 0.5)) = 1 day.
    expect(res.json.plan).toMatchObject({ perVariant: 305, total: 915, days: 1, alphaPerComparison: 0.025 });
    expect(res.json.plan.nExact).toBeCloseTo(304.16114014196376, 6);
  });

  it.each([
    ["baseline 1.5", { ...guide, baseline: 1.5 }, "baseline", /baseline must be between 0 and 1/],
    ["mde 0", { ...guide, mde: 0 }, "mde", /mde must not be 0/],
    ["power 2", { ...guide, power: 2 }, "power", /power must be between 0 and 1/],
    ["a string where a number belongs", { ...guide, baseline: "0.76" }, "baseline", /baseline must be a number, got "0.76"/],
    ["an unknown metric", { ...guide, metric: "median" }, "metric", /metric must be one of "proportion", "mean", got "median"/],
    ["a mean without sd", { ...guide, metric: "mean", baseline: 1500 }, "sd", /sd is required/],
    ["9 variants", { ...guide, variants: 9 }, "variants", /variants must be a whole number from 2 to 8/],
    ["negative days", { ...guide, days: -3 }, "days", /days must be a positive number/],
    [
      "days without daily traffic",
      { metric: "proportion", baseline: 0.76, mde: 0.05, days: 7 },
      "dailyTraffic",
      /dailyTraffic is required to turn days into a sample size/,
    ],
    ["a missing baseline", { metric: "proportion", mde: 0.05 }, "baseline", /baseline is required/],
  ])("400 naming the field for %s", async (_name, body, field, message) => {
    const res = await plan(body);
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.code).toBe("VALIDATION");
    expect(res.json.error.message).toMatch(message);
    expect(res.json.error.message).toContain(`${field}:`);
    expect(res.json.error.details.issues.map((i: { field: string }) => i.field)).toContain(field);
  });

  it("400 naming an unknown field (a typo is not silently ignored)", async () => {
    const res = await plan({ ...guide, dailytraffic: 3000 });
    expect(res.status).toBe(400);
    expect(res.json.error.details.issues.map((x: { field: string }) => x.field)).toContain("dailytraffic");
  });

  it("413 for a 2 MB body", async () => {
    const res = await api("/api/v1/plan", { ...pm, body: { ...guide, padding: "x".repeat(2 * 1024 * 1024) } });
    expect(res.status, res.text).toBe(413);
    expect(res.json.error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("400 for a body that is not JSON, 415 for another content type", async () => {
    const bad = await api("/api/v1/plan", {
      ...pm,
      method: "POST",
      rawBody: "baseline=0.76&mde=0.05",
      headers: { "content-type": "application/json" },
    });
    expect(bad.status, bad.text).toBe(400);
    expect(bad.json.error.code).toBe("BAD_JSON");
    const empty = await api("/api/v1/plan", { ...pm, method: "POST", rawBody: "", headers: { "content-type": "application/json" } });
    expect(empty.status, empty.text).toBe(400);
    const text = await api("/api/v1/plan", { ...pm, method: "POST", rawBody: "baseline=0.76", headers: { "content-type": "text/plain" } });
    expect(text.status, text.text).toBe(415);
  });

  it("401 for an anonymous caller", async () => {
    const res = await plan(guide, {});
    expect(res.status, res.text).toBe(401);
    expect(res.json.error.code).toBe("UNAUTHENTICATED");
  });

  it("every role may plan, by session and by API key (planner:use)", async () => {
    for (const role of ROLES) {
      for (const auth of [{ cookie: creds[role].cookie }, { key: creds[role].key }]) {
        const res = await plan(guide, auth);
        expect(res.status, `${role} ${Object.keys(auth)[0]}: ${res.text}`).toBe(200);
        expect(res.json.plan.perVariant).toBe(1872);
      }
    }
  });
});
