// Server-side sticky bucketing: the variant each user got first is kept in "Assignment" and in a bounded in-memory map
// (a kept assignment never changes, so the map needs no invalidation).
import type pg from "pg";

const MAX_REMEMBERED = 200_000;

export class StickyStore {
  private remembered = new Map<string, string>();

  constructor(private readonly pool: () => pg.Pool) {}

  private note(experimentId: string, userId: string, variant: string) {
    if (this.remembered.size >= MAX_REMEMBERED) this.remembered.clear();
    this.remembered.set(`${experimentId}\u0000${userId}`, variant);
  }

  /** The kept variants of these users (only those that have one). */
  async find(experimentId: string, userIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const missing: string[] = [];
    for (const u of userIds) {
      const v = this.remembered.get(`${experimentId}\u0000${u}`);
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
  async keep(
    experimentId: string,
    entries: readonly { userId: string; variant: string }[],
  ): Promise<Map<string, { variant: string; inserted: boolean }>> {
    const out = new Map<string, { variant: string; inserted: boolean }>();
    if (entries.length === 0) return out;
    const unique = new Map<string, string>();
    for (const e of entries) {
      const known = this.remembered.get(`${experimentId}\u0000${e.userId}`);
      if (known !== undefined) out.set(e.userId, { variant: known, inserted: false });
      else unique.set(e.userId, e.variant);
    }
    if (unique.size === 0) return out;
    const res = await this.pool().query<{ userId: string; variantKey: string; inserted: boolean }>(
      `INSERT INTO "Assignment" ("experimentId", "userId", "variantKey")
       SELECT $1, u, v FROM unnest($2::text[], $3::text[]) AS t(u, v)
       ON CONFLICT ("experimentId", "userId") DO UPDATE SET "variantKey" = "Assignment"."variantKey"
       RETURNING "userId", "variantKey", (xmax = 0) AS inserted`,
      [experimentId, [...unique.keys()], [...unique.values()]],
    );
    for (const row of res.rows) {
      out.set(row.userId, { variant: row.variantKey, inserted: row.inserted });
      this.note(experimentId, row.userId, row.variantKey);
    }
    return out;
  }
}
