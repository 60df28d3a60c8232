// The load harness's client and run loop against Assay's simulator over real HTTP on loopback (and two tiny servers
// that misbehave on purpose). Timing bounds are loose enough for a busy 2-core CI machine and tight enough that a
// client which chained sleeps, or counted the slot wait as schedule lag, or called in-flight requests successes, fails.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quantile } from "simple-statistics";
import { startSimulator, type RunningSimulator } from "@/lib/simulator";
import { streamCompletion, completionUrl } from "@/lib/openai/stream";
import { runLoad, requestBody, IN_FLIGHT_ERROR, type RunSettings } from "@/lib/harness/run";
import { arrivalOffsets } from "@/lib/harness/arrivals";
import type { TraceRequest } from "@/lib/harness/types";

const req = (i: number, maxTokens = 8): TraceRequest => ({
  timestamp: 0,
  prompt: `User: question number ${i} about the weather.\nAssistant:`,
  maxTokens,
  workloadType: "chat",
  inputTokens: null,
  outputTokens: null,
});

function settings(url: string, extra: Partial<RunSettings> = {}): RunSettings {
  return {
    url,
    apiKey: null,
    model: "assay-sim-1",
    endpoint: "chat",
    overrides: {},
    timeoutMs: 10_000,
    drainS: 10,
    warmupS: 0,
    cooldownS: 0,
    ...extra,
  };
}

async function tinyServer(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, ttftMs: 40, itlMs: 8, jitter: 0, maxConcurrency: 1000 });
});
afterAll(() => sim.close());

describe("streaming client", () => {
  it("times the first token and the gaps between chunks, and takes token counts from usage", async () => {
    const ttfts: number[] = [];
    const allGaps: number[] = [];
    for (let i = 0; i < 5; i++) {
      const out = await streamCompletion({
        url: sim.url,
        apiKey: null,
        endpoint: "chat",
        body: requestBody(req(i, 12), "assay-sim-1", "chat", {}),
        timeoutMs: 5000,
      });
      expect(out.error).toBeNull();
      expect(out.httpStatus).toBe(200);
      ttfts.push(out.firstTokenAtMs! - out.sentAtMs);
      expect(out.usage!.completionTokens).toBe(out.contentChunks);
      expect(out.usage!.promptTokens).toBeGreaterThan(5);
      expect(out.itlMs.length).toBe(out.contentChunks - 1);
      expect(out.text.length).toBeGreaterThan(0);
      // the simulator waits itlMs = 8 between tokens: the mean gap is 8 ms (a busy machine may deliver two chunks in one
      // read, so single gaps can be 0 or 16, but they still add up to the same span)
      allGaps.push(...out.itlMs);
    }
    expect(allGaps.length).toBeGreaterThan(40);
    expect(Math.abs(allGaps.reduce((a, b) => a + b, 0) / allGaps.length - 8)).toBeLessThan(3);
    // true TTFT is 40 ms (jitter 0): the median measured is 40 to 50 (the simulator's timers may fire up to 1 ms early)
    expect(quantile(ttfts, 0.5)).toBeGreaterThanOrEqual(38.5);
    expect(quantile(ttfts, 0.5)).toBeLessThan(50);
  });

  it("speaks /v1/completions too, from a root or a /v1 base", async () => {
    expect(completionUrl("http://h:1/", "chat").href).toBe("http://h:1/v1/chat/completions");
    expect(completionUrl("http://h:1/v1", "completions").href).toBe("http://h:1/v1/completions");
    const out = await streamCompletion({
      url: `${sim.url}/v1`,
      apiKey: "sk-x",
      endpoint: "completions",
      body: requestBody(req(1, 6), "assay-sim-1", "completions", {}),
      timeoutMs: 5000,
    });
    expect(out.error).toBeNull();
    expect(out.usage?.completionTokens).toBeLessThanOrEqual(6);
    expect(out.contentChunks).toBe(out.usage?.completionTokens);
  });

  it("flags override the trace's sampling settings", () => {
    const r = { ...req(1), temperature: 0.7, seed: 3, ignoreEos: true };
    expect(requestBody(r, "m", "chat", {})).toMatchObject({ temperature: 0.7, seed: 3, ignore_eos: true, max_tokens: 8 });
    expect(requestBody(r, "m", "chat", { temperature: 0, maxTokens: 2, seed: 9 })).toMatchObject({
      temperature: 0,
      seed: 9,
      max_tokens: 2,
    });
    expect(requestBody(req(1), "m", "chat", {})).not.toHaveProperty("temperature");
  });

  it("classifies failures: 429, 5xx, 4xx, refused connection, stall (timeout), not an event stream, a broken stream", async () => {
    const faulty = await startSimulator({ port: 0, ttftMs: 1, itlMs: 1, jitter: 0, errorRate: 1, seed: 4 });
    const classes = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const out = await streamCompletion({
        url: faulty.url,
        apiKey: null,
        endpoint: "chat",
        body: requestBody(req(i), "assay-sim-1", "chat", {}),
        timeoutMs: 5000,
      });
      classes.add(out.error!.class);
      expect(out.error!.message).toMatch(/^HTTP (429|500): /);
    }
    await faulty.close();
    expect([...classes].sort()).toEqual(["http_429", "http_5xx"]);

    const bad = await streamCompletion({
      url: sim.url,
      apiKey: null,
      endpoint: "chat",
      body: { model: "no-such-model", messages: [] },
      timeoutMs: 5000,
    });
    expect(bad.error?.class).toBe("http_4xx");
    expect(bad.httpStatus).toBe(400);

    const gone = await tinyServer(() => {});
    const goneUrl = gone.url;
    await gone.close();
    const refused = await streamCompletion({ url: goneUrl, apiKey: null, endpoint: "chat", body: {}, timeoutMs: 5000 });
    expect(refused.error).toEqual({ class: "connection", message: "could not reach the server (ECONNREFUSED)" });

    const staller = await startSimulator({ port: 0, stallRate: 1 });
    const t0 = performance.now();
    const stalled = await streamCompletion({
      url: staller.url,
      apiKey: null,
      endpoint: "chat",
      body: requestBody(req(1), "assay-sim-1", "chat", {}),
      timeoutMs: 300,
    });
    expect(stalled.error?.class).toBe("timeout");
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(staller.stats().stalled).toBe(1);
    await staller.close();

    const json = await tinyServer((_, res) => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
    expect((await streamCompletion({ url: json.url, apiKey: null, endpoint: "chat", body: {}, timeoutMs: 2000 })).error?.class).toBe(
      "malformed_stream",
    );
    await json.close();
    const broken = await tinyServer((_, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end('data: {"choices":[{"delta":{"content":"hi"}}]}\n\ndata: {not json\n\n');
    });
    const b = await streamCompletion({ url: broken.url, apiKey: null, endpoint: "chat", body: {}, timeoutMs: 2000 });
    expect(b.error?.class).toBe("malformed_stream");
    expect(b.text).toBe("hi");
    await broken.close();
    const cut = await tinyServer((_, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end('data: {"choices":[{"delta":{"content":"hi"}}]}\n\n');
    });
    expect((await streamCompletion({ url: cut.url, apiKey: null, endpoint: "chat", body: {}, timeoutMs: 2000 })).error).toEqual({
      class: "malformed_stream",
      message: "the stream ended without [DONE]",
    });
    await cut.close();

    // Midway failures, told apart by the shared transport: a stall after the first chunk is the timeout, a socket the
    // server drops is a connection failure; the text that came before is kept either way.
    const midStall = await tinyServer((_, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write('data: {"choices":[{"delta":{"content":"hi"}}]}\n\n');
    });
    const ms = await streamCompletion({ url: midStall.url, apiKey: null, endpoint: "chat", body: {}, timeoutMs: 300 });
    expect(ms.error).toEqual({ class: "timeout", message: "no answer for 300 ms" });
    expect(ms.text).toBe("hi");
    expect(ms.firstTokenAtMs).not.toBeNull();
    await midStall.close();
    const dropper = await tinyServer((_, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write('data: {"choices":[{"delta":{"content":"hi"}}]}\n\n', () => setTimeout(() => res.socket?.destroy(), 20));
    });
    const dr = await streamCompletion({ url: dropper.url, apiKey: null, endpoint: "chat", body: {}, timeoutMs: 5000 });
    expect(dr.error?.class).toBe("connection");
    expect(dr.error?.message).toMatch(/^the connection dropped mid-stream/);
    expect(dr.text).toBe("hi");
    await dropper.close();
  });

  it("reads events as the SSE format has them: CRLF endings, comments, and data split over several lines", async () => {
    const server = await tinyServer((_, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(": keep-alive\r\n\r\n");
      res.write('data: {"choices":[{"delta":\r\ndata: {"content":"one "}}]}\r\n\r\n');
      // An event cut across two writes.
      res.write('data: {"choices":[{"delta":{"content":"tw');
      setTimeout(() => {
        res.write('o"},"finish_reason":"stop"}]}\n\n');
        res.end('data: {"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":2}}\n\ndata: [DONE]\n\n');
      }, 30);
    });
    const out = await streamCompletion({ url: server.url, apiKey: null, endpoint: "chat", body: {}, timeoutMs: 2000 });
    expect(out.error).toBeNull();
    expect(out.text).toBe("one two");
    expect(out.contentChunks).toBe(2);
    expect(out.itlMs).toHaveLength(1);
    expect(out.itlMs[0]).toBeGreaterThanOrEqual(20);
    expect(out.usage).toEqual({ promptTokens: 7, completionTokens: 2 });
    expect(out.finishReason).toBe("stop");
    await server.close();
  });
});

describe("run loop", () => {
  it("open loop sends on the absolute schedule: a stalled event loop delays some sends, never the rest of the schedule", async () => {
    const n = 200;
    const offsets = arrivalOffsets({ process: "constant", rate: 200, seed: 1 }, { limit: n }); // 0 .. 0.995 s
    const run = runLoad(
      { requests: Array.from({ length: n }, (_, i) => req(i, 4)), offsets },
      settings(sim.url, { startAtMs: Date.now() + 100 }),
    );
    // 150 ms of blocked event loop at 0.3 s: a client chaining relative sleeps would send everything after it 150 ms late
    setTimeout(() => {
      const until = performance.now() + 150;
      while (performance.now() < until);
    }, 400);
    const out = await run;
    expect(out.records.length).toBe(n);
    expect(out.records.every((r) => r.assay!.status === "ok" && r.error === null && r.assay!.tokens_source === "usage")).toBe(true);
    const byIntended = [...out.records].sort((a, b) => a.assay!.intended_send_time - b.assay!.intended_send_time);
    const lag = (r: (typeof byIntended)[number]) => (r.timestamp_sent - r.assay!.intended_send_time) * 1000 - r.assay!.slot_wait_ms;
    const lags = byIntended.map(lag);
    expect(Math.min(...lags)).toBeGreaterThanOrEqual(-0.01); // never early
    expect(Math.max(...lags)).toBeGreaterThan(100); // the block was seen
    // the last 50 (intended 0.75 .. 1 s, long after the block) are back on time
    expect(quantile(lags.slice(150), 0.5)).toBeLessThan(15);
    // intended times are start + i/200 exactly
    const first = byIntended[0].assay!.intended_send_time;
    byIntended.forEach((r, i) => expect((r.assay!.intended_send_time - first) * 1000).toBeCloseTo(i * 5, 2));
    // the simulator shares this event loop, so TTFT is read on the requests after the block: true value 40 ms
    const ttft = byIntended.slice(150).map((r) => (r.timestamp_first_token! - r.timestamp_sent) * 1000);
    expect(quantile(ttft, 0.5)).toBeGreaterThanOrEqual(38.5);
    expect(quantile(ttft, 0.5)).toBeLessThan(60);
    expect(out.notSent).toBe(0);
    expect(out.clientCpuCores).toBeGreaterThan(0);
  });

  it("under --max-concurrency a request waits for a slot, and the wait is recorded apart from the schedule lag", async () => {
    const slow = await startSimulator({ port: 0, ttftMs: 100, itlMs: 1, jitter: 0 });
    const offsets = new Float64Array(6); // all due at once
    const out = await runLoad(
      { requests: Array.from({ length: 6 }, (_, i) => req(i, 2)), offsets },
      settings(slow.url, { maxConcurrency: 2 }),
    );
    await slow.close();
    const waits = out.records.map((r) => r.assay!.slot_wait_ms).sort((a, b) => a - b);
    // two at once, each ~101 ms: waits of ~0, 0, 100, 100, 200, 200
    expect(waits[0]).toBeLessThan(5);
    expect(waits[2]).toBeGreaterThan(90);
    expect(waits[5]).toBeGreaterThan(190);
    for (const r of out.records) {
      const lag = (r.timestamp_sent - r.assay!.intended_send_time) * 1000 - r.assay!.slot_wait_ms;
      expect(lag).toBeLessThan(10);
    }
  });

  it("a run stopped mid-way records its in-flight requests as in flight, never as successes", async () => {
    const slow = await startSimulator({ port: 0, ttftMs: 20, itlMs: 50, jitter: 0 });
    const controller = new AbortController();
    const offsets = arrivalOffsets({ process: "constant", rate: 50, seed: 1 }, { limit: 100 });
    setTimeout(() => controller.abort(), 500);
    const out = await runLoad(
      { requests: Array.from({ length: 100 }, (_, i) => req(i, 40)), offsets },
      settings(slow.url, { signal: controller.signal }),
    );
    await slow.close();
    expect(out.aborted).toBe(true);
    const inFlight = out.records.filter((r) => r.assay!.status === "in_flight");
    // 40 tokens at 50 ms: nothing finishes in 0.5 s, about 25 were sent
    expect(inFlight.length).toBeGreaterThan(15);
    expect(out.records.filter((r) => r.assay!.status === "ok").length).toBe(0);
    expect(inFlight.every((r) => r.error === IN_FLIGHT_ERROR && r.timestamp_last_token === null && r.assay!.error_class === null)).toBe(
      true,
    );
    expect(out.notSent).toBe(100 - out.records.length);
    expect(out.notSent).toBeGreaterThan(60);
  });

  it("requests still running when the drain time is up are in flight; a stalled server does not hang the run", async () => {
    const staller = await startSimulator({ port: 0, ttftMs: 5, itlMs: 1, jitter: 0, stallRate: 0.5, seed: 2 });
    const offsets = arrivalOffsets({ process: "constant", rate: 100, seed: 1 }, { limit: 20 });
    const t0 = performance.now();
    const out = await runLoad(
      { requests: Array.from({ length: 20 }, (_, i) => req(i, 2)), offsets },
      settings(staller.url, { drainS: 0.5, timeoutMs: 60_000 }),
    );
    const stalled = staller.stats().stalled;
    await staller.close();
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(stalled).toBeGreaterThan(3);
    expect(out.records.filter((r) => r.assay!.status === "in_flight").length).toBe(stalled);
    expect(out.records.filter((r) => r.assay!.status === "ok").length).toBe(20 - stalled);
  });

  it("closed loop: N users, each sending its next request when the last ends", async () => {
    const local = await startSimulator({ port: 0, ttftMs: 10, itlMs: 2, jitter: 0 });
    const out = await runLoad({ requests: Array.from({ length: 24 }, (_, i) => req(i, 3)), concurrentUsers: 3 }, settings(local.url));
    const stats = local.stats();
    await local.close();
    expect(out.records.length).toBe(24);
    expect(stats.peakActive).toBe(3);
    expect(out.records.every((r) => r.assay!.status === "ok")).toBe(true);
  });

  it("warm-up and cool-down records are marked out of the measured window", async () => {
    const offsets = arrivalOffsets({ process: "constant", rate: 20, seed: 1 }, { limit: 20 }); // 0 .. 0.95 s
    const out = await runLoad(
      { requests: Array.from({ length: 20 }, (_, i) => req(i, 2)), offsets },
      settings(sim.url, { warmupS: 0.2, cooldownS: 0.2 }),
    );
    const measured = out.records.filter((r) => r.assay!.measured).length;
    // offsets 0.2 .. 0.75 inclusive: 12 of 20
    expect(measured).toBe(12);
  });
});
