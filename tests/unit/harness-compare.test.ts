// lib/harness/compare.ts, lib/stats/wilcoxon.ts and lib/stats/bootstrap.ts. Runs are built from varcas's real results
// file (../shared/fixtures/varcas/baseline.json): itself, a copy with every answer 20% shorter, a copy with other prompts,
// copies with latencies scaled (replicates). Expected p-values: scipy 1.10.1, the Python beside each number.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compareRuns, requestKeys } from "@/lib/harness/compare";
import { parseResultsFile } from "@/lib/harness/resultsFile";
import type { HarnessResultsFile } from "@/lib/harness/types";
import { bootstrapQuantileDifference } from "@/lib/stats/bootstrap";
import { mannWhitneyU, rankSummary } from "@/lib/stats/mannWhitney";
import { wilcoxonSignedRank } from "@/lib/stats/wilcoxon";

const baseline = parseResultsFile(path.resolve(__dirname, "../../../shared/fixtures/varcas/baseline.json"));

function copy(file: HarnessResultsFile, change: (r: HarnessResultsFile["records"][number], i: number) => void = () => {}) {
  const out = structuredClone(file);
  out.records.forEach(change);
  return out;
}

/** Every token time scaled by s from the send: latency, TTFT and TPOT times s. */
function scaled(s: number) {
  return copy(baseline, (r) => {
    if (r.timestamp_first_token !== null) r.timestamp_first_token = r.timestamp_sent + (r.timestamp_first_token - r.timestamp_sent) * s;
    if (r.timestamp_last_token !== null) r.timestamp_last_token = r.timestamp_sent + (r.timestamp_last_token - r.timestamp_sent) * s;
  });
}

const codes = (r: ReturnType<typeof compareRuns>) => r.warnings.map((w) => w.code);

describe("compareRuns", () => {
  it("finds no difference between a run and itself: p = 1, warnings exactly SCHEDULE_BOUND_THROUGHPUT and NO_REPLICATES", () => {
    const r = compareRuns([baseline], [baseline], { seed: 7 });
    expect(r.sameTrace).toBe(true);
    expect(r.paired).toBe(true);
    expect(r.matchedPrompts).toEqual({ matched: 1163, baseline: 1163, optimized: 1163, share: 1 });
    for (const [name, m] of Object.entries(r.metrics)) {
      expect(m.delta, name).toBe(0);
      if (m.pValue !== null) expect(m.pValue, name).toBeCloseTo(1, 12);
    }
    expect(r.metrics.latency_p99_ms.ci95).toEqual([0, 0]);
    expect(r.metrics.latency_p50_ms.test).toBe("wilcoxon");
    expect(codes(r)).toEqual(["SCHEDULE_BOUND_THROUGHPUT", "NO_REPLICATES"]);
  });

  it("flags answers 20% shorter and compares latency per output token", () => {
    const shorter = copy(baseline, (r) => {
      r.output_tokens = Math.round(r.output_tokens * 0.8);
      if (r.timestamp_last_token !== null && r.timestamp_first_token !== null)
        r.timestamp_last_token = r.timestamp_first_token + (r.timestamp_last_token - r.timestamp_first_token) * 0.8;
    });
    const r = compareRuns([baseline], [shorter]);
    expect(codes(r)).toEqual(["OUTPUT_LENGTH_SHIFT", "SCHEDULE_BOUND_THROUGHPUT", "NO_REPLICATES"]);
    expect(r.warnings[0].message).toMatch(/latency per output token/);
    expect(r.metrics.latency_p50_ms.delta).toBeLessThan(0);
    expect(r.metrics.latency_p50_ms.pValue).toBeLessThan(1e-6);
    expect(r.metrics.latency_p50_ms.ci95![1]).toBeLessThan(0);
    expect(r.metrics.latency_per_token_p50_ms.baseline).toBeGreaterThan(0);
  });

  it("flags a different trace with the share matched, and compares independent samples", () => {
    const other = copy(baseline, (r, i) => {
      if (i % 4 === 0) r.prompt_text = `${r.prompt_text} (rephrased)`;
    });
    const r = compareRuns([baseline], [other]);
    expect(r.sameTrace).toBe(false);
    expect(r.paired).toBe(false);
    expect(r.matchedPrompts.matched).toBe(1163 - 291); // ceil(1163 / 4) changed
    expect(codes(r)[0]).toBe("DIFFERENT_TRACE");
    expect(r.warnings[0].message).toContain("872 of 1163 requests (75.0%)");
    expect(r.metrics.ttft_p50_ms.test).toBe("mann-whitney");
    expect(r.metrics.ttft_p50_ms.pValue).toBeCloseTo(1, 12); // the same values: U = n^2 / 2
  });

  it("matches repeated prompts by occurrence", () => {
    const rs = baseline.records.slice(0, 3).map((r) => ({ ...r, prompt_text: "same" }));
    expect(requestKeys(rs)).toEqual(["same\u00000", "same\u00001", "same\u00002"]);
  });

  it("flags a significant error-rate change and a client-bound run", () => {
    const failing = copy(baseline, (r, i) => {
      if (i % 10 === 0) r.error = "HTTP 503";
    });
    failing.assay = { flags: ["CLIENT_BOUND"] };
    const r = compareRuns([baseline], [failing]);
    expect(codes(r)).toEqual(["SCHEDULE_BOUND_THROUGHPUT", "ERROR_RATE_CHANGE", "CLIENT_BOUND", "NO_REPLICATES"]);
    // statsmodels proportions_ztest([117, 0], [1163, 1163]): p = 2.0e-27 or so; here only < 0.05 matters
    expect(r.metrics.error_rate.pValue).toBeLessThan(1e-10);
    expect(r.metrics.error_rate.optimized).toBeCloseTo(117 / 1163, 12);
  });

  it("does not call throughput schedule-bound when the runs say they were closed loop", () => {
    const closed = copy(baseline);
    closed.config = { ...closed.config, open_loop: false };
    expect(codes(compareRuns([closed], [closed]))).toEqual(["NO_REPLICATES"]);
  });

  it("detects an open-loop schedule from the send times when the files do not say", () => {
    const unsaid = copy(baseline);
    unsaid.config = {};
    expect(codes(compareRuns([unsaid], [unsaid]))).toContain("SCHEDULE_BOUND_THROUGHPUT");
    // Sends that drift by a growing 10 ms per request (as a closed loop's do when latencies change) follow no common schedule.
    const drifting = copy(unsaid, (r, i) => {
      r.timestamp_sent += i * 0.01;
      if (r.timestamp_first_token !== null) r.timestamp_first_token += i * 0.01;
      if (r.timestamp_last_token !== null) r.timestamp_last_token += i * 0.01;
    });
    expect(codes(compareRuns([unsaid], [drifting]))).not.toContain("SCHEDULE_BOUND_THROUGHPUT");
    const assaySaid = copy(unsaid);
    assaySaid.assay = { open_loop: false };
    expect(codes(compareRuns([assaySaid], [unsaid]))).not.toContain("SCHEDULE_BOUND_THROUGHPUT");
  });

  it("judges replicates against run-to-run variation with Welch's t test", () => {
    const r = compareRuns([scaled(1), scaled(1.02), scaled(0.99)], [scaled(0.9), scaled(0.91)]);
    expect(codes(r)).toEqual(["SCHEDULE_BOUND_THROUGHPUT"]);
    const m = r.metrics.latency_p50_ms;
    expect(m.test).toBe("welch");
    const L = 1569.6983337402344;
    expect(m.baseline).toBeCloseTo((L * (1 + 1.02 + 0.99)) / 3, 2);
    expect(m.optimized).toBeCloseTo((L * (0.9 + 0.91)) / 2, 2);
    // L = 1569.6983337402344; scipy.stats.ttest_ind([L*0.9, L*0.91], [L, L*1.02, L*0.99], equal_var=False).pvalue
    //   = 0.002698532180458138 (the runs' timestamps round at 1e-7 s, hence 1e-4 relative)
    expect(Math.abs(m.pValue! - 0.002698532180458138) / 0.002698532180458138).toBeLessThan(1e-4);
    expect(m.ci95![1]).toBeLessThan(0);
    // Identical throughput in every run: no variance, no test.
    expect(r.metrics.throughput_rps.pValue).toBeNull();
  });
});

describe("rank tests against scipy", () => {
  it("Mann-Whitney U with ties equals scipy's asymptotic p", () => {
    // from scipy.stats import mannwhitneyu
    // x = [12.1, 15.3, 11.8, 19.4, 15.3, 22.0, 13.7, 17.2, 15.3, 30.5, 14.4, 16.8]
    // y = [10.2, 11.9, 15.3, 9.8, 12.5, 13.1, 11.0, 15.3, 12.2, 10.7]
    // mannwhitneyu(x, y, alternative='two-sided', method='asymptotic', use_continuity=True).pvalue = 0.005923027828676038
    const x = [12.1, 15.3, 11.8, 19.4, 15.3, 22.0, 13.7, 17.2, 15.3, 30.5, 14.4, 16.8];
    const y = [10.2, 11.9, 15.3, 9.8, 12.5, 13.1, 11.0, 15.3, 12.2, 10.7];
    const p = mannWhitneyU(rankSummary(x, y, "y"), x.length, y.length)!.pValue;
    expect(Math.abs(p - 0.005923027828676038)).toBeLessThan(1e-6 * 0.005923027828676038);
  });

  it.each([
    // from scipy.stats import wilcoxon
    // a = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30, 2.01, 1.70, 1.55, 0.97, 2.20]
    // b = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29, 1.55, 1.70, 1.20, 1.30, 1.55]
    // wilcoxon(b, a, zero_method='wilcox', correction=False, alternative='two-sided', method='approx')
    //   -> statistic 9.0, pvalue 0.010746783005343858 (two zero differences dropped)
    [
      [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29, 1.55, 1.7, 1.2, 1.3, 1.55],
      [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3, 2.01, 1.7, 1.55, 0.97, 2.2],
      9,
      0.010746783005343858,
    ],
    // wilcoxon([3,1,4,1,5,9,2,6,5,3,5,8], [2,1,3,3,4,9,1,5,6,2,4,6], zero_method='wilcox', correction=False, method='approx')
    //   -> statistic 14.0, pvalue 0.1445852799373539 (tied |d|, two zeros)
    [[3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8], [2, 1, 3, 3, 4, 9, 1, 5, 6, 2, 4, 6], 14, 0.1445852799373539],
  ])("Wilcoxon signed-rank equals scipy's approx p (%#)", (x, y, statistic, p) => {
    const r = wilcoxonSignedRank(x as number[], y as number[])!;
    expect(r.statistic).toBe(statistic);
    expect(Math.abs(r.pValue - (p as number))).toBeLessThan(1e-6 * (p as number));
  });

  it("Wilcoxon gives p = 1 when every difference is zero (scipy raises)", () => {
    expect(wilcoxonSignedRank([1, 2], [1, 2])!.pValue).toBe(1);
  });
});

describe("bootstrapQuantileDifference", () => {
  const x = Array.from({ length: 200 }, (_, i) => 100 + ((i * 37) % 50));
  const y = x.map((v) => v + 10);
  it("is deterministic for a seed and moves with it", () => {
    const a = bootstrapQuantileDifference(x, y, [0.5, 0.99], { seed: 42 });
    expect(bootstrapQuantileDifference(x, y, [0.5, 0.99], { seed: 42 })).toEqual(a);
    expect(bootstrapQuantileDifference(x, y, [0.5, 0.99], { seed: 43 })).not.toEqual(a);
    expect(a[0]![0]).toBeLessThanOrEqual(10);
    expect(a[0]![1]).toBeGreaterThanOrEqual(10);
  });

  it("paired resampling of a constant shift gives exactly that shift", () => {
    expect(bootstrapQuantileDifference(x, y, [0.5, 0.99], { seed: 1, paired: true })).toEqual([
      [10, 10],
      [10, 10],
    ]);
  });
});
