// `assay harness` end to end through the CLI's main() against the simulator over loopback: the results file in varcas's
// format (its metrics recomputed by `assay report` to the same numbers), the saved trace replayed with the same prompts
// (and `assay compare` seeing one trace), failures by class, closed loop, and every bad flag refused with exit 2 and a
// message naming it; plus the planner (profiles, traces, shards) and the CLIENT_BOUND rule on their own.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assay } from "../support/cliInProcess";
import { planRun, scheduleFigures, type HarnessOptions } from "@/lib/harness/harness";
import { builtInProfile } from "@/lib/harness/profiles";
import { readTrace } from "@/lib/harness/traces";
import type { HarnessRecord, TraceRequest } from "@/lib/harness/types";
import { startSimulator, type RunningSimulator } from "@/lib/simulator";

const PROMPTS = path.resolve(__dirname, "../../../shared/fixtures/varcas/prompts.json");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-harness-"));
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, ttftMs: 15, itlMs: 2, jitter: 0, maxConcurrency: 500 });
});
afterAll(async () => {
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const base = (extra: Partial<HarnessOptions>): HarnessOptions => ({
  url: "http://127.0.0.1:1",
  apiKey: null,
  model: "m",
  endpoint: "completions",
  seed: 1,
  overrides: {},
  timeoutMs: 1000,
  warmupS: 0,
  cooldownS: 0,
  drainS: 1,
  ...extra,
});

async function traceOf(file: string) {
  const t = await readTrace(file);
  const requests: TraceRequest[] = [];
  for await (const r of t.requests) requests.push(r);
  return { requests, hasTimestamps: t.hasTimestamps, format: t.format, name: path.basename(file) };
}

describe("planning a run", () => {
  it("a profile gives its rate and lengths; --num-prompts and --duration end the schedule; the seed fixes it", () => {
    const p = builtInProfile("chat_medium")!;
    const a = planRun(base({ profile: p, numPrompts: 500 }));
    expect(a.requests.length).toBe(500);
    expect(a.arrival).toBe("poisson");
    expect(Math.abs(a.targetRate! - 20)).toBeLessThan(2.5); // Poisson(20/s) over ~25 s
    expect(planRun(base({ profile: p, numPrompts: 500 })).requests).toEqual(a.requests);
    const d = planRun(base({ profile: p, durationS: 5, requestRate: 100, arrival: "constant" }));
    expect(d.requests.length).toBe(500);
    expect(d.targetRate).toBeCloseTo(100, 6);
    const closed = planRun(base({ profile: builtInProfile("closed_loop")!, durationS: 2 }));
    expect(closed.offsets).toBeUndefined();
    expect(closed.concurrentUsers).toBe(10);
  });

  it("a trace keeps its timestamps (scaled), or takes a rate; shards split one schedule into disjoint parts", async () => {
    const trace = await traceOf(PROMPTS);
    const raw = JSON.parse(fs.readFileSync(PROMPTS, "utf8")).prompts as { timestamp: number; prompt: string }[];
    const full = planRun(base({ trace }));
    expect(full.arrival).toBe("trace");
    expect(full.requests.length).toBe(raw.length);
    expect(full.offsets![10]).toBeCloseTo(raw[10].timestamp - raw[0].timestamp, 9);
    const fast = planRun(base({ trace, timeScale: 2 }));
    expect(fast.offsets![10]).toBeCloseTo((raw[10].timestamp - raw[0].timestamp) / 2, 9);
    const cut = planRun(base({ trace, durationS: 10 }));
    expect(Math.max(...cut.offsets!)).toBeLessThan(10);
    expect(cut.requests.length).toBe(raw.filter((r) => r.timestamp - raw[0].timestamp < 10).length);
    const rated = planRun(base({ trace, requestRate: 50, arrival: "constant", numPrompts: 100 }));
    expect(rated.offsets![99]).toBeCloseTo(99 / 50, 9);
    expect(rated.requests.map((r) => r.prompt)).toEqual(raw.slice(0, 100).map((r) => r.prompt));

    const shards = [0, 1, 2].map((shard) => planRun(base({ trace, shard, shards: 3 })));
    const union = shards.flatMap((s) => Array.from(s.offsets!)).sort((x, y) => x - y);
    expect(union).toEqual(Array.from(full.offsets!));
    expect(shards[1].requests[0].prompt).toBe(raw[1].prompt);
    expect(() => planRun(base({ trace, shard: 3, shards: 3 }))).toThrow(/shard 3 of 3/);
  });
});

describe("CLIENT_BOUND", () => {
  const rec = (i: number, lagMs: number, spacingS: number): HarnessRecord => ({
    request_id: String(i),
    workload_name: "chat",
    timestamp_sent: 1000 + i * spacingS + lagMs / 1000,
    timestamp_first_token: 1000 + i * spacingS + 0.02,
    timestamp_last_token: 1000 + i * spacingS + 0.05,
    input_tokens: 1,
    output_tokens: 2,
    prompt_text: "p",
    output_text: "o",
    error: null,
    assay: {
      intended_send_time: 1000 + i * 0.01,
      status: "ok",
      error_class: null,
      http_status: 200,
      slot_wait_ms: 0,
      usage_input_tokens: 1,
      usage_output_tokens: 2,
      tokens_source: "usage",
      itl_ms: [30],
      measured: true,
      shard: 0,
    },
  });
  it("is raised by a lag p99 over 5 ms or an achieved rate more than 1% short, and not otherwise", () => {
    const onTime = scheduleFigures(
      Array.from({ length: 100 }, (_, i) => rec(i, 1, 0.01)),
      100,
      true,
    );
    expect(onTime.flags).toEqual([]);
    expect(onTime.achievedRate).toBeCloseTo(100, 3);
    const late = scheduleFigures(
      Array.from({ length: 100 }, (_, i) => rec(i, i >= 95 ? 8 : 1, 0.01)),
      100,
      true,
    );
    expect(late.flags).toEqual(["CLIENT_BOUND"]);
    expect(late.flagReasons[0]).toMatch(/schedule lag p99 \d+\.\d ms is over 5 ms/);
    // sends spaced 10.2 ms instead of 10 (2% slow, the lag growing past 5 ms too)
    const slow = scheduleFigures(
      Array.from({ length: 100 }, (_, i) => rec(i, 0, 0.0102)),
      100,
      true,
    );
    expect(slow.flags).toEqual(["CLIENT_BOUND"]);
    expect(slow.flagReasons.some((r) => /more than 1% short/.test(r))).toBe(true);
    // a closed loop has no schedule to fall behind
    expect(
      scheduleFigures(
        Array.from({ length: 100 }, (_, i) => rec(i, 50, 0.02)),
        null,
        false,
      ).flags,
    ).toEqual([]);
  });
});

describe("assay harness", () => {
  it("runs, writes varcas's results format and trace, and the replay sends the same prompts", async () => {
    const out = path.join(dir, "base.json");
    const trace = path.join(dir, "trace.json");
    const r = await assay(
      "harness",
      "--url",
      sim.url,
      "--num-prompts",
      "60",
      "--request-rate",
      "120",
      "--output",
      out,
      "--save-trace",
      trace,
      "--api-key",
      "sk-secret-123",
      "--quiet",
      "--goodput",
      "ttft:500",
      "e2el:5000",
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^60 sent: 60 ok, 0 failed, 0 still in flight at the end\./);
    const text = fs.readFileSync(out, "utf8");
    expect(text).not.toContain("sk-secret-123");
    const file = JSON.parse(text);
    expect(Object.keys(file)).toEqual(["experiment_id", "profile_name", "config", "start_time", "end_time", "metrics", "records", "assay"]);
    expect(file.start_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    expect(file.records).toHaveLength(60);
    expect(file.config).toMatchObject({ arrival_process: "poisson", open_loop: true });
    expect(file.assay.target).toEqual({ url: sim.url, model: "assay-sim-1", endpoint: "completions" });
    expect(file.assay.metrics.goodput.requests).toBe(60);
    // every record's tokens are the server's usage
    expect(
      file.records.every((x: HarnessRecord) => x.assay!.tokens_source === "usage" && x.output_tokens === x.assay!.usage_output_tokens),
    ).toBe(true);

    // assay report recomputes the same varcas block from the records
    const rep = await assay("report", out, "--json");
    expect(rep.code).toBe(0);
    const reported = JSON.parse(rep.stdout);
    for (const [k, v] of Object.entries(file.metrics as Record<string, number>)) expect(reported.varcas[k]).toBeCloseTo(v, 6);

    // the saved trace is varcas's format with the prompts sent
    const saved = JSON.parse(fs.readFileSync(trace, "utf8"));
    expect(Object.keys(saved)).toEqual(["metadata", "prompts"]);
    expect(saved.metadata.total_requests).toBe(60);
    const sentPrompts = [...file.records]
      .sort((a: HarnessRecord, b: HarnessRecord) => a.assay!.intended_send_time - b.assay!.intended_send_time)
      .map((x: HarnessRecord) => x.prompt_text);
    expect(saved.prompts.map((p: { prompt: string }) => p.prompt)).toEqual(sentPrompts);

    const again = path.join(dir, "replay.json");
    const replay = await assay("harness", "--url", sim.url, "--trace", trace, "--output", again, "--quiet");
    expect(replay.code).toBe(0);
    const cmp = await assay("compare", out, again, "--json");
    expect(cmp.code).toBe(0);
    const c = JSON.parse(cmp.stdout);
    expect(c.sameTrace).toBe(true);
    expect(c.warnings.map((w: { code: string }) => w.code)).toContain("NO_REPLICATES");
    expect(c.warnings.map((w: { code: string }) => w.code)).not.toContain("DIFFERENT_TRACE");
  });

  it("counts failures by class and closed-loop users", async () => {
    const faulty = await startSimulator({ port: 0, ttftMs: 2, itlMs: 1, jitter: 0, errorRate: 0.4, seed: 3 });
    const out = path.join(dir, "faulty.json");
    const r = await assay(
      "harness",
      "--url",
      faulty.url,
      "--model",
      "assay-sim-1",
      "--num-prompts",
      "50",
      "--concurrent-users",
      "4",
      "--output",
      out,
      "--quiet",
    );
    const stats = faulty.stats();
    await faulty.close();
    expect(r.code).toBe(0);
    const file = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(file.config.open_loop).toBe(false);
    expect(file.assay.metrics.errors).toEqual({ http_429: stats.rateLimited, http_5xx: stats.serverErrors });
    expect(file.metrics.failed_requests).toBe(stats.rateLimited + stats.serverErrors);
    expect(file.metrics.total_requests).toBe(50);
    expect(r.stdout).toMatch(new RegExp(`http_429 ${stats.rateLimited}`));
  });

  it("refuses bad flags and files with exit 2 naming them; an unreachable server is exit 1 in one line", async () => {
    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(bad, '{"metadata": {}, "prompts": [{"timestamp": 0, "prompt": "a", "max_tokens": 5');
    const cases: [string[], RegExp][] = [
      [["--profile", "nope"], /--profile: no profile "nope"/],
      [["--request-rate", "5", "--concurrent-users", "2"], /not both/],
      [["--request-rate", "fast"], /--request-rate must be a number/],
      [["--arrival", "weibull"], /--arrival must be one of constant, poisson, gamma; got "weibull"/],
      [["--trace", path.join(dir, "missing.json")], /--trace: no such file/],
      [["--trace", bad], /--trace: .*line/],
      [["--goodput", "ttft=200"], /--goodput/],
      [["--metric-percentiles", "50,abc"], /--metric-percentiles/],
      [["--endpoint", "embeddings"], /--endpoint must be one of/],
    ];
    for (const [flags, message] of cases) {
      const r = await assay("harness", "--url", sim.url, "--model", "assay-sim-1", ...flags);
      expect(r.code, flags.join(" ")).toBe(2);
      expect(r.stderr, flags.join(" ")).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect((await assay("harness", "--url", "not a url")).stderr).toMatch(/--url must be a URL/);
    const gone = await assay("harness", "--url", "http://127.0.0.1:9", "--num-prompts", "1");
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^error: could not reach http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\): check --url, or give --model\n$/);
  });

  it("Ctrl-C stops the run, still writes the results with the in-flight requests, and exits 130", async () => {
    const slow = await startSimulator({ port: 0, ttftMs: 5000, itlMs: 1, jitter: 0 });
    const out = path.join(dir, "stopped.json");
    const child = spawn(
      process.execPath,
      [
        "cli/bin.mjs",
        "harness",
        "--url",
        slow.url,
        "--model",
        "assay-sim-1",
        "--request-rate",
        "20",
        "--duration",
        "30",
        "--output",
        out,
        "--quiet",
      ],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    await expect.poll(() => slow.stats().requests, { timeout: 15_000, interval: 100 }).toBeGreaterThan(5);
    const code = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGINT");
    expect(await code).toBe(130);
    await slow.close();
    expect(stderr).toContain("Stopped by Ctrl-C");
    const file = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(file.assay.aborted).toBe(true);
    expect(file.assay.metrics.inFlight).toBeGreaterThan(3);
    expect(file.metrics.successful_requests).toBe(0);
    expect(file.assay.notSent).toBeGreaterThan(400);
  }, 40_000);
});
