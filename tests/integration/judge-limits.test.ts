// A judge run's limits through the real API, queue and worker of the running stack, the judge being Assay's simulator
// on its own port (so what reaches it is counted): at most maxInFlight judgments at once, each call given up after
// timeoutSeconds (a failed judgment with the reason, never a score), and a cancel that stops a batch already running
// instead of letting it judge everything it took.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "@/lib/simulator/server";
import { api } from "../support/http";
import { demoCredentials } from "../support/roles";
import { minimalExperimentBody } from "../support/experiments";

let creds: Awaited<ReturnType<typeof demoCredentials>>;
const stamp = Date.now().toString(36);
const sims: RunningSimulator[] = [];

type Run = {
  id: string;
  status: string;
  total: number;
  scored: number;
  failed: number;
  pending: number;
  maxInFlight: number | null;
  timeoutSeconds: number;
  failures: { reason: string }[];
};
const view = async (id: string): Promise<Run> => (await api(`/api/v1/judge-runs/${id}`, { key: creds.REVIEWER.key })).json.run;

/** A simulator to judge with, its endpoint, and a running experiment with n answered interactions. */
async function setUp(name: string, n: number, sim: { ttftMs: number }) {
  const s = await startSimulator({ port: 0, ttftMs: sim.ttftMs, itlMs: 0, jitter: 0, maxConcurrency: 10_000, seed: 3 });
  sims.push(s);
  const endpoint = `${name}-${stamp}`;
  const made = await api("/api/v1/endpoints", {
    key: creds.ENGINEER.key,
    body: { name: endpoint, baseUrl: `${s.url}/v1`, defaultModel: "assay-sim-1" },
  });
  expect(made.status, made.text).toBe(201);
  const key = `${name}-${stamp}`;
  expect((await api("/api/v1/experiments", { key: creds.PM.key, body: minimalExperimentBody(key) })).status).toBe(201);
  expect((await api(`/api/v1/experiments/${key}/start`, { key: creds.PM.key, body: {} })).status).toBe(200);
  const records = Array.from({ length: n }, (_, i) => ({
    request_id: `${key}-${i}`,
    user_id: `${key}-u${i}`,
    experiment_key: key,
    variant_id: i % 2 ? "B" : "A",
    user_input: `How do I export my data? (${i})`,
    model_output: "Open Settings, then Privacy, then Export. You get a file by email within an hour.",
  }));
  const sent = await api("/api/v1/interactions", { key: creds.ENGINEER.key, body: records });
  expect(sent.json.accepted, sent.text).toBe(n);
  return { sim: s, endpoint, key };
}

beforeAll(async () => {
  creds = await demoCredentials();
});
afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
});

describe("judge run limits", () => {
  it("keeps to maxInFlight judgments at once in the worker, and says so on the run", async () => {
    const { sim, endpoint, key } = await setUp("judge-cap", 60, { ttftMs: 150 });
    const res = await api(`/api/v1/experiments/${key}/judge-runs`, {
      key: creds.PM.key,
      body: { endpoint, mode: "all", maxInFlight: 3, timeoutSeconds: 30 },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.run).toMatchObject({ maxInFlight: 3, timeoutSeconds: 30 });
    // The simulator's own count of generations holding a slot, read every 10 ms while the run goes.
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, sim.stats().active)), 10);
    try {
      await expect.poll(async () => (await view(res.json.run.id)).status, { timeout: 90_000, interval: 250 }).toBe("SUCCEEDED");
    } finally {
      clearInterval(sampler);
    }
    const run = await view(res.json.run.id);
    expect(run.scored).toBe(60);
    // 60 judgments in two jobs of 50 and 10 (16 judgments could be in flight without the cap).
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it("gives up on a judgment after timeoutSeconds: a failed judgment with its reason, no score", async () => {
    const { endpoint, key } = await setUp("judge-slow", 1, { ttftMs: 30_000 });
    const res = await api(`/api/v1/experiments/${key}/judge-runs`, {
      key: creds.PM.key,
      body: { endpoint, mode: "all", timeoutSeconds: 1 },
    });
    expect(res.status, res.text).toBe(201);
    // Five tries of 1 s with backoff between them: well under the simulator's 30 s.
    await expect.poll(async () => (await view(res.json.run.id)).status, { timeout: 60_000, interval: 500 }).toBe("SUCCEEDED");
    const run = await view(res.json.run.id);
    expect(run).toMatchObject({ scored: 0, failed: 1, pending: 0 });
    expect(run.failures[0].reason).toMatch(/timed out \(after 5 attempts\)/);
  }, 90_000);

  it("a cancel stops a batch that is already running: no judgment starts after it", async () => {
    const { sim, endpoint, key } = await setUp("judge-cancel", 200, { ttftMs: 1000 });
    const res = await api(`/api/v1/experiments/${key}/judge-runs`, { key: creds.PM.key, body: { endpoint, mode: "all" } });
    expect(res.status, res.text).toBe(201);
    const id = res.json.run.id;
    await expect.poll(async () => (await view(id)).scored, { timeout: 60_000, interval: 100 }).toBeGreaterThan(0);
    const cancel = await api(`/api/v1/judge-runs/${id}/cancel`, { key: creds.PM.key, body: {} });
    expect(cancel.status, cancel.text).toBe(200);
    // Within the batches' next look (1 s) nothing new starts; what was in flight (at most 64) ends within its 1 s.
    await new Promise((r) => setTimeout(r, 3000));
    const requestsAfter = sim.stats().requests;
    const after = await view(id);
    await new Promise((r) => setTimeout(r, 2500));
    expect(sim.stats().requests).toBe(requestsAfter);
    const later = await view(id);
    expect(later.status).toBe("CANCELLED");
    expect(later.scored).toBe(after.scored);
    expect(later.scored + later.failed).toBeLessThan(200);
    expect(later.pending).toBeGreaterThan(0);
  }, 120_000);
});
