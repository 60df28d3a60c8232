// The sweep against the simulator (a server that serves 8 requests at once: its ceiling is known), and the
// over-saturation rule on records whose answers are known.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saturation, runSweep } from "@/lib/harness/sweep";
import { builtInProfile } from "@/lib/harness/profiles";
import type { HarnessRecord } from "@/lib/harness/types";
import { startSimulator, type RunningSimulator } from "@/lib/simulator";
import { assay } from "../support/cliInProcess";

const rec = (sent: number, e2eMs: number): HarnessRecord => ({
  request_id: String(sent),
  workload_name: "chat",
  timestamp_sent: sent,
  timestamp_first_token: sent + 0.01,
  timestamp_last_token: sent + e2eMs / 1000,
  input_tokens: 1,
  output_tokens: 4,
  prompt_text: "p",
  output_text: "o",
  error: null,
});

describe("over-saturation", () => {
  it("answers falling behind the sends, or latency climbing through the step, and not a steady step", () => {
    const steady = Array.from({ length: 100 }, (_, i) => rec(i / 10, 100));
    expect(saturation(steady)).toBeNull();
    // 20 of 100 still waiting (or failed) when the step ended: behind. 95 of 100 answered: not.
    const behind = steady.map((r, i) => (i >= 80 ? { ...r, error: "still in flight when the run stopped" } : r));
    expect(saturation(behind)).toBe("answered 80 of the 100 requests sent: requests queue up or fail");
    expect(saturation(steady.slice(0, 95).concat(behind.slice(95)))).toBeNull();
    // A step that sent fewer than the rate asked (Poisson) but answered them all is not behind.
    expect(saturation(steady.slice(0, 80))).toBeNull();
    const climbing = Array.from({ length: 100 }, (_, i) => rec(i / 10, 100 + i * 10));
    expect(saturation(climbing)).toMatch(/median latency climbed from \d+ ms to \d+ ms/);
  });
});

let sim: RunningSimulator;
beforeAll(async () => {
  // 8 at a time, about 20 + 7 x 2 = 34 ms each: a ceiling near 8 / 0.034 = 235 requests/s
  sim = await startSimulator({ port: 0, ttftMs: 20, itlMs: 2, jitter: 0, maxConcurrency: 8 });
});
afterAll(() => sim.close());

describe("sweep", () => {
  it("synchronous, throughput, then rates between; the ceiling is the server's", async () => {
    const r = await runSweep(
      {
        url: sim.url,
        apiKey: null,
        model: "assay-sim-1",
        endpoint: "completions",
        profile: builtInProfile("chat_low")!,
        seed: 1,
        overrides: { maxTokens: 8, ignoreEos: true },
        timeoutMs: 10_000,
        warmupS: 0,
        cooldownS: 0,
        drainS: 2,
        durationS: 1.5,
      },
      4,
      { throughputUsers: 32 },
    );
    expect(r.steps.map((s) => s.mode)).toEqual(["synchronous", "throughput", "rate", "rate"]);
    expect(r.steps.map((s) => s.saturated)).toEqual([false, false, false, false]);
    const [sync, max] = r.steps;
    // one at a time: about 1 / 0.034 = 29/s; at most 8 at once: about 235/s
    expect(sync.throughputRps).toBeGreaterThan(15);
    expect(sync.throughputRps).toBeLessThan(35);
    expect(max.throughputRps).toBeGreaterThan(sync.throughputRps * 3);
    expect(max.throughputRps).toBeLessThan(260);
    // 32 users on 8 slots wait: latency well above the floor
    expect(max.e2eP50Ms!).toBeGreaterThan(sync.e2eP50Ms! * 2);
    expect(r.steps[2].targetRate!).toBeCloseTo(sync.throughputRps + (max.throughputRps - sync.throughputRps) / 3, 2);
    expect(r.files).toHaveLength(r.steps.length);
  }, 60_000);

  it("stopped mid-step, it drops that step, starts no other, and says it was stopped", async () => {
    const controller = new AbortController();
    const started: string[] = [];
    const t0 = performance.now();
    const r = await runSweep(
      {
        url: sim.url,
        apiKey: null,
        model: "assay-sim-1",
        endpoint: "completions",
        profile: builtInProfile("chat_low")!,
        seed: 1,
        overrides: { maxTokens: 8, ignoreEos: true },
        timeoutMs: 10_000,
        warmupS: 0,
        cooldownS: 0,
        drainS: 2,
        durationS: 3,
        // The first step keeps the absolute start (the later ones start when the step before ends).
        startAtMs: Date.now() + 200,
        signal: controller.signal,
      },
      5,
      {
        throughputUsers: 16,
        onStepStart: (i, name) => {
          started.push(name);
          if (i === 1) setTimeout(() => controller.abort(), 400);
        },
      },
    );
    expect(started).toEqual(["synchronous", "throughput"]);
    expect(r.aborted).toBe(true);
    expect(r.steps.map((s) => s.mode)).toEqual(["synchronous"]);
    // The first step's 3 s, the second's 0.4 s, and no more.
    expect(performance.now() - t0).toBeLessThan(5_500);
    const lags = r.files[0].records.map((x) => (x.timestamp_sent - x.assay!.intended_send_time) * 1000);
    expect(Math.max(...lags)).toBeLessThan(100);
  }, 30_000);

  it("the CLI refuses a sweep without a duration or with its own rate", async () => {
    expect((await assay("harness", "--url", sim.url, "--model", "m", "--sweep", "4")).stderr).toMatch(/--sweep needs --duration/);
    expect((await assay("harness", "--url", sim.url, "--model", "m", "--sweep", "4", "--duration", "1", "--request-rate", "5")).code).toBe(
      2,
    );
    expect((await assay("harness", "--url", sim.url, "--model", "m", "--sweep", "2", "--duration", "1")).stderr).toMatch(
      /--sweep must be at least 3/,
    );
  });
});
