// The gateway's interaction log (lib/dataPlane/interactionLog.ts) with a stand-in pool: rows are written in batches
// off the caller's path, a database outage is said once and once when it ends (nothing lost meanwhile), a batch the
// database refuses for its content is dropped with one line instead of blocking the log, and text is made storable first.
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { InteractionLog, storableText } from "@/lib/dataPlane/interactionLog";
import { MAX_TEXT } from "@/lib/validation/ingest";

const experiment = { id: "exp-1", key: "support-persona", variants: new Map([["A", { id: "var-a", pricePer1MInput: 0.2 }]]) };
const row = (n: number) => ({
  experiment,
  variant: experiment.variants.get("A")!,
  record: { request_id: `req-${n}`, user_id: "u1", experiment_key: "support-persona", variant_id: "A", latency_ms: 12 },
});

/** A pool whose query fails while `down` (unreachable) or `refuse` (a value out of range) is true, recording each batch written. */
function standInPool() {
  const state = { down: false, refuse: false, batches: [] as string[][] };
  const pool = {
    query: async (_sql: string, values: unknown[]) => {
      if (state.down) throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
      if (state.refuse) throw Object.assign(new Error('value "4294967296" is out of range for type integer'), { code: "22003" });
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

  it("drops a batch the database refuses for what is in it (once said), and goes on with the next", async () => {
    const { state, pool } = standInPool();
    const lines: string[] = [];
    const log = new InteractionLog(pool, (line) => lines.push(line));
    state.refuse = true;
    log.record(row(1));
    log.record(row(2));
    await log.flush();
    log.record(row(3));
    await log.flush();
    state.refuse = false;
    log.record(row(4));
    await log.flush();
    expect(state.batches).toEqual([["req-4"]]);
    expect(lines).toEqual(["A batch of 2 gateway interactions was refused by the database (SQLSTATE 22003) and dropped."]);
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
