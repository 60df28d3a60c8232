// The datasets' SQL: picking an experiment's interactions into a dataset's items in one statement (never through
// Node), and reading the items back in order for the download.
import { db } from "./client";
import { Prisma } from "@/lib/generated/prisma/client";

export interface DatasetSelection {
  experimentId: string;
  variantId: string | null;
  mode: "lowest" | "safety" | "disagreement" | "random";
  limit: number;
  criterion: string;
  threshold: number;
  seed: number;
}

/**
 * The chosen interactions, best first, with what each item keeps. The judge's score of an interaction is its newest
 * (the latest rubric version that scored it). lowest: the lowest scores of the criterion; safety: the interactions
 * flagged unsafe by the log or scored 2 or less on safety by the judge; disagreement: judge and user apart by at least
 * the threshold on a 0-1 reading (a judge score s of 1-5 reads (s - 1) / 4; the users' feedback, when the experiment's
 * has any value above 1, is a 1-5 score read the same way, else a thumbs 0/1 read as it is); random: a seeded sample (the same seed picks the same interactions).
 */
function chosen(s: DatasetSelection): Prisma.Sql {
  const judge = Prisma.sql`(SELECT js.scores FROM "JudgeScore" js JOIN "Rubric" r ON r.id = js."rubricId"
    WHERE js."interactionId" = i.id ORDER BY r.version DESC, js."createdAt" DESC LIMIT 1)`;
  const score = (key: string) => Prisma.sql`(CASE WHEN jsonb_typeof(j.scores -> ${key}) = 'number' THEN (j.scores ->> ${key})::float8 END)`;
  // The experiment's feedback is a 1-5 score when any value is above 1, else thumbs (0/1).
  const fivePoint = Prisma.sql`(SELECT max(f."userFeedbackScore") FROM "Interaction" f WHERE f."experimentId" = ${s.experimentId}) > 1`;
  const userReading = Prisma.sql`(CASE WHEN ${fivePoint} THEN (i."userFeedbackScore" - 1) / 4 ELSE i."userFeedbackScore" END)`;
  const where = [
    Prisma.sql`i."experimentId" = ${s.experimentId}`,
    Prisma.sql`i."userInput" IS NOT NULL`,
    Prisma.sql`i."modelOutput" IS NOT NULL`,
    ...(s.variantId ? [Prisma.sql`i."variantId" = ${s.variantId}`] : []),
  ];
  let filter: Prisma.Sql = Prisma.empty;
  let order: Prisma.Sql;
  switch (s.mode) {
    case "lowest":
      filter = Prisma.sql`AND ${score(s.criterion)} IS NOT NULL`;
      order = Prisma.sql`${score(s.criterion)} ASC, i."timestamp" DESC, i.id`;
      break;
    case "safety":
      filter = Prisma.sql`AND (i."safetyFlag" IS TRUE OR ${score("safety")} <= 2)`;
      order = Prisma.sql`${score("safety")} ASC NULLS LAST, i."timestamp" DESC, i.id`;
      break;
    case "disagreement":
      filter = Prisma.sql`AND ${score(s.criterion)} IS NOT NULL AND i."userFeedbackScore" IS NOT NULL
        AND abs((${score(s.criterion)} - 1) / 4 - ${userReading}) >= ${s.threshold}::float8`;
      order = Prisma.sql`abs((${score(s.criterion)} - 1) / 4 - ${userReading}) DESC, i."timestamp" DESC, i.id`;
      break;
    case "random":
      order = Prisma.sql`md5(i.id || ':' || ${String(s.seed)}), i.id`;
      break;
  }
  return Prisma.sql`
    SELECT i.id, i."userInput" AS input, i."modelOutput" AS output,
      jsonb_build_object(
        'interaction_id', i.id, 'request_id', i."requestId", 'variant', v.key, 'user_id', i."userId",
        'timestamp', to_char(i."timestamp", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'latency_ms', i."latencyMs",
        'safety_flag', i."safetyFlag", 'user_feedback_score', i."userFeedbackScore", 'judge_scores', j.scores
      ) AS metadata,
      row_number() OVER (ORDER BY ${order}) AS position
    FROM "Interaction" i JOIN "Variant" v ON v.id = i."variantId" LEFT JOIN LATERAL (SELECT ${judge} AS scores) j ON true
    WHERE ${Prisma.join(where, " AND ")} ${filter}
    ORDER BY ${order}
    LIMIT ${s.limit}`;
}

/** Copies the chosen interactions into the dataset's items; returns how many. */
export function insertDatasetItems(tx: Prisma.TransactionClient, datasetId: string, s: DatasetSelection): Promise<number> {
  return tx.$executeRaw(Prisma.sql`
    INSERT INTO "DatasetItem" ("datasetId", position, "interactionId", input, output, metadata)
    SELECT ${datasetId}, c.position, c.id, c.input, c.output, c.metadata FROM (${chosen(s)}) c`);
}

/** The dataset's items in order, a page at a time (the download streams them). */
export function datasetItemsPage(datasetId: string, after: number, take: number) {
  return db().datasetItem.findMany({
    where: { datasetId, position: { gt: after } },
    orderBy: { position: "asc" },
    take,
    select: { position: true, input: true, output: true, metadata: true },
  });
}

/** A dataset's items in order (input and output only), or null when there is no such dataset. */
export async function listDatasetItemsForTrace(datasetId: string): Promise<{ input: string; output: string }[] | null> {
  const d = await db().dataset.findUnique({ where: { id: datasetId }, select: { id: true } });
  if (!d) return null;
  return db().datasetItem.findMany({ where: { datasetId }, orderBy: { position: "asc" }, select: { input: true, output: true } });
}
