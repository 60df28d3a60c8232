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
  mode: "all" | "unscored" | "sample";
  sampleRate: number | null;
}

/** The experiment's interactions a run judges: both texts, no upstream error; unscored ones, or a hashed sample. */
function candidates(s: JudgeSelection): Prisma.Sql {
  return Prisma.sql`i."experimentId" = ${s.experimentId} AND i."userInput" IS NOT NULL AND i."modelOutput" IS NOT NULL AND i."error" IS NULL
    ${s.mode === "unscored" ? Prisma.sql`AND NOT EXISTS (SELECT 1 FROM "JudgeScore" s WHERE s."interactionId" = i.id AND s."rubricId" = ${s.rubricId})` : Prisma.empty}
    ${s.mode === "sample" ? Prisma.sql`AND (hashtext(i.id) & 2147483647)::float8 / 2147483648 < ${s.sampleRate ?? 0}::float8` : Prisma.empty}`;
}

export async function countJudgeCandidates(s: JudgeSelection): Promise<number> {
  const [{ n }] = await db().$queryRaw<{ n: number }[]>(Prisma.sql`SELECT count(*)::int AS n FROM "Interaction" i WHERE ${candidates(s)}`);
  return n;
}

export function insertJudgeRunItems(tx: Prisma.TransactionClient, runId: string, s: JudgeSelection) {
  return tx.$executeRaw(
    Prisma.sql`INSERT INTO "JudgeRunItem" ("judgeRunId", "interactionId") SELECT ${runId}, i.id FROM "Interaction" i WHERE ${candidates(s)}`,
  );
}

/** Per run and item status: how many, and their tokens. */
export function judgeRunItemCounts(runIds: string[]) {
  return db().$queryRaw<{ run: string; status: string; n: number; pt: number | null; ct: number | null }[]>(Prisma.sql`
    SELECT "judgeRunId" AS run, status, count(*)::int AS n, sum("promptTokens")::int AS pt, sum("completionTokens")::int AS ct
    FROM "JudgeRunItem" WHERE "judgeRunId" = ANY(${runIds}::text[]) GROUP BY 1, 2`);
}

export async function judgeRunPending(runId: string): Promise<{ pending: number; total: number }> {
  const [row] = await db().$queryRaw<{ pending: number; total: number }[]>(Prisma.sql`
    SELECT count(*) FILTER (WHERE status = 'PENDING')::int AS pending, count(*)::int AS total FROM "JudgeRunItem" WHERE "judgeRunId" = ${runId}`);
  return row;
}

/** Writes the score unless the interaction already has one of this rubric version; true when written. */
export async function insertJudgeScore(
  tx: Prisma.TransactionClient,
  s: {
    interactionId: string;
    rubricId: string;
    judgeRunId: string;
    scores: Record<string, number>;
    reasoning: string | null;
    model: string;
    latencyMs: number;
  },
): Promise<boolean> {
  const inserted = await tx.$executeRaw(Prisma.sql`
    INSERT INTO "JudgeScore" (id, "interactionId", "rubricId", scores, reasoning, "judgeRunId", model, "latencyMs")
    VALUES (${`js_${s.judgeRunId}_${s.interactionId}`}, ${s.interactionId}, ${s.rubricId}, ${JSON.stringify(s.scores)}::jsonb,
      ${s.reasoning}, ${s.judgeRunId}, ${s.model}, ${s.latencyMs})
    ON CONFLICT ("interactionId", "rubricId") DO NOTHING`);
  return inserted > 0;
}
