// `assay plan` end to end through the real entry point (node cli/bin.mjs), checking stdout, stderr and exit codes.
// Expected numbers: statsmodels 0.13.5, see tests/unit/power.test.ts for the python expressions.
import { spawnSync } from "node:child_process";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");

function assay(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, "cli/bin.mjs"), ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const guide = ["plan", "--metric", "proportion", "--baseline", "0.76", "--mde", "0.05", "--daily-traffic", "2000"];

describe("assay plan", () => {
  it("--json prints exactly the five numbers for the guide's example", () => {
    const r = assay(...guide, "--json");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(["effectSize", "nExact", "perVariant", "total", "days"]);
    expect(out.effectSize).toBeCloseTo(0.0915838150994437, 14); // es(0.76, 0.76*1.05)
    // zt_ind_solve_power(effect_size=es(0.76, 0.76*1.05), alpha=0.05, power=0.8, ratio=1.0, alternative='two-sided') = 1871.5401340901687
    expect(Math.abs(out.nExact - 1871.5401340901687) / 1871.5401340901687).toBeLessThan(1e-6);
    expect(out.perVariant).toBe(1872);
    expect(out.total).toBe(3744);
    expect(out.days).toBe(2);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
  });

  it("--json gives days null without --daily-traffic", () => {
    const r = assay("plan", "--metric", "proportion", "--baseline", "0.76", "--mde", "0.05", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).days).toBeNull();
  });

  it("prints a readable plan like the guide's", () => {
    const r = assay(...guide);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("76%");
    expect(r.stdout).toContain("5% relative");
    expect(r.stdout).toMatch(/Sample size per variant:\s+1,872/);
    expect(r.stdout).toMatch(/Total sample:\s+3,744/);
    expect(r.stdout).toContain("2 days");
    expect(r.stdout).toContain("0.0916");
    expect(r.stdout).toContain("n solves the two-sided z-test power equation for two equal groups and is rounded up");
    // Sources only on the line marked as the method.
    const sourceLines = r.stdout.split("\n").filter((l) => /statsmodels|plan_ab_test|guide/.test(l));
    expect(sourceLines).toEqual([expect.stringMatching(/^Method: n as statsmodels' zt_ind_solve_power/)]);
  });

  it("--help names the method's sources only on its Method line, in the user's words elsewhere", () => {
    for (const args of [["--help"], ["plan", "--help"]]) {
      const r = assay(...args);
      expect(r.code).toBe(0);
      const lines = r.stdout.split("\n").filter((l) => /statsmodels|zt_ind_solve_power|plan_ab_test|the guide/.test(l));
      expect(lines, args.join(" ")).toEqual(args[0] === "plan" ? [expect.stringMatching(/^Method: /)] : []);
    }
  });

  it.each([["--mde", "-0.05"], ["--mde=-0.05"]])("accepts a negative MDE as %s", (...mdeArgs) => {
    const r = assay("plan", "--metric", "proportion", "--baseline", "0.76", ...mdeArgs, "--daily-traffic", "2000", "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.effectSize).toBeCloseTo(-0.08674103713933524, 14); // es(0.76, 0.76*(1-0.05))
    // zt_ind_solve_power(effect_size=es(0.76, 0.76*(1-0.05)), alpha=0.05, power=0.8, ratio=1.0, alternative='two-sided') = 2086.3510526453033
    expect(out.perVariant).toBe(2087);
    expect(out.total).toBe(4174);
    expect(out.days).toBe(3);
  });

  it("plans a mean metric with Bonferroni over three variants", () => {
    const r = assay(
      "plan",
      "--metric",
      "mean",
      "--baseline",
      "4",
      "--sd",
      "0.8",
      "--mde",
      "0.05",
      "--variants",
      "3",
      "--correction",
      "bonferroni",
      "--json",
    );
    expect(r.code).toBe(0);
    // zt_ind_solve_power(effect_size=(4.0*1.05-4.0)/0.8, alpha=0.05/2, power=0.8, ratio=1.0, alternative='two-sided') = 304.16114014196324 -> 305
    const out = JSON.parse(r.stdout);
    expect(out.effectSize).toBeCloseTo(0.25, 12);
    expect(Math.abs(out.nExact - 304.16114014196324) / 304.16114014196324).toBeLessThan(1e-6);
    expect(out).toMatchObject({ perVariant: 305, total: 915, days: null });
  });

  it.each([
    ["--baseline 1.2", ["--metric", "proportion", "--baseline", "1.2", "--mde", "0.05"], "--baseline"],
    ["--mde 0", ["--metric", "proportion", "--baseline", "0.76", "--mde", "0"], "--mde"],
    ["--power 1.5", ["--metric", "proportion", "--baseline", "0.76", "--mde", "0.05", "--power", "1.5"], "--power"],
    ["p2 pushed past 1", ["--metric", "proportion", "--baseline", "0.99", "--mde", "0.05"], "--mde"],
    ["mean without --sd", ["--metric", "mean", "--baseline", "4", "--mde", "0.05"], "--sd"],
    ["--metric foo", ["--metric", "foo", "--baseline", "0.5", "--mde", "0.05"], "--metric"],
    ["--baseline abc", ["--metric", "proportion", "--baseline", "abc", "--mde", "0.05"], "--baseline"],
    ["--variants 9", ["--metric", "proportion", "--baseline", "0.5", "--mde", "0.05", "--variants", "9"], "--variants"],
    ["--daily-traffic 0", ["--metric", "proportion", "--baseline", "0.5", "--mde", "0.05", "--daily-traffic", "0"], "--daily-traffic"],
    ["missing --mde", ["--metric", "proportion", "--baseline", "0.5"], "--mde"],
  ])("%s exits 2 naming the flag", (_name, args, flag) => {
    const r = assay("plan", ...args, "--json");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(flag);
    expect(r.stderr).toMatch(/^error: /);
  });
});

describe("assay plan with a traffic split and with extreme numbers", () => {
  it("--weights 90,10 sizes both arms: 9,358 / 1,040, 6 days", () => {
    const r = assay(...guide, "--weights", "90,10", "--json");
    expect(r.code, r.stderr).toBe(0);
    // NormalIndPower().solve_power(effect_size=es(0.76, 0.76*1.05), alpha=0.05, power=0.8, ratio=10/90) = 9357.700667764466
    const out = JSON.parse(r.stdout);
    expect(Math.abs(out.nExact - 9357.700667764466) / 9357.700667764466).toBeLessThan(1e-6);
    // math.ceil(9357.70) + math.ceil(9357.70/9) = 9358 + 1040; math.ceil(1040 / (2000 * 0.1)) = 6
    expect(out).toMatchObject({ perVariant: 9358, total: 10398, days: 6 });
    expect(assay(...guide, "--weights", "90/10").stdout).toMatch(/Sample size per arm:\s+9,358 \/ 1,040/);
  });

  it.each([
    ["--mde 1e-300", ["--mde", "1e-300"], "--mde"],
    ["--alpha 5e-324", ["--alpha", "5e-324"], "--alpha"],
    ["--daily-traffic 1e-300", ["--daily-traffic", "1e-300"], "--daily-traffic"],
    // Small enough to finish "some day" (3.7 trillion days), but not traffic anyone has.
    ["--daily-traffic 1e-9", ["--daily-traffic", "1e-9"], "--daily-traffic"],
    ["--weights 90,0", ["--weights", "90,0"], "--weights"],
  ])("%s exits 2 naming the flag, no stack trace", (_name, args, flag) => {
    const r = assay(...guide, ...args, "--json");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: ${flag} `));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("a mean with baseline 1e308 and --sd 5e-324 exits 2 naming --sd", () => {
    const r = assay("plan", "--metric", "mean", "--baseline", "1e308", "--sd", "5e-324", "--mde", "0.05", "--json");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --sd is too small/);
  });

  it("property: any extreme float for any number flag exits 0 or 2, never 1", () => {
    const flags = ["--baseline", "--sd", "--mde", "--alpha", "--power", "--daily-traffic", "--coverage"];
    const value = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(5e-324, 1e-300, 1e308, -1e308, 0, 0.5));
    fc.assert(
      fc.property(fc.constantFrom(...flags), value, fc.constantFrom("proportion", "mean"), (flag, x, metric) => {
        const base = ["plan", "--metric", metric, "--baseline", "0.5", "--sd", "1", "--mde", "0.05", "--daily-traffic", "100"];
        const at = base.indexOf(flag);
        const args = at >= 0 ? base.map((a, i) => (i === at + 1 ? String(x) : a)) : [...base, flag, String(x)];
        const r = assay(...args, "--json");
        expect([0, 2], r.stderr).toContain(r.code);
        expect(r.stderr).not.toMatch(/\n\s+at /);
      }),
      { numRuns: 12, seed: 5 },
    );
    // Each run starts a node process: give the property room on a busy machine.
  }, 120_000);
});
