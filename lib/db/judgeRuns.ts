// The judge runs' SQL (lib/judge/runs.ts): which interactions a run takes, its items' counts, and the one score per
// interaction and rubric version.
import { db } from "./client";
import { Prisma } from "@/lib/generated/prisma/client";
import { DEFAULT_RUBRIC, rubricJsonSchema } from "@/lib/judge/rubric";

/** The name of the default rubric's row. */
export const DEFAULT_RUBRIC_NAME = "default";

/** The default rubric's row (version 1), made on first use. */
export function defaultRubricRow() {
  return db().rubric.upsert({
    where: { name_version: { name: DEFAULT_RUBRIC_NAME, version: 1 } },
    update: {},
    create: {
      name: DEFAULT_RUBRIC_NAME,
      version: 1,
      prompt: DEFAULT_RUBRIC.systemPrompt,
      jsonSchema: rubricJsonSchema(DEFAULT_RUBRIC) as Prisma.InputJsonValue,
      criteria: DEFAULT_RUBRIC.criteria as unknown as Prisma.InputJsonValue,
    },
  });
}

export interface JudgeSelection {
  experimentId: string;
  rubricId: string;
  mode: "all" | "unscored" | "sample" | "dataset" | "rescore" | "stratified";
  /** Mode stratified: this many interactions of each variant (a fixed hashed sample; all of a variant with fewer). */
  perVariant?: number | null;
  sampleRate: number | null;
  /** Mode dataset: the dataset whose items (those from this experiment's interactions) are judged. */
  datasetId?: string | null;
  /** Continuous runs: only interactions ingested after this, and not yet in the run. */
  after?: { runId: string; since: Date | null };
}

/** The experiment's interactions a run judges: both texts, no upstream error; unscored ones, or a hashed sample. */
function candidates(s: JudgeSelection): Prisma.Sql {
  return Prisma.sql`i."experimentId" = ${s.experimentId} AND i."userInput" IS NOT NULL AND i."modelOutput" IS NOT NULL AND i."error" IS NULL
    ${
      s.mode === "stratified"
        ? Prisma.sql`AND i.id IN (SELECT z.id FROM (SELECT j.id, row_number() OVER (PARTITION BY j."variantId" ORDER BY hashtext(j.id), j.id) AS k
            FROM "Interaction" j WHERE j."experimentId" = ${s.experimentId} AND j."userInput" IS NOT NULL AND j."modelOutput" IS NOT NULL
              AND j."error" IS NULL) z WHERE z.k <= ${s.perVariant ?? 0})`
        : Prisma.empty
    }
    ${s.mode === "rescore" ? Prisma.sql`AND EXISTS (SELECT 1 FROM "JudgeScore" s WHERE s."interactionId" = i.id AND s."rubricId" = ${s.rubricId})` : Prisma.empty}
    ${s.mode === "unscored" ? Prisma.sql`AND NOT EXISTS (SELECT 1 FROM "JudgeScore" s WHERE s."interactionId" = i.id AND s."rubricId" = ${s.rubricId})` : Prisma.empty}
    ${s.sampleRate !== null && s.mode !== "dataset" ? Prisma.sql`AND (hashtext(i.id) & 2147483647)::float8 / 2147483648 < ${s.sampleRate}::float8` : Prisma.empty}
    ${s.mode === "dataset" ? Prisma.sql`AND i.id IN (SELECT d."interactionId" FROM "DatasetItem" d WHERE d."datasetId" = ${s.datasetId ?? ""} AND d."interactionId" IS NOT NULL)` : Prisma.empty}
    ${s.after?.since ? Prisma.sql`AND i."createdAt" > ${s.after.since}` : Prisma.empty}
    ${s.after ? Prisma.sql`AND NOT EXISTS (SELECT 1 FROM "JudgeRunItem" x WHERE x."judgeRunId" = ${s.after.runId} AND x."interactionId" = i.id)` : Prisma.empty}`;
}

/** The newest ingestion time among the experiment's interactions (where a continuous run's watch starts). */
export async function newestInteractionTime(experimentId: string): Promise<Date | null> {
  const [{ t }] = await db().$queryRaw<{ t: Date | null }[]>(
    Prisma.sql`SELECT max("createdAt") AS t FROM "Interaction" WHERE "experimentId" = ${experimentId}`,
  );
  return t;
}

export async function countJudgeCandidates(s: JudgeSelection): Promise<number> {
  const [{ n }] = await db().$queryRaw<{ n: number }[]>(Prisma.sql`SELECT count(*)::int AS n FROM "Interaction" i WHERE ${candidates(s)}`);
  return n;
}

export function insertJudgeRunItems(tx: Prisma.TransactionClient, runId: string, s: JudgeSelection) {
  return tx.$executeRaw(
    Prisma.sql`INSERT INTO "JudgeRunItem" ("judgeRunId", "interactionId") SELECT ${runId}, i.id FROM "Interaction" i WHERE ${candidates(s)}
      ON CONFLICT DO NOTHING`,
  );
}

/** Continuous runs: takes the interactions ingested since the last look into the run; returns their ids. */
export async function takeNewJudgeItems(runId: string, s: JudgeSelection, limit: number): Promise<string[]> {
  const rows = await db().$queryRaw<{ interactionId: string }[]>(Prisma.sql`
    INSERT INTO "JudgeRunItem" ("judgeRunId", "interactionId")
    SELECT ${runId}, i.id FROM "Interaction" i WHERE ${candidates(s)} ORDER BY i."createdAt" LIMIT ${limit}
    ON CONFLICT DO NOTHING RETURNING "interactionId"`);
  return rows.map((r) => r.interactionId);
}

/** Per run and item status: how many, and their tokens. */
export function judgeRunItemCounts(runIds: string[]) {
  return db().$queryRaw<{ run: string; status: string; n: number; pt: number | null; ct: number | null }[]>(Prisma.sql`
    SELECT "judgeRunId" AS run, status, count(*)::int AS n, sum("promptTokens")::int AS pt, sum("completionTokens")::int AS ct
    FROM "JudgeRunItem" WHERE "judgeRunId" = ANY(${runIds}::text[]) GROUP BY 1, 2`);
}

/** Per run: its scores that raised the judge's safety flag. */
export function judgeRunFlagCounts(runIds: string[]) {
  return db().$queryRaw<{ run: string; n: number }[]>(Prisma.sql`
    SELECT "judgeRunId" AS run, count(*)::int AS n FROM "JudgeScore"
    WHERE "judgeRunId" = ANY(${runIds}::text[]) AND "safetyFlag" IS TRUE GROUP BY 1`);
}

export async function judgeRunPending(runId: string): Promise<{ pending: number; total: number }> {
  const [row] = await db().$queryRaw<{ pending: number; total: number }[]>(Prisma.sql`
    SELECT count(*) FILTER (WHERE status = 'PENDING')::int AS pending, count(*)::int AS total FROM "JudgeRunItem" WHERE "judgeRunId" = ${runId}`);
  return row;
}

/** One judged item of a batch, as the worker has it. */
export interface Judgment {
  interactionId: string;
  /** Null for a failed judgment (with `error`). */
  scores: Record<string, number> | null;
  reasoning: string | null;
  error: string | null;
  model: string;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  safetyFlag: boolean | null;
}

/**
 * Writes a run's judgments in one statement (so all of them land, or none): each score unless the interaction already
 * has one of the rubric version (the database's unique key decides between racing workers), and each item's status:
 * SCORED, SKIPPED (a score was there first) or FAILED with its reason, with its tokens. Only PENDING items change, so a
 * batch judged twice (a retried job beside one that was thought dead) neither counts nor writes twice.
 */
export async function writeJudgments(runId: string, rubricId: string, judgments: Judgment[], rescore = false): Promise<void> {
  if (judgments.length === 0) return;
  if (rescore) return writeRescores(runId, judgments);
  await db().$executeRaw(Prisma.sql`
    WITH x AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(judgments)}::jsonb) AS t("interactionId" text, scores jsonb,
        reasoning text, error text, model text, "latencyMs" int, "promptTokens" int, "completionTokens" int, "safetyFlag" boolean)
    ),
    ins AS (
      INSERT INTO "JudgeScore" (id, "interactionId", "rubricId", scores, reasoning, "judgeRunId", model, "latencyMs", "safetyFlag")
      SELECT 'js_' || ${runId} || '_' || x."interactionId", x."interactionId", ${rubricId}, x.scores, x.reasoning, ${runId},
        x.model, x."latencyMs", x."safetyFlag"
      FROM x JOIN "JudgeRunItem" it ON it."judgeRunId" = ${runId} AND it."interactionId" = x."interactionId" AND it.status = 'PENDING'
      WHERE x.scores IS NOT NULL AND jsonb_typeof(x.scores) = 'object'
      ON CONFLICT DO NOTHING
      RETURNING "interactionId"
    )
    UPDATE "JudgeRunItem" it SET
      status = CASE WHEN x.scores IS NULL OR jsonb_typeof(x.scores) <> 'object' THEN 'FAILED'
        WHEN ins."interactionId" IS NULL THEN 'SKIPPED' ELSE 'SCORED' END,
      error = x.error, "promptTokens" = x."promptTokens", "completionTokens" = x."completionTokens", "updatedAt" = now()
    FROM x LEFT JOIN ins ON ins."interactionId" = x."interactionId"
    WHERE it."judgeRunId" = ${runId} AND it."interactionId" = x."interactionId" AND it.status = 'PENDING'`);
}

/** A rescore run's judgments: the second reading goes on the item; the interaction's score stays as it was. */
async function writeRescores(runId: string, judgments: Judgment[]): Promise<void> {
  await db().$executeRaw(Prisma.sql`
    WITH x AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(judgments)}::jsonb) AS t("interactionId" text, scores jsonb, error text,
        "promptTokens" int, "completionTokens" int)
    )
    UPDATE "JudgeRunItem" it SET
      status = CASE WHEN x.scores IS NULL OR jsonb_typeof(x.scores) <> 'object' THEN 'FAILED' ELSE 'SCORED' END,
      scores = CASE WHEN jsonb_typeof(x.scores) = 'object' THEN x.scores END,
      error = x.error, "promptTokens" = x."promptTokens", "completionTokens" = x."completionTokens", "updatedAt" = now()
    FROM x WHERE it."judgeRunId" = ${runId} AND it."interactionId" = x."interactionId" AND it.status = 'PENDING'`);
}

/** The batch's PENDING items, with their texts and whether the interaction already has a score of the rubric version. */
export function pendingJudgeItems(runId: string, rubricId: string, interactionIds: string[]) {
  return db().$queryRaw<{ interactionId: string; userInput: string | null; modelOutput: string | null; scored: boolean }[]>(Prisma.sql`
    SELECT it."interactionId", i."userInput", i."modelOutput",
      EXISTS (SELECT 1 FROM "JudgeScore" s WHERE s."interactionId" = it."interactionId" AND s."rubricId" = ${rubricId}) AS scored
    FROM "JudgeRunItem" it JOIN "Interaction" i ON i.id = it."interactionId"
    WHERE it."judgeRunId" = ${runId} AND it."interactionId" = ANY(${interactionIds}::text[]) AND it.status = 'PENDING'
    ORDER BY it."interactionId"`);
}

/** Marks the batch's items that already had a score SKIPPED. */
export function skipJudgeItems(runId: string, interactionIds: string[]) {
  return db().judgeRunItem.updateMany({
    where: { judgeRunId: runId, interactionId: { in: interactionIds }, status: "PENDING" },
    data: { status: "SKIPPED", updatedAt: new Date() },
  });
}
