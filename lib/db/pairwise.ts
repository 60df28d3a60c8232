// The pairs of a head-to-head comparison: one interaction of each of two variants per distinct user input (matched as
// lib/judge/pairwiseRun.ts inputKey does: trimmed, white space collapsed, case ignored), a fixed sample of inputs.
import { db } from "./client";
import { Prisma } from "@/lib/generated/prisma/client";

export function pairwiseCandidates(experimentId: string, xVariantId: string, yVariantId: string, limit: number) {
  const side = (variantId: string) => Prisma.sql`
    SELECT DISTINCT ON (k) k, i.id, i."userInput" AS input, i."modelOutput" AS output
    FROM (SELECT i.*, lower(regexp_replace(btrim(i."userInput"), '\\s+', ' ', 'g')) AS k FROM "Interaction" i
          WHERE i."experimentId" = ${experimentId} AND i."variantId" = ${variantId}
            AND i."userInput" IS NOT NULL AND i."modelOutput" IS NOT NULL AND i."error" IS NULL) i
    ORDER BY k, i."createdAt", i.id`;
  return db().$queryRaw<{ input: string; xId: string; x: string; yId: string; y: string }[]>(Prisma.sql`
    SELECT a.input, a.id AS "xId", a.output AS x, b.id AS "yId", b.output AS y
    FROM (${side(xVariantId)}) a JOIN (${side(yVariantId)}) b ON a.k = b.k
    ORDER BY hashtext(a.k), a.k LIMIT ${limit}`);
}
