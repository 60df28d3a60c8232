// The gateway's interaction log (lib/dataPlane/interactionLog.ts) with a stand-in pool: rows are written in batches
// off the caller's path, a database outage is said once and once when it ends (nothing lost meanwhile), a row the
// ingestion schema refuses is dropped with one line naming the field, and text is made storable first.
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { InteractionLog, storableText } from "@/lib/dataPlane/interactionLog";
import { MAX_TEXT } from "@/lib/validation/ingest";

const experiment = { id: "exp-1", key: "support-persona", variants: new Map([["A", { id: "var-a", pricePer1MInput: 0.2 }]]) };
const row = (n: number, over: Record<string, unknown> = {}) => ({
  experiment,
  variant: experiment.variants.get("A")!,
  record: { request_id: `req-${n}`, user_id: "u1", experiment_key: "support-persona", variant_id: "A", latency_ms: 12, ...over },
});

/** A pool whose query fails while `down` is true, recording the request ids of every batch written. */
function standInPool() {
  const state = { down: false, batches: [] as string[][] };
  const pool = {
    query: async (_sql: string, values: unknown[]) => {
      if (state.down) throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
      state.batches.push(values[1] as string[]);
      return { rows: [{ n: (values[1] as string[]).length }] };
    },
  } as unknown as pg.Pool;
  return { state, pool: () => pool };
}

describe("the gateway's interaction log", () => {
  it("returns at once and writes queued rows together in one statement", async () => {
    const { state, pool } = standInPool();
    const log = new InteractionLog(pool, () => undefined);
    for (let i = 0; i < 5; i++) log.record(row(i));
    expect(state.batches).toEqual([]);
    await log.flush();
    expect(state.batches).toEqual([["req-0", "req-1", "req-2", "req-3", "req-4"]]);
  });

  it("says once that it cannot write and once that it can again; the rows of the outage are written then", async () => {
    const { state, pool } = standInPool();
    const lines: string[] = [];
    const log = new InteractionLog(pool, (line) => lines.push(line));
    state.down = true;
    log.record(row(1));
    await log.flush();
    log.record(row(2));
    await log.flush();
    expect(lines).toEqual(["Gateway interactions cannot be written right now (ECONNREFUSED); retrying, the answers are not affected."]);
    state.down = false;
    await log.flush();
    expect(state.batches).toEqual([["req-1", "req-2"]]);
    expect(lines.at(-1)).toBe("Gateway interactions are written again.");
    await log.stop();
  });

  it("drops a row the ingestion schema refuses, naming the field once, and writes the others", async () => {
    const { state, pool } = standInPool();
    const lines: string[] = [];
    const log = new InteractionLog(pool, (line) => lines.push(line));
    log.record(row(1));
    log.record(row(2, { latency_ms: -5 }));
    log.record(row(3, { latency_ms: -6 }));
    await log.flush();
    expect(state.batches).toEqual([["req-1"]]);
    expect(lines).toEqual(["A gateway interaction was not logged: the ingestion schema refused latency_ms."]);
  });

  it("makes text storable: no NUL or other control characters, no text-direction controls, no half characters, at most the limit", () => {
    expect(storableText("a\u0000b\u0007c\td\ne")).toBe("abc\td\ne");
    expect(storableText("x\u202Ey")).toBe("xy");
    expect(storableText("half \uD83D and \uDE00 whole \uD83D\uDE00")).toBe("half \uFFFD and \uFFFD whole \uD83D\uDE00");
    expect(storableText("é".repeat(MAX_TEXT + 10)).length).toBe(MAX_TEXT);
    // Cut inside a surrogate pair: the half left is replaced, never stored.
    const cut = storableText(`${"a".repeat(MAX_TEXT - 1)}\uD83D\uDE00`);
    expect(cut.endsWith("\uFFFD")).toBe(true);
  });
});
