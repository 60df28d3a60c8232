import { db } from "./client";
import { Prisma } from "@/lib/generated/prisma/client";
import type { MetricSource } from "@/lib/generated/prisma/enums";

/** The guide's log fields (snake_case, as in its log schema) and their Interaction columns; booleans count as 0/1. */
const LOG_COLUMNS: Record<string, Prisma.Sql> = {
  latency_ms: Prisma.sql`i."latencyMs"`,
  ttft_ms: Prisma.sql`i."ttftMs"`,
  prompt_tokens: Prisma.sql`i."promptTokens"::float8`,
  completion_tokens: Prisma.sql`i."completionTokens"::float8`,
  cost: Prisma.sql`i."cost"::float8`,
  cost_usd: Prisma.sql`i."cost"::float8`,
  user_feedback_score: Prisma.sql`i."userFeedbackScore"`,
  safety_flag: Prisma.sql`i."safetyFlag"::int::float8`,
  goal_completed: Prisma.sql`i."goalCompleted"::int::float8`,
};
const CAMEL_ALIASES: Record<string, string> = {
  latencyMs: "latency_ms",
  ttftMs: "ttft_ms",
  promptTokens: "prompt_tokens",
  completionTokens: "completion_tokens",
  userFeedbackScore: "user_feedback_score",
  safetyFlag: "safety_flag",
  goalCompleted: "goal_completed",
};

/** A numeric value out of a jsonb object's key: numbers as they are, booleans as 0/1, anything else null (never a cast error). */
function jsonNumber(object: Prisma.Sql, key: string): Prisma.Sql {
  return Prisma.sql`CASE jsonb_typeof(${object} -> ${key})
    WHEN 'number' THEN (${object} ->> ${key})::float8
    WHEN 'boolean' THEN CASE WHEN (${object} ->> ${key})::boolean THEN 1 ELSE 0 END
  END`;
}

/** count / avg / stddev_samp of one metric over a variant's logged interactions, in SQL (log field, custom value, or judge criterion over its judge scores). */
export async function variantMetricAggregate(
  experimentId: string,
  variantId: string,
  metric: { source: MetricSource; field: string },
): Promise<{ n: number; mean: number | null; sd: number | null }> {
  const field = CAMEL_ALIASES[metric.field] ?? metric.field;
  let values: Prisma.Sql;
  if (metric.source === "JUDGE_CRITERION") {
    // One score per interaction: the newest rubric version that scored this criterion (re-scoring must not count twice).
    values = Prisma.sql`SELECT DISTINCT ON (js."interactionId") ${jsonNumber(Prisma.sql`js."scores"`, field)} AS v
      FROM "JudgeScore" js JOIN "Interaction" i ON i."id" = js."interactionId" JOIN "Rubric" r ON r."id" = js."rubricId"
      WHERE i."experimentId" = ${experimentId} AND i."variantId" = ${variantId} AND js."scores" ? ${field}
      ORDER BY js."interactionId", r."version" DESC, js."createdAt" DESC`;
  } else {
    const column =
      metric.source === "LOG_FIELD" && LOG_COLUMNS[field] ? LOG_COLUMNS[field] : jsonNumber(Prisma.sql`i."customMetrics"`, field);
    values = Prisma.sql`SELECT ${column} AS v FROM "Interaction" i WHERE i."experimentId" = ${experimentId} AND i."variantId" = ${variantId}`;
  }
  const rows = await db().$queryRaw<{ n: number; mean: number | null; sd: number | null }[]>(
    Prisma.sql`SELECT count(v)::int AS n, avg(v)::float8 AS mean, stddev_samp(v)::float8 AS sd FROM (${values}) AS s`,
  );
  return rows[0] ?? { n: 0, mean: null, sd: null };
}
