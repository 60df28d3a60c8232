// What cached results depend on, read in one indexed query: the experiment's design (its own, its variants' and its
// metrics' last change) and its data version (ResultsVersion, bumped by statement triggers on every write to its
// interactions and judge scores; see the migration 20261202140000_results).
import { db } from "./client";
import { Prisma } from "@/lib/generated/prisma/client";

export interface ResultsCacheKey {
  experimentId: string;
  /** Changes whenever the design or the data changes. */
  stamp: string;
}

/** The cache key of an experiment's results, or null when no experiment has this key. */
export async function resultsCacheKey(key: string): Promise<ResultsCacheKey | null> {
  const rows = await db().$queryRaw<{ id: string; stamp: string }[]>(Prisma.sql`
    SELECT e."id",
      concat_ws(':', coalesce(rv."version", 0)::text, (extract(epoch FROM e."updatedAt") * 1000)::bigint::text,
        (SELECT (extract(epoch FROM max(v."updatedAt")) * 1000)::bigint::text FROM "Variant" v WHERE v."experimentId" = e."id"),
        (SELECT (extract(epoch FROM max(m."updatedAt")) * 1000)::bigint::text || '/' || count(*)::text FROM "Metric" m WHERE m."experimentId" = e."id")
      ) AS stamp
    FROM "Experiment" e LEFT JOIN "ResultsVersion" rv ON rv."experimentId" = e."id"
    WHERE e."key" = ${key}`);
  return rows[0] ? { experimentId: rows[0].id, stamp: rows[0].stamp } : null;
}
