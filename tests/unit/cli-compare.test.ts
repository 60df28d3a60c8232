// `assay compare` through the CLI's main() in this process (stdout and stderr captured), on varcas's own results file
// (../shared/fixtures/varcas/baseline.json) and copies of it written to a temporary directory. The statistics behind
// the numbers are checked against scipy in tests/unit/harness-compare.test.ts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { assay } from "../support/cliInProcess";

const BASELINE = path.resolve(__dirname, "../../../shared/fixtures/varcas/baseline.json");
const raw = JSON.parse(fs.readFileSync(BASELINE, "utf8"));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-compare-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type RawRecord = {
  timestamp_sent: number;
  timestamp_first_token: number | null;
  timestamp_last_token: number | null;
  output_tokens: number;
  prompt_text: string;
};
function write(name: string, change: (r: RawRecord, i: number) => void): string {
  const file = structuredClone(raw);
  file.records.forEach(change);
  const p = path.join(dir, name);
  fs.writeFileSync(p, JSON.stringify(file));
  return p;
}
const shorter = write("shorter.json", (r) => {
  r.output_tokens = Math.round(r.output_tokens * 0.8);
  if (r.timestamp_first_token !== null && r.timestamp_last_token !== null)
    r.timestamp_last_token = r.timestamp_first_token + (r.timestamp_last_token - r.timestamp_first_token) * 0.8;
});
const rephrased = write("rephrased.json", (r, i) => {
  if (i % 2 === 0) r.prompt_text += " Please answer briefly.";
});
const scaled = (s: number) =>
  write(`scaled-${s}.json`, (r) => {
    if (r.timestamp_first_token !== null) r.timestamp_first_token = r.timestamp_sent + (r.timestamp_first_token - r.timestamp_sent) * s;
    if (r.timestamp_last_token !== null) r.timestamp_last_token = r.timestamp_sent + (r.timestamp_last_token - r.timestamp_sent) * s;
  });

describe("assay compare", () => {
  it("--json: a run against itself differs in nothing, with exactly the schedule and replicate warnings", async () => {
    const r = await assay("compare", BASELINE, BASELINE, "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(["sameTrace", "matchedPrompts", "metrics", "warnings"]);
    expect(out.sameTrace).toBe(true);
    expect(out.matchedPrompts.share).toBe(1);
    expect(Object.keys(out.metrics)).toEqual([
      "throughput_rps",
      "throughput_tok_s",
      "ttft_p50_ms",
      "ttft_p99_ms",
      "tpot_p50_ms",
      "tpot_p99_ms",
      "latency_p50_ms",
      "latency_p99_ms",
      "latency_per_token_p50_ms",
      "latency_per_token_p99_ms",
      "error_rate",
    ]);
    for (const m of Object.values(out.metrics) as Record<string, unknown>[]) {
      expect(Object.keys(m)).toEqual(["baseline", "optimized", "delta", "ratio", "ci95", "pValue"]);
      expect(m.delta).toBe(0);
      if (m.pValue !== null) expect(m.pValue).toBeCloseTo(1, 12);
    }
    expect(out.metrics.latency_p50_ms.baseline).toBeCloseTo(raw.metrics.latency_p50_ms, 9);
    expect(out.warnings.map((w: { code: string }) => w.code)).toEqual(["SCHEDULE_BOUND_THROUGHPUT", "NO_REPLICATES"]);
  });

  it("flags shorter answers, and --seed makes the intervals reproducible", async () => {
    const a = await assay("compare", BASELINE, shorter, "--json", "--seed", "11");
    const b = await assay("compare", BASELINE, shorter, "--json", "--seed", "11");
    const c = await assay("compare", BASELINE, shorter, "--json", "--seed", "12");
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const out = JSON.parse(a.stdout);
    expect(out.warnings.map((w: { code: string }) => w.code)).toEqual([
      "OUTPUT_LENGTH_SHIFT",
      "SCHEDULE_BOUND_THROUGHPUT",
      "NO_REPLICATES",
    ]);
    expect(out.metrics.latency_p99_ms.ci95).not.toEqual(JSON.parse(c.stdout).metrics.latency_p99_ms.ci95);
    expect(out.metrics.latency_p50_ms.pValue).toBeLessThan(1e-6);
  });

  it("flags a different trace with the share matched", async () => {
    const r = await assay("compare", BASELINE, rephrased, "--json");
    const out = JSON.parse(r.stdout);
    expect(out.sameTrace).toBe(false);
    expect(out.matchedPrompts).toEqual({ matched: 581, baseline: 1163, optimized: 1163, share: 581 / 1163 });
    expect(out.warnings[0].code).toBe("DIFFERENT_TRACE");
    expect(out.warnings[0].message).toContain("581 of 1163 requests (50.0%)");
  });

  it("takes replicate sets with --baseline and --optimized and tests across runs", async () => {
    const r = await assay("compare", "--baseline", scaled(1), scaled(1.02), "--optimized", scaled(0.9), scaled(0.91), "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.warnings.map((w: { code: string }) => w.code)).toEqual(["SCHEDULE_BOUND_THROUGHPUT"]);
    // L = 1569.6983337402344; scipy.stats.ttest_ind([L*0.9, L*0.91], [L, L*1.02], equal_var=False).pvalue
    //   = 0.027375128644708882 (the runs' timestamps round at 1e-7 s, hence 1e-4 relative)
    expect(Math.abs(out.metrics.latency_p50_ms.pValue - 0.027375128644708882) / 0.027375128644708882).toBeLessThan(1e-4);
    expect(out.metrics.latency_p50_ms.ratio).toBeCloseTo(0.905 / 1.01, 6);
  });

  it("prints a readable table without --json", async () => {
    const r = await assay("compare", BASELINE, shorter);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Trace: the same \(1163 of 1163 requests matched by prompt\)/);
    expect(r.stdout).toMatch(/latency_p50_ms\s+1,569\.70/);
    expect(r.stdout).toContain("warning OUTPUT_LENGTH_SHIFT:");
  });

  it.each([
    [[BASELINE], "compare takes two results files"],
    [[BASELINE, BASELINE, BASELINE], "compare takes two results files"],
    [["--baseline", BASELINE], "--optimized"],
    [[BASELINE, "--baseline", BASELINE, "--optimized", BASELINE], "not both"],
    [[BASELINE, BASELINE, "--seed", "x"], "--seed"],
    [[BASELINE, path.join(dir, "missing.json")], "missing.json: no such file"],
  ])("exits 2 on %j naming %s", async (args, text) => {
    const r = await assay("compare", ...(args as string[]));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(text);
    expect(r.stdout).toBe("");
  });

  it("exits 2 naming the record and field of a bad file", async () => {
    const bad = write("bad.json", (r, i) => {
      if (i === 5) (r as { timestamp_sent: unknown }).timestamp_sent = null;
    });
    const r = await assay("compare", BASELINE, bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("records[5].timestamp_sent");
  });
});
