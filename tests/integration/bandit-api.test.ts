// POST /api/v1/bandit-simulations through the running stack: the same numbers as lib/rollouts/banditSim (and so as
// `assay bandit --draws 1000`), bad bodies refused naming the field, and the session or key required.
import { beforeAll, describe, expect, it } from "vitest";
import { simulateBandit } from "@/lib/rollouts/banditSim";
import { api } from "../support/http";
import { demoCredentials } from "../support/roles";

let creds: Awaited<ReturnType<typeof demoCredentials>>;
beforeAll(async () => {
  creds = await demoCredentials();
});

describe("bandit simulations", () => {
  it("answers what the simulator computes, for any role", async () => {
    const body = { arms: [0.1, 0.12, 0.11], horizon: 5000, batch: 250, runs: 10, seed: 3 };
    const res = await api("/api/v1/bandit-simulations", { key: creds.REVIEWER.key, body });
    expect(res.status, res.text).toBe(200);
    const expected = simulateBandit({ ...body, kind: "proportion", floor: 0.01, sd: 1, minPerArm: 100, draws: 1000 });
    expect(res.json.simulation).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(res.json.simulation.path).toHaveLength(21);
    expect(res.json.simulation.fixedRegret).toBeGreaterThan(res.json.simulation.regret);
  });

  it.each([
    [{ arms: [0.1] }, "arms", "give at least 2 arms"],
    [{ arms: [0.1, "x"] }, "arms.1", "each arm's value must be a number"],
    [{ arms: [0.1, 1.5] }, "arms.1", "arm 2's rate must be from 0 to 1"],
    [{ arms: [0.1, 0.2], floor: 0.7 }, "floor", "floor must be at most 0.5"],
    [{ arms: [0.1, 0.2, 0.3], floor: 0.4 }, "floor", "is more than all the traffic"],
    [{ arms: [0.1, 0.2], horizon: 1_000_000, batch: 1, runs: 500 }, "runs", "too much to simulate in one request"],
    [{ arms: [0.1, 0.2], runs: 2.5 }, "runs", "whole number"],
    [{ arms: [0.1, 0.2], kind: "median" }, "kind", "kind must be proportion or mean"],
    [{ arms: [0.1, 0.2], extra: true }, "extra", ""],
  ])("refuses %j naming %s", async (body, field, message) => {
    const res = await api("/api/v1/bandit-simulations", { key: creds.PM.key, body });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.details.issues.map((i: { field: string }) => i.field)).toContain(field);
    expect(res.json.error.message).toContain(message);
  });

  it("needs a key or a session", async () => {
    const res = await api("/api/v1/bandit-simulations", { body: { arms: [0.1, 0.2] } });
    expect(res.status).toBe(401);
  });
});
