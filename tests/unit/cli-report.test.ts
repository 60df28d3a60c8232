// `assay report` through the CLI's main() in this process (stdout and stderr captured), on varcas's own results file
// (../shared/fixtures/varcas/baseline.json): the varcas block must equal the file's metrics; bad input exits 2 naming
// the field or flag. Expected Assay numbers: see tests/unit/harness-metrics.test.ts for the numpy behind them.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { assay } from "../support/cliInProcess";

const BASELINE = path.resolve(__dirname, "../../../shared/fixtures/varcas/baseline.json");
const fileMetrics = JSON.parse(fs.readFileSync(BASELINE, "utf8")).metrics as Record<string, number>;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-report-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("assay report", () => {
  it("--json: the varcas block equals the file's metrics to 1e-6, with assay and errors beside it", async () => {
    const r = await assay("report", BASELINE, "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(["varcas", "assay", "errors"]);
    expect(Object.keys(out.varcas)).toEqual([
      "total_requests",
      "successful_requests",
      "failed_requests",
      "throughput_rps",
      "throughput_tok_s",
      "ttft_p50_ms",
      "ttft_p99_ms",
      "tpot_p50_ms",
      "tpot_p99_ms",
      "latency_p50_ms",
      "latency_p99_ms",
    ]);
    for (const [k, v] of Object.entries(fileMetrics)) expect(Math.abs(out.varcas[k] - v)).toBeLessThanOrEqual(1e-6 * Math.max(1, v));
    expect(out.errors).toEqual({});
    expect(out.assay.inFlight).toBe(0);
    expect(out.assay.goodput).toBeNull();
  });

  it("counts errors by class and takes --goodput and --metric-percentiles", async () => {
    const raw = JSON.parse(fs.readFileSync(BASELINE, "utf8"));
    raw.records[0].error = "HTTP 429: Too Many Requests";
    raw.records[1].error = "HTTP 503";
    raw.records[2].error = "Request timed out";
    raw.records[3].error = "HTTP 503";
    const file = path.join(dir, "with-errors.json");
    fs.writeFileSync(file, JSON.stringify(raw));
    const r = await assay("report", file, "--json", "--goodput", "ttft:50", "tpot:20", "e2el:5000", "--metric-percentiles", "50,95,99");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.errors).toEqual({ http_429: 1, http_5xx: 2, timeout: 1 });
    expect(out.varcas.failed_requests).toBe(4);
    expect(out.assay.goodput.slo).toEqual({ ttftMs: 50, tpotMs: 20, e2elMs: 5000 });
    expect(Object.keys(out.assay.e2eMs)).toEqual(["count", "mean", "max", "p50", "p95", "p99"]);
  });

  it("prints a readable table without --json", async () => {
    const r = await assay("report", BASELINE, "--goodput", "ttft:50");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("varcas's definitions");
    expect(r.stdout).toMatch(/throughput 19\.41 req\/s, 2,188\.4 output tok\/s/);
    expect(r.stdout).toMatch(/TTFT\s+p50 45\.9 ms\s+p99 58\.7 ms/);
    expect(r.stdout).toMatch(/E2E \(sent\)\s+1146\s+1,751\.1\s+1,569\.7/);
    expect(r.stdout).toContain("goodput");
    expect(r.stdout).toContain("failures: none");
  });

  it("exits 2 naming the record and field of a bad file", async () => {
    const raw = JSON.parse(fs.readFileSync(BASELINE, "utf8"));
    raw.records[7].output_tokens = -3;
    const file = path.join(dir, "bad.json");
    fs.writeFileSync(file, JSON.stringify(raw));
    const r = await assay("report", file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("records[7].output_tokens");
    const missing = await assay("report", path.join(dir, "nope.json"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json: no such file/);
  });

  it.each([
    [["--goodput", "ttft"], "--goodput"],
    [["--goodput", "latency:200"], "--goodput"],
    [["--goodput", "ttft:-1"], "--goodput"],
    [["--metric-percentiles", "50,abc"], "--metric-percentiles"],
    [["--metric-percentiles", "0,50"], "--metric-percentiles"],
  ])("exits 2 on %j naming %s", async (flags, flag) => {
    const r = await assay("report", BASELINE, ...flags);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(flag);
    expect(r.stdout).toBe("");
  });
});
