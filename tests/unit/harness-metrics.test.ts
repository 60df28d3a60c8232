// lib/harness/metrics.ts and lib/harness/resultsFile.ts. varcas's metrics recomputed from a real varcas results file
// (../shared/fixtures/varcas/baseline.json, 1163 chat requests against vLLM) must equal the file's own `metrics` block;
// Assay's metrics on the same file are checked against numpy (the Python is beside each number).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { assayMetrics, classifyErrorText, distribution, tpotMs, varcasMetrics } from "@/lib/harness/metrics";
import { ResultsFileError, parseResultsFile, parseResultsText } from "@/lib/harness/resultsFile";
import type { HarnessRecord, VarcasMetrics } from "@/lib/harness/types";

const BASELINE = path.resolve(__dirname, "../../../shared/fixtures/varcas/baseline.json");
const baseline = parseResultsFile(BASELINE);
const fileMetrics = JSON.parse(fs.readFileSync(BASELINE, "utf8")).metrics as VarcasMetrics;

function close(actual: number | null, expected: number, rel = 1e-6) {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));
}

describe("varcasMetrics", () => {
  it("reproduces every metric of varcas's own file to 1e-6 relative", () => {
    const m = varcasMetrics(baseline.records);
    expect(Object.keys(m)).toEqual(Object.keys(fileMetrics));
    for (const [key, expected] of Object.entries(fileMetrics)) close(m[key as keyof VarcasMetrics], expected);
    expect(m.total_requests).toBe(1163);
    expect(m.failed_requests).toBe(0);
  });

  it("TPOT divides by output_tokens - 1: dividing by output_tokens does not reproduce the file", () => {
    // np.percentile([(r['timestamp_last_token']-r['timestamp_first_token'])*1000/r['output_tokens'] for r in ok if r['output_tokens']>1], 50)
    //   = 14.223135812589032, against the file's 14.404588877552687
    const byTokens = baseline.records
      .filter((r) => r.output_tokens > 1)
      .map((r) => ((r.timestamp_last_token! - r.timestamp_first_token!) * 1000) / r.output_tokens);
    expect(distribution(byTokens, [50]).p50).toBeCloseTo(14.223135812589032, 9);
    expect(varcasMetrics(baseline.records).tpot_p50_ms).toBeCloseTo(fileMetrics.tpot_p50_ms, 9);
    const one = { ...baseline.records[0], output_tokens: 1 };
    expect(tpotMs(one)).toBeNull();
  });

  it("counts records with an error as failures and leaves them out of the latencies", () => {
    const records = baseline.records.map((r, i) => (i % 10 === 0 ? { ...r, error: "HTTP 503: Service Unavailable" } : r));
    const m = varcasMetrics(records);
    expect(m.failed_requests).toBe(117);
    expect(m.successful_requests).toBe(1163 - 117);
  });

  it("gives zeros for no records", () => {
    expect(varcasMetrics([]).throughput_rps).toBe(0);
    expect(varcasMetrics([]).ttft_p99_ms).toBe(0);
  });
});

describe("assayMetrics on varcas's file (no assay fields)", () => {
  const m = assayMetrics(baseline.records, { slo: { ttftMs: 50, tpotMs: 20, e2elMs: 5000 } });
  it("measures from the first send to the last completion", () => {
    // end = max(r['timestamp_last_token'] ...); start = min(r['timestamp_sent'] ...)
    close(m.windowS, 60.57024550437927); // end - start
    close(m.throughputRps, 19.200846724583844); // 1163 / (end - start)
    close(m.outputTokensPerS, 2164.429067577766); // sum(output_tokens) / (end - start)
    expect(m.tokensSource).toEqual({ usage: 0, estimate: 0, file: 1163 });
    expect(m.inFlight).toBe(0);
  });

  it("gives the E2E distribution as numpy does", () => {
    // e2e = [(last - sent)*1000 for records with a last token]; np.percentile(e2e, [50, 90, 95, 99]), np.mean, max
    close(m.e2eMs.p50, 1569.6983337402344);
    close(m.e2eMs.p90, 3171.217679977417);
    close(m.e2eMs.p95, 3786.84002161026);
    close(m.e2eMs.p99, 5937.220001220696);
    close(m.e2eMs.mean, 1751.1089644923052);
    close(m.e2eMs.max, 10061.52606010437);
    expect(m.e2eMs.count).toBe(1146);
    expect(m.e2eFromIntendedMs.count).toBe(0);
    expect(m.itlMs.count).toBe(0);
  });

  it("counts goodput against every SLO", () => {
    // sum(ttft <= 50 and (tokens <= 1 or tpot <= 20) and last is not None and e2e <= 5000) = 778; 778 / (end - start)
    expect(m.goodput?.requests).toBe(778);
    close(m.goodput!.perS, 12.844590500194522);
  });

  it("takes requested percentiles", () => {
    const only = assayMetrics(baseline.records, { percentiles: [50, 99.9] });
    expect(Object.keys(only.ttftMs)).toEqual(["count", "mean", "max", "p50", "p99.9"]);
    expect(only.goodput).toBeNull();
  });
});

function assayRecord(
  i: number,
  over: Partial<HarnessRecord> = {},
  assay: Partial<NonNullable<HarnessRecord["assay"]>> = {},
): HarnessRecord {
  const intended = 1000 + i;
  return {
    request_id: `r${i}`,
    workload_name: "chat",
    timestamp_sent: intended + 0.01,
    timestamp_first_token: intended + 0.11,
    timestamp_last_token: intended + 1.01,
    input_tokens: 10,
    output_tokens: 9,
    prompt_text: `p${i}`,
    output_text: "x",
    error: null,
    ...over,
    assay: {
      intended_send_time: intended,
      status: "ok",
      error_class: null,
      http_status: 200,
      slot_wait_ms: 4,
      usage_input_tokens: 10,
      usage_output_tokens: 10,
      tokens_source: "usage",
      itl_ms: [100, 100],
      measured: true,
      shard: 0,
      ...assay,
    },
  };
}

describe("assayMetrics on Assay's records", () => {
  const records = [
    assayRecord(0, {}, { measured: false }), // warm-up: left out
    assayRecord(1),
    assayRecord(2),
    assayRecord(
      3,
      { error: "HTTP 429", timestamp_first_token: null, timestamp_last_token: null },
      { status: "error", error_class: "http_429" },
    ),
    assayRecord(4, { timestamp_last_token: null }, { status: "in_flight" }),
    assayRecord(
      5,
      { error: "read ECONNRESET", timestamp_first_token: null, timestamp_last_token: null },
      { status: "error", error_class: null },
    ),
  ];
  const m = assayMetrics(records);

  it("keeps in-flight requests apart and counts failures by class", () => {
    expect(m.measuredRequests).toBe(5);
    expect(m.successful).toBe(2);
    expect(m.failed).toBe(2);
    expect(m.inFlight).toBe(1);
    expect(m.errors).toEqual({ http_429: 1, connection: 1 });
  });

  it("uses usage tokens for TPOT and throughput, and the intended send for the window", () => {
    // TPOT = (1.01 - 0.11) * 1000 / (10 - 1) = 100 ms with usage's 10 tokens (output_tokens says 9)
    close(m.tpotMs.p50, 100);
    expect(m.outputTokens).toBe(20);
    close(m.windowS, 1003.01 - 1001); // first intended send (r1) to the last completion (r2)
    expect(m.tokensSource).toEqual({ usage: 2, estimate: 0, file: 0 });
  });

  it("separates E2E from the intended send, schedule lag and slot wait", () => {
    close(m.e2eMs.p50, 1000);
    close(m.e2eFromIntendedMs.p50, 1010);
    // lag = (sent - intended) * 1000 - slot wait = 10 - 4 ms, over the sent records (successes and failures)
    close(m.scheduleLagMs.p50, 6);
    expect(m.scheduleLagMs.count).toBe(4);
    expect(m.slotWaitMs.max).toBe(4);
    expect(m.itlMs.count).toBe(4);
  });
});

describe("classifyErrorText", () => {
  it.each([
    ["HTTP 429: Too Many Requests", "http_429"],
    ["HTTP 404", "http_4xx"],
    ["Server error '503 Service Unavailable' for url 'http://localhost:8000/v1/completions'", "http_5xx"],
    ["500, message='Internal Server Error', url='http://host:8000/v1'", "http_5xx"],
    ["Request timed out after 400 s", "timeout"],
    ["TimeoutError", "timeout"],
    ["Cannot connect to host localhost:8000 ssl:default [Connection refused]", "connection"],
    ["[Errno 104] Connection reset by peer", "connection"],
    ["something odd at http://host:4040/x", "other"],
  ])("%s -> %s", (text, expected) => {
    expect(classifyErrorText(text)).toBe(expected);
  });
});

describe("parseResultsFile", () => {
  it("reads varcas's file whole", () => {
    expect(baseline.records).toHaveLength(1163);
    expect(baseline.config.open_loop).toBe(true);
  });

  it("names the record index and field of a bad record", () => {
    const bad = JSON.parse(fs.readFileSync(BASELINE, "utf8"));
    bad.records[12].timestamp_sent = "soon";
    expect(() => parseResultsText(JSON.stringify(bad), "bad.json")).toThrow(/^bad\.json: records\[12\]\.timestamp_sent: /);
    try {
      parseResultsText(JSON.stringify(bad));
    } catch (err) {
      expect(err).toBeInstanceOf(ResultsFileError);
      expect((err as ResultsFileError).field).toBe("records[12].timestamp_sent");
    }
  });

  it("refuses a trace file, bad JSON and a missing file with what to fix", () => {
    expect(() => parseResultsText('{"prompts": []}', "t.json")).toThrow(/t\.json: records: .*trace file has prompts/);
    expect(() => parseResultsText("{", "x.json")).toThrow(/x\.json: not valid JSON/);
    expect(() => parseResultsFile(path.join(os.tmpdir(), "no-such-results.json"))).toThrow(/no such file/);
  });

  it("recomputes the metrics block when a file has none", () => {
    const raw = JSON.parse(fs.readFileSync(BASELINE, "utf8"));
    delete raw.metrics;
    close(parseResultsText(JSON.stringify(raw)).metrics.latency_p99_ms, fileMetrics.latency_p99_ms);
  });
});
