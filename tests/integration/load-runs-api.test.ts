// Load testing through the API against the real stack: a varcas trace uploaded (checked whole; a bad file stores
// nothing), a run of it against the built-in simulator by the stack's worker (live progress, then results whose varcas
// block `assay report` recomputes to the same numbers and whose prompts are the trace's), a results file imported as a
// run and compared, a run split into two shards run by two more worker processes on one absolute start, a cancelled
// run's in-flight requests, and refusals naming the field, for the wrong role, and for a bad file.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { varcasMetrics } from "@/lib/harness/metrics";
import type { HarnessRecord } from "@/lib/harness/types";
import { api } from "../support/http";
import { demoCredentials } from "../support/roles";

const FIXTURES = path.resolve(__dirname, "../../../shared/fixtures/varcas");
const promptsText = fs.readFileSync(path.join(FIXTURES, "prompts.json"), "utf8");
const prompts = JSON.parse(promptsText).prompts as { timestamp: number; prompt: string; max_tokens: number; output_tokens: number }[];
const stamp = Date.now().toString(36);
let creds: Awaited<ReturnType<typeof demoCredentials>>;
let traceId: string;
const children: ChildProcess[] = [];

type Run = {
  id: string;
  status: string;
  progress: { total: number; sent: number };
  summary: any;
  shards: { shard: number; status: string }[];
};
const view = async (id: string): Promise<Run> => (await api(`/api/v1/load-runs/${id}`, { key: creds.ENGINEER.key })).json.run;
const ended = (id: string, timeout = 90_000) =>
  expect.poll(async () => (await view(id)).status, { timeout, interval: 500 }).toMatch(/^(SUCCEEDED|FAILED|CANCELLED)$/);

beforeAll(async () => {
  creds = await demoCredentials();
  const up = await api(`/api/v1/traces?name=prompts-${stamp}`, {
    key: creds.ENGINEER.key,
    rawBody: promptsText,
    headers: { "content-type": "application/json" },
  });
  expect(up.status, up.text).toBe(201);
  traceId = up.json.trace.id;
}, 60_000);

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
});

describe("traces", () => {
  it("an uploaded varcas trace keeps every request, with its span, rate and lengths", async () => {
    const t = (await api(`/api/v1/traces/${traceId}`, { key: creds.PM.key })).json.trace;
    expect(t).toMatchObject({ format: "varcas-trace", requestCount: prompts.length, hasTimestamps: true });
    const span = prompts[prompts.length - 1].timestamp - prompts[0].timestamp;
    expect(t.stats.spanS).toBeCloseTo(span, 3);
    expect(t.stats.meanRate).toBeCloseTo((prompts.length - 1) / span, 3);
    expect(t.stats.outputTokens.mean).toBeCloseTo(prompts.reduce((a, p) => a + p.output_tokens, 0) / prompts.length, 2);
    // the download is varcas's format with the same prompts
    const d = await api(`/api/v1/traces/${traceId}/download`, { key: creds.PM.key });
    expect(d.status).toBe(200);
    expect(d.json.prompts.map((p: { prompt: string }) => p.prompt)).toEqual(prompts.map((p) => p.prompt));
  });

  it("a bad file is refused whole, naming the line and field; nothing is stored", async () => {
    const before = (await api("/api/v1/traces", { key: creds.ENGINEER.key })).json.traces.length;
    const bad = promptsText.slice(0, 5000);
    const r = await api(`/api/v1/traces?name=bad-${stamp}`, {
      key: creds.ENGINEER.key,
      rawBody: bad,
      headers: { "content-type": "application/json" },
    });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/line \d+/);
    const negative = 'timestamp,prompt,max_tokens\n0,"a",5\n-1,"b",5\n';
    const n = await api(`/api/v1/traces?name=neg-${stamp}`, {
      key: creds.ENGINEER.key,
      rawBody: negative,
      headers: { "content-type": "text/csv" },
    });
    expect(n.status).toBe(400);
    expect(n.json.error.message).toMatch(/line 3/);
    expect(
      (
        await api(`/api/v1/traces?name=prompts-${stamp}`, {
          key: creds.ENGINEER.key,
          rawBody: promptsText,
          headers: { "content-type": "application/json" },
        })
      ).json.error.message,
    ).toMatch(/already named/);
    expect(
      (
        await api("/api/v1/traces?format=nope", {
          key: creds.ENGINEER.key,
          rawBody: promptsText,
          headers: { "content-type": "application/json" },
        })
      ).status,
    ).toBe(400);
    expect((await api("/api/v1/traces", { key: creds.ENGINEER.key })).json.traces.length).toBe(before);
    // a PM reads, does not upload; a REVIEWER does neither
    expect(
      (
        await api(`/api/v1/traces?name=pm-${stamp}`, {
          key: creds.PM.key,
          rawBody: promptsText,
          headers: { "content-type": "application/json" },
        })
      ).status,
    ).toBe(403);
    expect((await api("/api/v1/traces", { key: creds.REVIEWER.key })).status).toBe(403);
  });
});

describe("load runs", () => {
  let runId: string;
  it("replays the trace against the simulator with live progress; its results are varcas's format with the trace's prompts", async () => {
    const r = await api("/api/v1/load-runs", {
      key: creds.ENGINEER.key,
      body: {
        name: `replay-${stamp}`,
        target: "simulator",
        simulator: { ttftMs: 20, itlMs: 1 },
        traceId,
        numPrompts: 120,
        requestRate: 100,
        arrival: "constant",
        maxTokens: 8,
      },
    });
    expect(r.status, r.text).toBe(201);
    runId = r.json.run.id;
    expect(r.json.run.status).toBe("QUEUED");
    expect(r.json.run.shards).toHaveLength(1);
    // progress shows while it runs
    await expect.poll(async () => (await view(runId)).progress.sent, { timeout: 60_000, interval: 200 }).toBeGreaterThan(0);
    await ended(runId);
    const done = await view(runId);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.summary.metrics.total_requests).toBe(120);
    expect(done.summary.assay.targetRate).toBeCloseTo(100, 3);
    expect(done.summary.charts.latencyCdf).toHaveLength(101);

    const file = (await api(`/api/v1/load-runs/${runId}/results`, { key: creds.PM.key })).json;
    expect(file.records).toHaveLength(120);
    const byIntended = [...file.records].sort(
      (a: HarnessRecord, b: HarnessRecord) => a.assay!.intended_send_time - b.assay!.intended_send_time,
    );
    expect(byIntended.map((x: HarnessRecord) => x.prompt_text)).toEqual(prompts.slice(0, 120).map((p) => p.prompt));
    const again = varcasMetrics(file.records);
    for (const [k, v] of Object.entries(file.metrics as Record<string, number>))
      expect((again as unknown as Record<string, number>)[k]).toBeCloseTo(v, 6);
    expect(file.records.every((x: HarnessRecord) => x.output_tokens <= 8 && x.assay!.tokens_source === "usage")).toBe(true);
  });

  it("imports varcas's results file as a run and compares it with the replay", async () => {
    const baselineText = fs.readFileSync(path.join(FIXTURES, "baseline.json"), "utf8");
    const imp = await api(`/api/v1/load-runs/import?name=baseline-${stamp}`, {
      key: creds.ENGINEER.key,
      rawBody: baselineText,
      headers: { "content-type": "application/json" },
    });
    expect(imp.status, imp.text).toBe(201);
    const baseline = JSON.parse(baselineText);
    expect(imp.json.run).toMatchObject({ status: "SUCCEEDED", source: "import" });
    for (const [k, v] of Object.entries(baseline.metrics as Record<string, number>))
      expect(imp.json.run.summary.metrics[k]).toBeCloseTo(v, 6);
    const cmp = await api(`/api/v1/load-runs/compare?baseline=${imp.json.run.id}&optimized=${runId}`, { key: creds.PM.key });
    expect(cmp.status, cmp.text).toBe(200);
    const c = cmp.json.comparison;
    expect(c.matchedPrompts.matched).toBe(120);
    expect(c.sameTrace).toBe(false);
    expect(c.warnings.map((w: { code: string }) => w.code)).toEqual(expect.arrayContaining(["DIFFERENT_TRACE", "NO_REPLICATES"]));
    expect(c.metrics.ttft_p50_ms.baseline).toBeCloseTo(baseline.metrics.ttft_p50_ms, 6);
    expect((await api(`/api/v1/load-runs/compare?baseline=${imp.json.run.id}`, { key: creds.PM.key })).status).toBe(400);
    const broken = await api(`/api/v1/load-runs/import?name=broken-${stamp}`, {
      key: creds.ENGINEER.key,
      rawBody: baselineText.slice(0, 3000),
      headers: { "content-type": "application/json" },
    });
    expect(broken.status).toBe(400);
  });

  it("a run in two shards is run by two workers from one absolute start and merged into one result", async () => {
    const worker = () =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", "workers/index.ts"], {
          env: { ...process.env, DATABASE_URL: inject("databaseUrl"), ASSAY_HEARTBEAT_SECONDS: "2" },
          stdio: ["ignore", "pipe", "pipe"],
        });
        children.push(child);
        let out = "";
        const timer = setTimeout(() => reject(new Error(`worker did not start: ${out}`)), 60_000);
        const seen = (d: Buffer) => {
          out += d;
          if (/ready:/.test(out)) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout!.on("data", seen);
        child.stderr!.on("data", seen);
      });
    await Promise.all([worker(), worker()]);
    const r = await api("/api/v1/load-runs", {
      key: creds.ENGINEER.key,
      body: {
        name: `sharded-${stamp}`,
        target: "simulator",
        simulator: { ttftMs: 10, itlMs: 1 },
        profile: "chat_low",
        requestRate: 60,
        arrival: "constant",
        durationS: 3,
        maxTokens: 4,
        shards: 2,
      },
    });
    expect(r.status, r.text).toBe(201);
    const id = r.json.run.id;
    await ended(id, 120_000);
    const run = await view(id);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.shards.map((s) => s.status)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    expect(run.summary.assay.shards).toBe(2);
    const file = (await api(`/api/v1/load-runs/${id}/results`, { key: creds.ENGINEER.key })).json;
    expect(file.records).toHaveLength(180);
    const byShard = [0, 1].map((s) => file.records.filter((x: HarnessRecord) => x.assay!.shard === s));
    expect(byShard.map((x) => x.length)).toEqual([90, 90]);
    // one schedule: intended send times interleave at 1/60 s, the shards' first sends 1/60 s apart
    const intended = file.records.map((x: HarnessRecord) => x.assay!.intended_send_time).sort((a: number, b: number) => a - b);
    for (let i = 1; i < intended.length; i++) expect((intended[i] - intended[i - 1]) * 1000).toBeCloseTo(1000 / 60, 1);
    expect(new Set(file.records.map((x: HarnessRecord) => x.prompt_text)).size).toBeGreaterThan(170);
  }, 180_000);

  it("a cancelled run stops sending and records what was in flight as in flight", async () => {
    const r = await api("/api/v1/load-runs", {
      key: creds.ENGINEER.key,
      body: {
        name: `cancel-${stamp}`,
        target: "simulator",
        simulator: { ttftMs: 3000, itlMs: 10 },
        profile: "chat_low",
        requestRate: 20,
        durationS: 60,
        maxTokens: 4,
      },
    });
    expect(r.status, r.text).toBe(201);
    const id = r.json.run.id;
    await expect.poll(async () => (await view(id)).progress.sent, { timeout: 60_000, interval: 200 }).toBeGreaterThan(5);
    expect((await api(`/api/v1/load-runs/${id}/cancel`, { key: creds.PM.key, body: {} })).status).toBe(403);
    const c = await api(`/api/v1/load-runs/${id}/cancel`, { key: creds.ENGINEER.key, body: {} });
    expect(c.status, c.text).toBe(200);
    await ended(id);
    const run = await view(id);
    expect(run.status).toBe("CANCELLED");
    expect(run.summary.assay.aborted).toBe(true);
    expect(run.summary.assay.metrics.inFlight).toBeGreaterThan(0);
    expect(run.summary.assay.metrics.successful).toBe(0);
    expect(run.summary.metrics.successful_requests).toBe(0);
    expect((await api(`/api/v1/load-runs/${id}/cancel`, { key: creds.ENGINEER.key, body: {} })).status).toBe(409);
  });

  it("a sweep runs synchronous, throughput and rates between as runs of their own, and draws the curve from them", async () => {
    const r = await api("/api/v1/load-runs", {
      key: creds.ENGINEER.key,
      body: {
        name: `sweep-${stamp}`,
        target: "simulator",
        simulator: { ttftMs: 20, itlMs: 5 },
        profile: "chat_low",
        maxTokens: 8,
        durationS: 1.5,
        drainS: 5,
        sweepSteps: 4,
        maxConcurrency: 8,
      },
    });
    expect(r.status, r.text).toBe(201);
    const id = r.json.run.id;
    expect(r.json.run.sweep).toMatchObject({ plannedSteps: 4, steps: [], current: null });
    await ended(id, 120_000);
    const run = (await api(`/api/v1/load-runs/${id}`, { key: creds.ENGINEER.key })).json.run;
    expect(run.status, run.error).toBe("SUCCEEDED");
    expect(run.share).toBe(1);
    const steps = run.sweep.steps as {
      mode: string;
      targetRate: number | null;
      throughputRps: number;
      runId: string;
      saturated: boolean;
    }[];
    expect(steps.map((s) => s.mode)).toEqual(["synchronous", "throughput", "rate", "rate"]);
    const [sync, max, r1, r2] = steps;
    // One user waits ~20 + 7 x 5 ms an answer; eight at once answer about eight times as many (a 10,000-slot simulator).
    expect(max.throughputRps).toBeGreaterThan(3 * sync.throughputRps);
    // The rates are a third and two thirds of the way from the floor to the ceiling.
    expect(r1.targetRate!).toBeCloseTo(sync.throughputRps + (max.throughputRps - sync.throughputRps) / 3, 2);
    expect(r2.targetRate!).toBeCloseTo(sync.throughputRps + (2 * (max.throughputRps - sync.throughputRps)) / 3, 2);
    expect(steps.every((s) => !s.saturated)).toBe(true);
    // Each step is a finished run of its own, under the sweep, with its records; one user sends only after each answer.
    for (const [i, s] of steps.entries()) {
      const step = (await api(`/api/v1/load-runs/${s.runId}`, { key: creds.ENGINEER.key })).json.run;
      expect(step.status).toBe("SUCCEEDED");
      expect(step.sweepOf).toEqual({ id, name: `sweep-${stamp}`, step: i + 1 });
      const file = (await api(`/api/v1/load-runs/${s.runId}/results`, { key: creds.ENGINEER.key })).json;
      expect(file.records.length).toBe(step.summary.metrics.total_requests);
      expect(file.records.length).toBeGreaterThan(5);
      if (s.mode === "synchronous") {
        const recs = (file.records as HarnessRecord[]).sort((a, b) => a.timestamp_sent - b.timestamp_sent);
        for (let k = 1; k < recs.length; k++)
          expect(recs[k].timestamp_sent).toBeGreaterThanOrEqual(recs[k - 1].timestamp_last_token! - 0.001);
      }
    }
    const listed = (await api("/api/v1/load-runs", { key: creds.ENGINEER.key })).json.runs as { id: string; sweepSteps: number | null }[];
    expect(listed.find((x) => x.id === id)?.sweepSteps).toBe(4);
    expect(listed.find((x) => x.id === steps[0].runId)?.sweepSteps).toBeNull();
    // The steps follow their sweep in the list, in step order.
    const at = listed.findIndex((x) => x.id === id);
    expect(listed.slice(at + 1, at + 5).map((x) => x.id)).toEqual(steps.map((s) => s.runId));
    expect(listed.slice(at + 1, at + 5).map((x) => (x as { sweepStep?: number }).sweepStep)).toEqual([1, 2, 3, 4]);
    // The sweep itself has no results file and is not compared; its steps are.
    expect((await api(`/api/v1/load-runs/${id}/results`, { key: creds.ENGINEER.key })).status).toBe(409);
    const cmp = await api(`/api/v1/load-runs/compare?baseline=${id}&optimized=${steps[1].runId}`, { key: creds.ENGINEER.key });
    expect(cmp.status).toBe(400);
    expect(cmp.json.error.message).toMatch(/is a sweep: choose one of its steps/);
    const ok = await api(`/api/v1/load-runs/compare?baseline=${steps[0].runId}&optimized=${steps[1].runId}`, { key: creds.ENGINEER.key });
    expect(ok.status, ok.text).toBe(200);
  });

  it("a cancelled sweep keeps the steps that finished and runs no more", async () => {
    const r = await api("/api/v1/load-runs", {
      key: creds.ENGINEER.key,
      body: {
        name: `sweep-cancel-${stamp}`,
        target: "simulator",
        simulator: { ttftMs: 20, itlMs: 5 },
        profile: "chat_low",
        maxTokens: 8,
        durationS: 2,
        drainS: 2,
        sweepSteps: 6,
      },
    });
    expect(r.status, r.text).toBe(201);
    const id = r.json.run.id;
    await expect
      .poll(async () => ((await view(id as string)) as any).sweep.steps.length, { timeout: 90_000, interval: 300 })
      .toBeGreaterThan(0);
    expect((await api(`/api/v1/load-runs/${id}/cancel`, { key: creds.ENGINEER.key, body: {} })).status).toBe(200);
    await ended(id);
    const run = (await api(`/api/v1/load-runs/${id}`, { key: creds.ENGINEER.key })).json.run;
    expect(run.status).toBe("CANCELLED");
    expect(run.sweep.stopped).toBe(true);
    expect(run.sweep.current).toBeNull();
    expect(run.sweep.steps.length).toBeGreaterThan(0);
    expect(run.sweep.steps.length).toBeLessThan(6);
  });

  it("refuses settings that cannot make a run, naming the field; roles are checked on the server", async () => {
    const post = (body: unknown, key = creds.ENGINEER.key) => api("/api/v1/load-runs", { key, body });
    const cases: [unknown, RegExp][] = [
      [{ name: "x", target: "simulator", profile: "chat_low", traceId, durationS: 1 }, /traceId: choose a profile or a trace, not both/],
      [{ name: "x", target: "no-such-endpoint", profile: "chat_low", durationS: 1 }, /target: no endpoint is named "no-such-endpoint"/],
      [
        { name: "x", target: "simulator", profile: "chat_low", requestRate: 5, concurrentUsers: 2, durationS: 1 },
        /concurrentUsers: give a request rate/,
      ],
      [{ name: "x", target: "simulator", profile: "chat_low" }, /durationS: give a duration or a number of requests/],
      [{ name: "x", target: "simulator", profile: "poetry", durationS: 1 }, /profile must be one of/],
      [{ name: "x", target: "simulator", profile: "chat_low", durationS: 1, shards: 99 }, /shards must be at most 16/],
      [{ name: "x", target: "simulator", profile: "chat_low", requestRate: 100_000, durationS: 86_400 }, /more than 1,000,000 requests/],
      [{ name: "x", target: "simulator", traceId: "nope", durationS: 1 }, /traceId: no trace has the id "nope"/],
      [{ name: "x", target: "simulator", profile: "chat_low", durationS: 1, extra: 1 }, /extra/],
      [{ name: "x", target: "simulator", profile: "chat_low", sweepSteps: 4 }, /durationS: a sweep needs a duration/],
      [
        { name: "x", target: "simulator", profile: "chat_low", sweepSteps: 4, durationS: 5, requestRate: 3 },
        /requestRate: a sweep picks the rates itself/,
      ],
      [
        { name: "x", target: "simulator", profile: "chat_low", sweepSteps: 4, durationS: 5, shards: 2 },
        /shards: a sweep runs its steps one after another/,
      ],
      [{ name: "x", target: "simulator", profile: "chat_low", sweepSteps: 10, durationS: 1800 }, /durationS: a sweep runs at most 4 hours/],
      [
        { name: "x", target: "simulator", profile: "chat_low", sweepSteps: 3, durationS: 4800 },
        /durationS: a sweep's step lasts at most 30 minutes/,
      ],
      [{ name: "x", target: "simulator", profile: "chat_low", sweepSteps: "", durationS: 5 }, /sweepSteps must be a number from 3 to 20/],
      [{ name: "x", target: "simulator", profile: "chat_low", sweepSteps: 2, durationS: 5 }, /sweepSteps must be at least 3/],
      [{ name: "x", target: "simulator", profile: "chat_low", sweepSteps: 4.5, durationS: 5 }, /sweepSteps must be a whole number/],
    ];
    for (const [body, message] of cases) {
      const r = await post(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.message, JSON.stringify(body)).toMatch(message);
    }
    expect((await post({ name: "x", target: "simulator", profile: "chat_low", durationS: 1 }, creds.PM.key)).status).toBe(403);
    expect((await api("/api/v1/load-runs", { key: creds.REVIEWER.key })).status).toBe(403);
    expect((await api("/api/v1/load-runs", { key: creds.PM.key })).status).toBe(200);
  });
});

describe("the demo", () => {
  it("opens on two finished replays of varcas's prompts against the simulator at two settings, and their comparison", async () => {
    const runs = (await api("/api/v1/load-runs", { key: creds.PM.key })).json.runs as { id: string; name: string; requests: number }[];
    const base = runs.find((r) => r.name === "Replay on the current build")!;
    const fast = runs.find((r) => r.name === "Replay on the faster build")!;
    expect(base.requests).toBe(400);
    expect(fast.requests).toBe(400);
    const c = (await api(`/api/v1/load-runs/compare?baseline=${base.id}&optimized=${fast.id}`, { key: creds.PM.key })).json.comparison;
    expect(c.sameTrace).toBe(true);
    expect(c.matchedPrompts.matched).toBe(400);
    // the faster build: TTFT 35 ms against 60 ms, so the p50 drops by about 25 ms, and clearly
    expect(c.metrics.ttft_p50_ms.delta).toBeLessThan(-15);
    expect(c.metrics.ttft_p50_ms.pValue).toBeLessThan(0.001);
    const traces = (await api("/api/v1/traces", { key: creds.PM.key })).json.traces as { name: string; requestCount: number }[];
    expect(traces.find((t) => t.name === "varcas chat_medium prompts")?.requestCount).toBe(prompts.length);
  });
});
