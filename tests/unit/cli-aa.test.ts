// `assay aa` end to end through the real entry point (node cli/bin.mjs): its JSON, its text and its usage errors.
// The statistics behind it are tested in tests/unit/aa.test.ts.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");

function assay(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, "cli/bin.mjs"), "aa", ...args], { cwd: root, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("assay aa", () => {
  it("--json prints the rate, its interval and the settings; 5% +/- 1% at alpha 0.05 without peeking", () => {
    const r = assay("--tests", "2000", "--per-variant", "200", "--metric", "mean", "--seed", "1", "--json");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(["tests", "alpha", "falsePositiveRate", "ci95", "peeks", "sequential"]);
    expect(out).toMatchObject({ tests: 2000, alpha: 0.05, peeks: 1, sequential: false });
    expect(out.falsePositiveRate).toBeGreaterThanOrEqual(0.04);
    expect(out.falsePositiveRate).toBeLessThanOrEqual(0.06);
    expect(out.ci95[0]).toBeLessThan(out.falsePositiveRate);
  });

  it("with peeks, the sequential test and a planted effect: the rate stays at or below alpha and the power is reported", () => {
    const r = assay("--per-variant", "200", "--metric", "proportion", "--peeks", "10", "--sequential", "--effect", "0.15", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ tests: 2000, peeks: 10, sequential: true });
    expect(out.falsePositiveRate).toBeLessThanOrEqual(0.05);
    expect(out.power).toBeGreaterThan(0.5);
    expect(out.powerCi95).toHaveLength(2);
  });

  it("prints a readable answer that says what peeking did", () => {
    const r = assay("--tests", "1000", "--per-variant", "100", "--metric", "mean", "--peeks", "10");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/False positive rate: \d+(\.\d+)?% \(95% CI/);
    expect(r.stdout).toContain("The rate is above alpha");
    expect(r.stdout).not.toMatch(/wilson|scipy|gbstats|growthbook/i);
  });

  it("bad usage exits 2 naming the flag", () => {
    const cases: [string[], RegExp][] = [
      [["--metric", "mean"], /--per-variant/],
      [["--per-variant", "1", "--metric", "mean"], /--per-variant must be at least 2/],
      [["--per-variant", "100", "--metric", "mean", "--peeks", "80"], /--peeks must be at most half/],
      [["--per-variant", "100", "--metric", "proportion", "--effect", "0.9"], /--effect must keep the treatment's rate within 0 and 1/],
      [["--per-variant", "100", "--metric", "mean", "--alpha", "0"], /--alpha must be between 0 and 0.5/],
    ];
    for (const [args, message] of cases) {
      const r = assay(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe("");
    }
  });
});
