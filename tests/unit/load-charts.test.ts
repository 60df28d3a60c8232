// What the load-testing pages draw, from records whose answers are known.
import { describe, expect, it } from "vitest";
import { cdf, histogram, runCharts, traceStats } from "@/lib/loadRuns/charts";
import type { HarnessRecord } from "@/lib/harness/types";

const rec = (
  sentS: number,
  ttftMs: number,
  e2eMs: number,
  tokens: number,
  status: "ok" | "error" | "in_flight" = "ok",
  lagMs = 0,
): HarnessRecord => ({
  request_id: `${sentS}-${ttftMs}`,
  workload_name: "chat",
  timestamp_sent: 1000 + sentS,
  timestamp_first_token: status === "error" ? null : 1000 + sentS + ttftMs / 1000,
  timestamp_last_token: status === "ok" ? 1000 + sentS + e2eMs / 1000 : null,
  input_tokens: 5,
  output_tokens: tokens,
  prompt_text: "p",
  output_text: "o",
  error: status === "ok" ? null : "x",
  assay: {
    intended_send_time: 1000 + sentS - lagMs / 1000,
    status,
    error_class: status === "error" ? "http_5xx" : null,
    http_status: 200,
    slot_wait_ms: 0,
    usage_input_tokens: 5,
    usage_output_tokens: tokens,
    tokens_source: "usage",
    itl_ms: [],
    measured: true,
    shard: 0,
  },
});

describe("load charts", () => {
  it("a CDF at every percentile, interpolated as numpy's", () => {
    const c = cdf([10, 20, 30, 40, 50]);
    expect(c).toHaveLength(101);
    expect(c[0]).toEqual({ p: 0, ms: 10 });
    expect(c[50]).toEqual({ p: 50, ms: 30 });
    expect(c[90].ms).toBeCloseTo(46, 9); // numpy.percentile([10,20,30,40,50], 90) = 46.0
    expect(c[100].ms).toBe(50);
  });

  it("histograms count every value once", () => {
    const h = histogram([1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3);
    expect(h.reduce((a, b) => a + b.count, 0)).toBe(11);
    expect(h[0].from).toBe(1);
    expect(histogram([])).toEqual([]);
    expect(histogram([4, 4, 4])).toEqual([{ from: 4, to: 5, count: 3 }]);
  });

  it("per second: sent, completed, failed and in flight; TPOT from the records; lag per second", () => {
    const records = [rec(0, 100, 900, 9), rec(0.5, 100, 2500, 25), rec(1.2, 50, 150, 2, "error"), rec(1.5, 10, 0, 0, "in_flight", 4)];
    const c = runCharts(records);
    expect(c.timeline.map((x) => x.sent)).toEqual([2, 2, 0, 0]);
    // 0.9 s ends in second 0; 3.0 s in second 3; the error's first token (1.25 s) in second 1
    expect(c.timeline.map((x) => x.completed)).toEqual([1, 0, 0, 1]);
    expect(c.timeline.map((x) => x.failed)).toEqual([0, 1, 0, 0]);
    // in flight at some moment of each second: 0-0.9 and 0.5-3.0 s; then 0.5-3.0, 1.2-1.25 and the one that never ends; ...
    expect(c.timeline.map((x) => x.inFlight)).toEqual([2, 3, 2, 2]);
    // TPOT = (E2E - TTFT) / (tokens - 1): (900-100)/8 = 100, (2500-100)/24 = 100
    expect(c.tpotHistogram.reduce((a, b) => a + b.count, 0)).toBe(2);
    expect(c.lagTimeline).toEqual([
      { t: 0, p50: 0, max: 0 },
      { t: 1, p50: 0, max: 4 },
    ]);
  });

  it("a trace's span, mean rate and lengths", () => {
    const s = traceStats(
      [0, 1, 2, 4].map((t, i) => ({
        timestamp: t,
        prompt: "x",
        maxTokens: 10 * (i + 1),
        workloadType: i % 2 ? "rag" : "chat",
        inputTokens: i + 1,
        outputTokens: null,
      })),
      true,
    );
    expect(s).toMatchObject({ requests: 4, spanS: 4, meanRate: 0.75, workloads: { chat: 2, rag: 2 } });
    expect(s.inputTokens).toMatchObject({ mean: 2.5, max: 4 });
    expect(s.outputTokens).toMatchObject({ mean: 25, max: 40 });
    expect(s.rate.map((r) => r.perS)).toEqual([1, 1, 1, 0, 1]);
  });
});
