// The automatic ramp check against seeded interaction streams (issue 12's guardrail automation): the worker's own check
// (runRampChecks, the job's body) is run here after each batch, on the stack's database, with its clock moved a day on
// each time so no throttle gets in the way. Latencies are log-normal (median 800 ms, sigma 0.3), seeded.
// - A healthy treatment (the same latency) waits while under-sampled, then advances through every step of a
//   1-5-25-50-100 plan to the last.
// - A treatment whose latency is 30% worse (so its P95 is 30% worse, against a 10% margin) is rolled back at the first
//   check whose peeking-safe interval sees it, never earlier and never later, before the plan's end.
// Every move is in the audit trail with its numbers.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { setEnv } from "@/lib/env";
import { computeResults } from "@/lib/results/service";
import { guardrailReading } from "@/lib/rollouts/guardrails";
import { runRampChecks } from "@/lib/rollouts/rampJob";
import { api } from "../support/http";
import { sql } from "../support/interactionRows";
import { demoCredentials } from "../support/roles";
import { guardrailExperimentBody } from "../support/experiments";
import { interactionStream } from "../support/interactionStream";

let creds: Awaited<ReturnType<typeof demoCredentials>>;
const stamp = Date.now().toString(36);
const STEPS = [
  { treatmentPercent: 1, minHours: 0, minSample: 150 },
  { treatmentPercent: 5, minHours: 0, minSample: 300 },
  { treatmentPercent: 25, minHours: 0, minSample: 600 },
  { treatmentPercent: 50, minHours: 0, minSample: 1200 },
  { treatmentPercent: 100, minHours: 0, minSample: 0 },
];
/** Interactions per variant in each batch: 100 (under-sampled), then up to each step's minimum. */
const BATCHES = [100, 50, 150, 300, 600, 600];
let clock = Date.now();

/** A seeded log-normal latency source (LCG + Box-Muller). */
function latencies(seed: number) {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  return () => Math.exp(Math.log(800) + 0.3 * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}

async function designed(key: string) {
  const body = guardrailExperimentBody(key);
  expect((await api("/api/v1/experiments", { key: creds.PM.key, body })).status).toBe(201);
  expect((await api(`/api/v1/experiments/${key}/start`, { key: creds.PM.key, body: {} })).status).toBe(200);
  expect((await api(`/api/v1/experiments/${key}/ramp`, { key: creds.PM.key, method: "PUT", body: { steps: STEPS } })).status).toBe(200);
  expect((await api(`/api/v1/experiments/${key}/ramp/advance`, { key: creds.PM.key, body: { reason: "canary" } })).status).toBe(200);
}

/** One batch of n per variant, B's latency times `slower`. */
function batcher(key: string, slower: number, seed: number) {
  const lat = latencies(seed);
  return interactionStream(
    key,
    () => creds.ENGINEER.key,
    (variant, _i, id) => ({
      latency_ms: Math.round(lat() * (variant === "B" ? slower : 1)),
      metrics: { helpfulness: 3 + (id % 3) },
    }),
  );
}

/** The worker's check of this one experiment, a day later each time. */
async function check(key: string) {
  clock += 86_400_000;
  const done = await runRampChecks(new Date(clock));
  return done.find((d) => d.experiment === key) ?? null;
}

const ramp = async (key: string) => (await api(`/api/v1/experiments/${key}/ramp`, { key: creds.PM.key })).json.ramp;
const audit = (key: string) =>
  sql<{ action: string; actorLabel: string; details: { reason?: string; step?: number; after?: Record<string, number> } }>(
    `SELECT a.action, a."actorLabel", a.details FROM "AuditEvent" a JOIN "Experiment" e ON e.id = a."experimentId"
     WHERE e.key = $1 AND a.action LIKE 'ramp.%' AND a.action <> 'ramp.plan' ORDER BY a."createdAt"`,
    [key],
  );

beforeAll(async () => {
  setEnv({ DATABASE_URL: inject("databaseUrl") });
  creds = await demoCredentials();
});

describe("the automatic ramp check on seeded streams", () => {
  it("holds an under-sampled step, then advances a healthy treatment through every step", async () => {
    const key = `ramp-healthy-${stamp}`;
    await designed(key);
    const send = batcher(key, 1, 11);
    const actions: string[] = [];
    for (const n of BATCHES.slice(0, 5)) {
      await send(n);
      const done = await check(key);
      actions.push(`${done?.action}: ${done?.reason.split(":")[0]}`);
    }
    expect(actions[0]).toBe("wait: under-sampled");
    expect(actions.slice(1)).toEqual(Array(4).fill(expect.stringMatching(/^advance: the step ran/)));
    expect(await ramp(key)).toMatchObject({ state: "COMPLETE", currentStep: 4 });
    const moves = await audit(key);
    expect(moves.map((m) => `${m.action} ${m.details.step}`)).toEqual([
      "ramp.advance 1",
      "ramp.advance 2",
      "ramp.advance 3",
      "ramp.advance 4",
      "ramp.advance 5",
    ]);
    expect(moves.slice(1).every((m) => m.actorLabel === "Automatic ramp check")).toBe(true);
    expect(moves.slice(1).map((m) => m.details.after?.B)).toEqual([5, 25, 50, 100]);
    expect(moves[1].details.reason).toMatch(
      /^automatic check: the step ran .* with at least 150 interactions per variant, and no guardrail is worse/,
    );
  }, 120_000);

  it("rolls back a treatment 30% slower at the first check that sees it", async () => {
    const key = `ramp-slow-${stamp}`;
    await designed(key);
    const send = batcher(key, 1.3, 23);
    let rolledBackAt = -1;
    for (let i = 0; i < BATCHES.length; i++) {
      await send(BATCHES[i]);
      // What the check will see: the P95 guardrail's peeking-safe interval on this data.
      const results = await computeResults(key, { sequential: true });
      const p95 = results.metrics.find((m) => m.metric === "latency_ms")!;
      const reading = guardrailReading(p95, p95.comparisons[0]);
      const done = await check(key);
      if (reading?.breached) {
        expect(done?.action).toBe("rollback");
        expect(reading.interval[0]).toBeGreaterThan(0.1);
        rolledBackAt = i;
        break;
      }
      expect(done?.action).not.toBe("rollback");
    }
    // Seen before the plan's end, and not on the first, under-sampled batch.
    expect(rolledBackAt).toBeGreaterThan(0);
    expect(rolledBackAt).toBeLessThan(BATCHES.length - 1);
    const r = await ramp(key);
    expect(r.state).toBe("ROLLED_BACK");
    expect((await api(`/api/v1/experiments/${key}/traffic`, { key: creds.PM.key })).json.traffic.weights).toEqual({ A: 100, B: 0 });
    const last = (await audit(key)).at(-1)!;
    expect(last.action).toBe("ramp.rollback");
    expect(last.actorLabel).toBe("Automatic ramp check");
    expect(last.details.reason).toMatch(
      /^automatic check: guardrail breached: P95 latency_ms of B: \+\d+\.\d% to \+\d+\.\d% against the control \(limit \+10\.0%\), worse than the limit$/,
    );
  }, 120_000);
});
