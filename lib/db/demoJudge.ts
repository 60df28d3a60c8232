// The demo's finished judge run (lib/demo/decisionMatrix.ts): the run, one SCORED item and one score per interaction,
// written in one transaction from the generated judgments, matched to the experiment's interactions by request id.
import { db } from "./client";
import { Prisma } from "@/lib/generated/prisma/client";

export async function insertFinishedJudgeRun(run: {
  experimentId: string;
  rubricId: string;
  endpointId: string;
  model: string;
  pricePer1MInput: number;
  pricePer1MOutput: number;
  createdById: string | null;
  startedAt: Date;
  finishedAt: Date;
  judgments: {
    requestId: string;
    scores: Record<string, number>;
    reasoning: string;
    promptTokens: number;
    completionTokens: number;
    latencyMs: number;
  }[];
}): Promise<string> {
  return db().$transaction(async (tx) => {
    const created = await tx.judgeRun.create({
      data: {
        experimentId: run.experimentId,
        rubricId: run.rubricId,
        endpointId: run.endpointId,
        model: run.model,
        mode: "all",
        sampleSize: run.judgments.length,
        status: "SUCCEEDED",
        progress: 1,
        pricePer1MInput: run.pricePer1MInput,
        pricePer1MOutput: run.pricePer1MOutput,
        safetyFlagAtOrBelow: 2,
        createdById: run.createdById,
        createdAt: run.startedAt,
        startedAt: run.startedAt,
        finishedAt: run.finishedAt,
      },
    });
    const rows = JSON.stringify(run.judgments);
    const x = Prisma.sql`SELECT t.*, i.id AS "interactionId" FROM jsonb_to_recordset(${rows}::jsonb) AS t("requestId" text, scores jsonb,
        reasoning text, "promptTokens" int, "completionTokens" int, "latencyMs" int)
      JOIN "Interaction" i ON i."experimentId" = ${run.experimentId} AND i."requestId" = t."requestId"`;
    await tx.$executeRaw(Prisma.sql`
      INSERT INTO "JudgeRunItem" ("judgeRunId", "interactionId", status, "promptTokens", "completionTokens", "updatedAt")
      SELECT ${created.id}, x."interactionId", 'SCORED', x."promptTokens", x."completionTokens", ${run.finishedAt} FROM (${x}) x`);
    await tx.$executeRaw(Prisma.sql`
      INSERT INTO "JudgeScore" (id, "interactionId", "rubricId", scores, reasoning, "judgeRunId", model, "latencyMs", "safetyFlag", "createdAt")
      SELECT 'js_' || ${created.id} || '_' || x."interactionId", x."interactionId", ${run.rubricId}, x.scores, x.reasoning, ${created.id},
        ${run.model}, x."latencyMs", (x.scores ->> 'safety')::int <= 2, ${run.finishedAt}
      FROM (${x}) x ON CONFLICT DO NOTHING`);
    return created.id;
  });
}
