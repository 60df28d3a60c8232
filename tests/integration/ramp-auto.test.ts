// The automatic ramp check in the stack's worker (job rampCheck, queued at each heartbeat; the test stack checks a due
// ramp every 2 s): a healthy treatment advances on its own once a step has its sample; a treatment whose P95 latency
// is twice the control's is rolled back at once; both moves are in the audit trail under "Automatic ramp check" with
// the numbers; an experiment without a sample size plan is never moved (its intervals would not be peeking-safe).
import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../support/http";
import { sql } from "../support/interactionRows";
import { demoCredentials } from "../support/roles";
import { guardrailExperimentBody } from "../support/experiments";
import { latencyStream } from "../support/interactionStream";

let creds: Awaited<ReturnType<typeof demoCredentials>>;
const key = `ramp-auto-${Date.now().toString(36)}`;

const ingest = latencyStream(key, () => creds.ENGINEER.key);

const ramp = async () => (await api(`/api/v1/experiments/${key}/ramp`, { key: creds.PM.key })).json.ramp;
const autoMoves = () =>
  sql<{ action: string; details: { reason?: string; step?: number } }>(
    `SELECT a.action, a.details FROM "AuditEvent" a JOIN "Experiment" e ON e.id = a."experimentId"
     WHERE e.key = $1 AND a."actorLabel" = 'Automatic ramp check' AND a.action LIKE 'ramp.%' ORDER BY a."createdAt"`,
    [key],
  );

beforeAll(async () => {
  creds = await demoCredentials();
  const made = await api("/api/v1/experiments", { key: creds.PM.key, body: guardrailExperimentBody(key) });
  expect(made.status, made.text).toBe(201);
  expect((await api(`/api/v1/experiments/${key}/start`, { key: creds.PM.key, body: {} })).status).toBe(200);
});

describe("the automatic ramp check", () => {
  it("advances a healthy step once it has its sample, then rolls back a treatment twice as slow", async () => {
    const steps = [
      { treatmentPercent: 20, minHours: 0, minSample: 200 },
      { treatmentPercent: 50, minHours: 0, minSample: 1500 },
      { treatmentPercent: 100, minHours: 0, minSample: 0 },
    ];
    expect((await api(`/api/v1/experiments/${key}/ramp`, { key: creds.PM.key, method: "PUT", body: { steps } })).status).toBe(200);
    expect((await api(`/api/v1/experiments/${key}/ramp/advance`, { key: creds.PM.key, body: { reason: "start" } })).status).toBe(200);
    // Under-sampled: it waits, and says so.
    await ingest(50);
    await expect
      .poll(async () => (await ramp()).lastCheck?.finding ?? "", { timeout: 60_000, interval: 1000 })
      .toMatch(/^waiting: under-sampled/);
    expect((await ramp()).currentStep).toBe(0);
    // Healthy and sampled: it advances on its own.
    await ingest(300);
    await expect
      .poll(
        async () => {
          const r = await ramp();
          return `${r.currentStep} ${r.lastCheck?.finding}`;
        },
        { timeout: 60_000, interval: 1000 },
      )
      .toMatch(/^1 /);
    expect((await api(`/api/v1/experiments/${key}/traffic`, { key: creds.PM.key })).json.traffic.weights).toEqual({ A: 50, B: 50 });
    // Twice as slow: rolled back at once, before the step's sample is reached.
    await ingest(1200, 2);
    await expect.poll(async () => (await ramp()).state, { timeout: 60_000, interval: 1000 }).toBe("ROLLED_BACK");
    expect((await api(`/api/v1/experiments/${key}/traffic`, { key: creds.PM.key })).json.traffic.weights).toEqual({ A: 100, B: 0 });
    const moves = await autoMoves();
    expect(moves.map((m) => m.action)).toEqual(["ramp.advance", "ramp.rollback"]);
    expect(moves[0].details.reason).toMatch(
      /^automatic check: the step ran .* with at least 200 interactions per variant, and no guardrail is worse/,
    );
    expect(moves[1].details.reason).toMatch(
      /^automatic check: guardrail breached: P95 latency_ms of B: \+\d+\.\d% to \+\d+\.\d% against the control \(limit \+10\.0%\)/,
    );
    expect((await ramp()).lastReason).toMatch(/^automatic check: guardrail breached/);
  }, 240_000);
});
