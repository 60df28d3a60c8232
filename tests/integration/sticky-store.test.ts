// The server-side sticky store against the stack's PostgreSQL: first assignments nobody waits for are grouped into one
// INSERT per short window instead of one statement every few requests, an awaited write still goes at once, a flush
// (the process stopping) writes everything still waiting, and a kept variant wins over a later, different answer.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { BACKGROUND_GROUP_MS, StickyStore } from "@/lib/dataPlane/sticky";
import { api } from "../support/http";
import { minimalExperimentBody } from "../support/experiments";
import { sql } from "../support/interactionRows";

let pool: pg.Pool;
const inserts: string[] = [];
let experimentId: string;

/** The real pool, with each INSERT into "Assignment" counted. */
function countingPool(): pg.Pool {
  const real = pool;
  return new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === "query")
        return (text: string, values?: unknown[]) => {
          if (/INSERT INTO "Assignment"/.test(text)) inserts.push(text);
          return target.query(text, values);
        };
      return Reflect.get(target, prop, receiver);
    },
  });
}

const keptRows = async (prefix: string) =>
  (
    await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "Assignment" WHERE "experimentId" = $1 AND "userId" LIKE $2`, [
      experimentId,
      `${prefix}%`,
    ])
  )[0].n;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 2 });
  const key = `sticky-${Date.now().toString(36)}`;
  const created = await api("/api/v1/experiments", { key: inject("apiKey"), body: minimalExperimentBody(key) });
  expect(created.status, created.text).toBe(201);
  experimentId = (await sql<{ id: string }>(`SELECT id FROM "Experiment" WHERE key = $1`, [key]))[0].id;
});

afterAll(async () => {
  await pool.end();
});

describe("StickyStore", () => {
  it("groups 300 background first assignments into a few INSERTs, and every one lands", async () => {
    const store = new StickyStore(countingPool);
    inserts.length = 0;
    for (let i = 0; i < 300; i++) {
      const out = store.keepInBackground(experimentId, [{ userId: `bg-${i}`, variant: i % 2 ? "A" : "B" }]);
      // answered from memory at once: a first assignment
      expect(out.get(`bg-${i}`)).toEqual({ variant: i % 2 ? "A" : "B", inserted: true });
      if (i % 50 === 49) await new Promise((r) => setTimeout(r, 5));
    }
    await expect.poll(() => keptRows("bg-"), { timeout: 5_000 }).toBe(300);
    // One per group window at most (the loop above spans about 30 ms: one or two windows), not one per call.
    expect(inserts.length).toBeGreaterThanOrEqual(1);
    expect(inserts.length).toBeLessThanOrEqual(3);
    // A returning user is answered from memory as kept.
    expect(store.keepInBackground(experimentId, [{ userId: "bg-7", variant: "B" }]).get("bg-7")).toEqual({
      variant: "A",
      inserted: false,
    });
  });

  it("an awaited write goes at once and takes the waiting background rows with it", async () => {
    const store = new StickyStore(countingPool);
    store.keepInBackground(experimentId, [{ userId: "mixed-bg", variant: "A" }]);
    const t0 = performance.now();
    const kept = await store.keep(experimentId, [{ userId: "mixed-awaited", variant: "B" }]);
    expect(kept.get("mixed-awaited")).toEqual({ variant: "B", inserted: true });
    // both rows are in the database as soon as the awaited call returns
    expect(await keptRows("mixed-")).toBe(2);
    expect(performance.now() - t0).toBeLessThan(BACKGROUND_GROUP_MS * 20);
  });

  it("flush writes what is still waiting, without waiting for the window", async () => {
    const store = new StickyStore(countingPool);
    for (let i = 0; i < 40; i++) store.keepInBackground(experimentId, [{ userId: `stop-${i}`, variant: "A" }]);
    await store.flush();
    expect(await keptRows("stop-")).toBe(40);
  });

  it("the first write wins: a later answer naming another variant is told the kept one", async () => {
    const first = new StickyStore(countingPool);
    first.keepInBackground(experimentId, [{ userId: "race", variant: "A" }]);
    await first.flush();
    // another process (its own memory) that hashed the user to B after a weight change
    const second = new StickyStore(countingPool);
    const kept = await second.keep(experimentId, [{ userId: "race", variant: "B" }]);
    expect(kept.get("race")).toEqual({ variant: "A", inserted: false });
  });
});
