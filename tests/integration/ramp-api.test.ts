// A canary ramp through the API of the running stack: the plan, each step applied to the traffic controls, hold and
// resume, and a rollback; users assigned at one step keep their variant at every later one (issue 8's stickiness),
// new users follow the step; every move is in the audit trail with its numbers; bad plans and moves are refused.
import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../support/http";
import { sql } from "../support/interactionRows";
import { demoCredentials } from "../support/roles";
import { minimalExperimentBody } from "../support/experiments";

let creds: Awaited<ReturnType<typeof demoCredentials>>;
const key = `ramp-${Date.now().toString(36)}`;
const ramp = (path = "", body?: unknown, as?: string) =>
  api(`/api/v1/experiments/${key}/ramp${path}`, {
    key: as ?? creds.PM.key,
    ...(body !== undefined ? { body, method: path ? "POST" : "PUT" } : {}),
  });
const assignAll = async (users: string[]) => {
  const res = await api("/api/v1/assign/batch", {
    key: creds.ENGINEER.key,
    body: { experiment: key, users: users.map((userId) => ({ userId })) },
  });
  expect(res.status, res.text).toBe(200);
  return res.json.assignments as { userId: string; variant: string; reason: string }[];
};

beforeAll(async () => {
  creds = await demoCredentials();
  expect((await api("/api/v1/experiments", { key: creds.PM.key, body: minimalExperimentBody(key) })).status).toBe(201);
});

describe("a canary ramp", () => {
  it("is set, applied step by step without moving an assigned user, held, resumed and rolled back, all audited", async () => {
    expect((await ramp()).json.ramp).toBeNull();
    const set = await ramp("", { preset: "canary" });
    expect(set.status, set.text).toBe(200);
    expect(set.json.ramp).toMatchObject({ state: "PLANNED", currentStep: -1 });
    expect(set.json.ramp.steps.map((s: { treatmentPercent: number }) => s.treatmentPercent)).toEqual([1, 5, 25, 50, 100]);
    // Not running yet: no move.
    expect((await ramp("/advance", {})).status).toBe(409);
    expect((await api(`/api/v1/experiments/${key}/start`, { key: creds.PM.key, body: {} })).status).toBe(200);

    // What step 1 would do: from 50/50 to 99/1, the control takes [0.5, 0.99) of new users; B gains none.
    const next = (await ramp()).json.ramp.next;
    expect(next.weights).toEqual({ A: 99, B: 1 });
    expect(next.adds[0].variant).toBe("A");
    expect(next.adds[0].share).toBeCloseTo(0.49, 9);
    expect(next.adds[1].share).toBe(0);

    const step1 = await ramp("/advance", { reason: "canary starts" });
    expect(step1.status, step1.text).toBe(200);
    expect(step1.json.ramp).toMatchObject({ state: "RAMPING", currentStep: 0, lastReason: "canary starts" });
    const traffic = (await api(`/api/v1/experiments/${key}/traffic`, { key: creds.PM.key })).json.traffic;
    expect(traffic.weights).toEqual({ A: 99, B: 1 });

    const first = await assignAll(Array.from({ length: 1000 }, (_, i) => `early-${i}`));
    const early = new Map(first.map((a) => [a.userId, a.variant]));
    const earlyB = first.filter((a) => a.variant === "B").length;
    expect(earlyB).toBeLessThan(40); // 1% of 1,000, about 10

    for (let step = 2; step <= 4; step++) expect((await ramp("/advance", {})).json.ramp.currentStep).toBe(step - 1);
    expect((await api(`/api/v1/experiments/${key}/traffic`, { key: creds.PM.key })).json.traffic.weights).toEqual({ A: 50, B: 50 });
    // At 50/50 the early users keep what they had at 1%; new users split about evenly.
    const again = await assignAll([...early.keys()]);
    for (const a of again) expect(a.variant).toBe(early.get(a.userId));
    const later = await assignAll(Array.from({ length: 1000 }, (_, i) => `later-${i}`));
    const laterB = later.filter((a) => a.variant === "B").length;
    expect(laterB).toBeGreaterThan(430);
    expect(laterB).toBeLessThan(570);

    // Hold: no advance until resumed.
    expect((await ramp("/hold", { reason: "looking at P95" })).json.ramp.state).toBe("HELD");
    const refused = await ramp("/advance", {});
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toMatch(/on hold: resume it/);
    expect((await ramp("/resume", {})).json.ramp.state).toBe("RAMPING");
    // A plan is not replaced mid-ramp.
    expect((await ramp("", { preset: "coverage" })).status).toBe(409);

    // Roll back: every new user to the control; those already in B stay in B.
    const back = await ramp("/rollback", { reason: "P95 latency 30% worse" });
    expect(back.json.ramp).toMatchObject({ state: "ROLLED_BACK", lastReason: "P95 latency 30% worse" });
    expect((await api(`/api/v1/experiments/${key}/traffic`, { key: creds.PM.key })).json.traffic.weights).toEqual({ A: 100, B: 0 });
    const fresh = await assignAll(Array.from({ length: 300 }, (_, i) => `after-${i}`));
    expect(fresh.every((a) => a.variant === "A")).toBe(true);
    for (const a of await assignAll(later.map((l) => l.userId))) expect(a.variant).toBe(later.find((l) => l.userId === a.userId)!.variant);

    const audit = await sql<{ action: string; details: { step?: number; after?: Record<string, number>; reason?: string } }>(
      `SELECT a.action, a.details FROM "AuditEvent" a JOIN "Experiment" e ON e.id = a."experimentId" WHERE e.key = $1 AND a.action LIKE 'ramp.%' ORDER BY a."createdAt"`,
      [key],
    );
    expect(audit.map((a) => a.action)).toEqual([
      "ramp.plan",
      "ramp.advance",
      "ramp.advance",
      "ramp.advance",
      "ramp.advance",
      "ramp.hold",
      "ramp.resume",
      "ramp.rollback",
    ]);
    expect(audit[1].details).toMatchObject({ step: 1, after: { A: 99, B: 1 }, reason: "canary starts" });
    expect(audit[7].details).toMatchObject({ after: { A: 100, B: 0 }, reason: "P95 latency 30% worse" });
  }, 120_000);

  it.each([
    [{ preset: "canary", steps: [] }, "preset", "a preset (canary or coverage) or your own steps, not both"],
    [{}, "preset", "not both"],
    [{ preset: "fast" }, "preset", "preset must be one of canary, coverage"],
    [{ steps: [{ treatmentPercent: 150 }] }, "steps.0.treatmentPercent", "at most 100"],
    [
      { steps: [{ treatmentPercent: 25 }, { treatmentPercent: 5 }] },
      "steps.1.treatmentPercent",
      "step 2 (5%) is below step 1 (25%): a ramp only goes up",
    ],
    [{ steps: [{ minHours: 1 }] }, "steps.0", "sets neither treatmentPercent nor coverage"],
    [{ steps: [{ coverage: 0 }] }, "steps.0.coverage", "coverage must be above 0"],
  ])("refuses the plan %j naming %s", async (body, field, message) => {
    const other = `${key}-bad`;
    await api("/api/v1/experiments", { key: creds.PM.key, body: minimalExperimentBody(other) });
    const res = await api(`/api/v1/experiments/${other}/ramp`, { key: creds.PM.key, method: "PUT", body });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.details.issues.map((i: { field: string }) => i.field)).toContain(field);
    expect(res.json.error.message).toContain(message);
    expect((await api(`/api/v1/experiments/${other}/ramp`, { key: creds.PM.key })).json.ramp).toBeNull();
  });

  it("an unknown move is 404; an engineer may read the ramp but not move it", async () => {
    expect((await ramp("/leap", {})).status).toBe(404);
    expect((await ramp("/advance", {}, creds.ENGINEER.key)).status).toBe(403);
    expect((await ramp("", undefined, creds.ENGINEER.key)).status).toBe(200);
  });
});
