// Server-side sticky bucketing: the variant each user got first is kept in "Assignment" and in a bounded in-memory map
// (a kept assignment never changes, so the map needs no invalidation). Writes are grouped: while one INSERT is under
// way, the first assignments of requests arriving meanwhile wait and go in the next one (one commit for many requests,
// no added wait when the load is low). First assignments nobody waits for (keepInBackground) are grouped for up to
// BACKGROUND_GROUP_MS instead.
import type pg from "pg";

const MAX_REMEMBERED = 200_000;
const MAX_GROUP = 5_000;
/** How long a first assignment kept in the background may wait for its write (it is answered from memory meanwhile). */
export const BACKGROUND_GROUP_MS = 50;

type Kept = { variant: string; inserted: boolean };

interface PendingCall {
  entries: { experimentId: string; userId: string; variant: string }[];
  out: Map<string, Kept>;
  resolve: (out: Map<string, Kept>) => void;
  reject: (err: unknown) => void;
  /** Nobody waits for it (keepInBackground). */
  background?: boolean;
}

const slot = (experimentId: string, userId: string) => `${experimentId}\u0000${userId}`;

export class StickyStore {
  private remembered = new Map<string, string>();
  private pending: PendingCall[] = [];
  private writing = false;
  /** Rows of keepInBackground calls not yet taken by a write, and the timer that will write them. */
  private backgroundRows = 0;
  private groupTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pool: () => pg.Pool,
    private readonly writePool: () => pg.Pool = pool,
  ) {}

  private note(experimentId: string, userId: string, variant: string) {
    if (this.remembered.size >= MAX_REMEMBERED) this.remembered.clear();
    this.remembered.set(slot(experimentId, userId), variant);
  }

  /** The kept variants of these users (only those that have one). */
  async find(experimentId: string, userIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const missing: string[] = [];
    for (const u of userIds) {
      const v = this.remembered.get(slot(experimentId, u));
      if (v !== undefined) found.set(u, v);
      else missing.push(u);
    }
    if (missing.length > 0) {
      const res = await this.pool().query<{ userId: string; variantKey: string }>(
        `SELECT "userId", "variantKey" FROM "Assignment" WHERE "experimentId" = $1 AND "userId" = ANY($2::text[])`,
        [experimentId, missing],
      );
      for (const row of res.rows) {
        found.set(row.userId, row.variantKey);
        this.note(experimentId, row.userId, row.variantKey);
      }
    }
    return found;
  }

  /**
   * Keeps first assignments; returns what is kept for each user afterwards. When two requests race for a new user, the
   * first write wins and both answers name its variant (the upsert returns the kept row).
   */
  keep(experimentId: string, entries: readonly { userId: string; variant: string }[]): Promise<Map<string, Kept>> {
    const out = new Map<string, Kept>();
    const unknown: PendingCall["entries"] = [];
    for (const e of entries) {
      const known = this.remembered.get(slot(experimentId, e.userId));
      if (known !== undefined) out.set(e.userId, { variant: known, inserted: false });
      else unknown.push({ experimentId, userId: e.userId, variant: e.variant });
    }
    if (unknown.length === 0) return Promise.resolve(out);
    return new Promise((resolve, reject) => {
      this.pending.push({ entries: unknown, out, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  /**
   * Keeps first assignments without waiting for the write (the caller knows the kept variant cannot differ): answers from
   * memory at once, whether each user was already known, and writes in the next group. A failed write is tried again.
   */
  keepInBackground(experimentId: string, entries: readonly { userId: string; variant: string }[]): Map<string, Kept> {
    const out = new Map<string, Kept>();
    const unknown: PendingCall["entries"] = [];
    for (const e of entries) {
      const known = this.remembered.get(slot(experimentId, e.userId));
      if (known !== undefined) out.set(e.userId, { variant: known, inserted: false });
      else {
        out.set(e.userId, { variant: e.variant, inserted: true });
        this.note(experimentId, e.userId, e.variant);
        unknown.push({ experimentId, userId: e.userId, variant: e.variant });
      }
    }
    if (unknown.length > 0) {
      const retry = (err: unknown) => {
        void err;
        setTimeout(
          () => this.pending.push({ entries: unknown, out: new Map(), resolve: () => undefined, reject: retry, background: true }),
          1_000,
        ).unref();
        setTimeout(() => !this.writing && void this.drain(), 1_001).unref();
      };
      this.pending.push({ entries: unknown, out: new Map(), resolve: () => undefined, reject: retry, background: true });
      this.backgroundRows += unknown.length;
      // Nobody waits for these rows: they go in one INSERT per BACKGROUND_GROUP_MS (or as soon as a group is full, or
      // with the next awaited write), instead of one statement every few requests.
      if (this.backgroundRows >= MAX_GROUP) this.drainNow();
      else this.scheduleGroup();
    }
    return out;
  }

  private scheduleGroup(): void {
    if (!this.groupTimer) this.groupTimer = setTimeout(() => this.drainNow(), BACKGROUND_GROUP_MS).unref();
  }

  /** Writes every kept assignment still waiting (the process is stopping). */
  async flush(): Promise<void> {
    while (this.pending.length > 0 || this.writing) {
      if (!this.writing) await this.drain(true);
      else await new Promise((r) => setTimeout(r, 5));
    }
  }

  private drainNow(): void {
    if (this.groupTimer) clearTimeout(this.groupTimer);
    this.groupTimer = null;
    if (!this.writing) void this.drain();
  }

  /** Writes pending calls, one INSERT per group; background calls alone wait for their timer unless `all`. */
  private async drain(all = false): Promise<void> {
    this.writing = true;
    if (this.groupTimer) clearTimeout(this.groupTimer);
    this.groupTimer = null;
    let firstGroup = true;
    try {
      while (this.pending.length > 0) {
        if (!firstGroup && !all && this.backgroundRows < MAX_GROUP && this.pending.every((c) => c.background)) {
          this.scheduleGroup();
          break;
        }
        firstGroup = false;
        this.backgroundRows = 0;
        const calls: PendingCall[] = [];
        let size = 0;
        while (this.pending.length > 0 && (calls.length === 0 || size + this.pending[0].entries.length <= MAX_GROUP)) {
          const call = this.pending.shift()!;
          calls.push(call);
          size += call.entries.length;
        }
        // One row per (experiment, user): an upsert may not touch the same row twice in one statement.
        const rows = new Map<string, { experimentId: string; userId: string; variant: string }>();
        for (const c of calls)
          for (const e of c.entries) if (!rows.has(slot(e.experimentId, e.userId))) rows.set(slot(e.experimentId, e.userId), e);
        const list = [...rows.values()];
        try {
          const res = await this.writePool().query<{ experimentId: string; userId: string; variantKey: string; inserted: boolean }>(
            `INSERT INTO "Assignment" ("experimentId", "userId", "variantKey")
             SELECT e, u, v FROM unnest($1::text[], $2::text[], $3::text[]) AS t(e, u, v)
             ON CONFLICT ("experimentId", "userId") DO UPDATE SET "variantKey" = "Assignment"."variantKey"
             RETURNING "experimentId", "userId", "variantKey", (xmax = 0) AS inserted`,
            [list.map((r) => r.experimentId), list.map((r) => r.userId), list.map((r) => r.variant)],
          );
          const kept = new Map<string, Kept>();
          for (const row of res.rows) {
            kept.set(slot(row.experimentId, row.userId), { variant: row.variantKey, inserted: row.inserted });
            this.note(row.experimentId, row.userId, row.variantKey);
          }
          for (const c of calls) {
            const claimed = new Set<string>();
            for (const e of c.entries) {
              const k = kept.get(slot(e.experimentId, e.userId));
              if (!k) continue;
              // Within a group, only the first call for a new user saw it inserted; later ones find it kept.
              const s = slot(e.experimentId, e.userId);
              const first = rows.get(s) === e && !claimed.has(s);
              claimed.add(s);
              c.out.set(e.userId, { variant: k.variant, inserted: k.inserted && first });
            }
            c.resolve(c.out);
          }
        } catch (err) {
          for (const c of calls) c.reject(err);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
