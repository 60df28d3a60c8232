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

/**
 * One interaction's value of a metric, as a SQL expression over `i` (the Interaction row): a log field's column, a
 * `metrics` entry, or a judge criterion's score. A judge criterion reads one score per interaction, the newest rubric
 * version that scored it (re-scoring never counts twice). Null where the interaction has no value.
 */
export function metricValueSql(metric: { source: MetricSource; field: string }): Prisma.Sql {
  const field = CAMEL_ALIASES[metric.field] ?? metric.field;
  if (metric.source === "JUDGE_CRITERION") return judgeScoreSql(field);
  return metric.source === "LOG_FIELD" && LOG_COLUMNS[field] ? LOG_COLUMNS[field] : jsonNumber(Prisma.sql`i."customMetrics"`, field);
}

/** The judge criterion that reads the judge's safety flag (a safety score at or below the run's threshold) as 0/1. */
export const JUDGE_SAFETY_FLAG = "safety_flag";

function judgeScoreSql(criterion: string): Prisma.Sql {
  if (criterion === JUDGE_SAFETY_FLAG)
    return Prisma.sql`(SELECT js."safetyFlag"::int::float8
      FROM "JudgeScore" js JOIN "Rubric" r ON r."id" = js."rubricId"
      WHERE js."interactionId" = i."id" AND js."safetyFlag" IS NOT NULL
      ORDER BY r."version" DESC, js."createdAt" DESC LIMIT 1)`;
  return Prisma.sql`(SELECT ${jsonNumber(Prisma.sql`js."scores"`, criterion)}
    FROM "JudgeScore" js JOIN "Rubric" r ON r."id" = js."rubricId"
    WHERE js."interactionId" = i."id" AND js."scores" ? ${criterion}
    ORDER BY r."version" DESC, js."createdAt" DESC LIMIT 1)`;
}

/** count / avg / stddev_samp of one metric over a variant's logged interactions, in SQL (log field, custom value, or judge criterion over its judge scores). */
export async function variantMetricAggregate(
  experimentId: string,
  variantId: string,
  metric: { source: MetricSource; field: string },
): Promise<{ n: number; mean: number | null; sd: number | null }> {
  const v = metricValueSql(metric);
  const rows = await db().$queryRaw<{ n: number; mean: number | null; sd: number | null }[]>(
    Prisma.sql`SELECT count(v)::int AS n, avg(v)::float8 AS mean, stddev_samp(v)::float8 AS sd
      FROM (SELECT ${v} AS v FROM "Interaction" i WHERE i."experimentId" = ${experimentId} AND i."variantId" = ${variantId}) AS s`,
  );
  return rows[0] ?? { n: 0, mean: null, sd: null };
}

/** The explorer's filters with variant keys resolved to ids (lib/interactions/explorer.ts builds it from the query). */
export interface InteractionFilterSql {
  variantIds?: string[];
  /** from <= timestamp < to. */
  from?: Date;
  to?: Date;
  /** flagged: safety_flag true; clean: not flagged (false or not reported). */
  safety?: "flagged" | "clean";
  feedbackMin?: number;
  feedbackMax?: number;
  /** The newest judge score for `criterion` (newest rubric version, then newest score), within min..max when given. */
  score?: { criterion: string; min?: number; max?: number };
  /** Text searched for, as typed, in the user input and the model output (case-insensitive). */
  search?: string;
  failed?: boolean;
}

/** A row's place in the explorer's order (timestamp desc, id desc): where a page starts after, or ends before. */
export interface InteractionPosition {
  timestamp: Date;
  id: string;
}

/** How many characters of the user input and the model output a page row carries (the drawer reads them whole). */
export const PREVIEW_CHARACTERS = 300;

/** One interaction as a page of the explorer (or a chunk of an export, with `fullText`) reads it. */
export interface InteractionPageRow {
  id: string;
  requestId: string;
  variantId: string;
  userId: string;
  modelName: string | null;
  systemPromptVersion: string | null;
  latencyMs: number | null;
  ttftMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  costUsd: number | null;
  userInput: string | null;
  modelOutput: string | null;
  /** True when userInput (modelOutput) was cut to PREVIEW_CHARACTERS. */
  userInputTruncated: boolean;
  modelOutputTruncated: boolean;
  safetyFlag: boolean | null;
  userFeedbackScore: number | null;
  goalCompleted: boolean | null;
  customMetrics: Prisma.JsonValue | null;
  timestamp: Date;
  source: string;
  error: string | null;
}

/** LIKE's wildcards and its escape character taken literally, so "50%" and "a_b" match only themselves. */
function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, "\\$&")}%`;
}

/** The WHERE conditions of a filtered explorer query over `i` (the Interaction row), all as parameters. */
export function interactionFilterConditions(experimentId: string, f: InteractionFilterSql): Prisma.Sql {
  const conditions: Prisma.Sql[] = [Prisma.sql`i."experimentId" = ${experimentId}`];
  if (f.variantIds) conditions.push(Prisma.sql`i."variantId" = ANY(${f.variantIds}::text[])`);
  if (f.from) conditions.push(Prisma.sql`i."timestamp" >= ${f.from}`);
  if (f.to) conditions.push(Prisma.sql`i."timestamp" < ${f.to}`);
  if (f.safety === "flagged") conditions.push(Prisma.sql`i."safetyFlag" IS TRUE`);
  if (f.safety === "clean") conditions.push(Prisma.sql`i."safetyFlag" IS NOT TRUE`);
  if (f.feedbackMin !== undefined) conditions.push(Prisma.sql`i."userFeedbackScore" >= ${f.feedbackMin}`);
  if (f.feedbackMax !== undefined) conditions.push(Prisma.sql`i."userFeedbackScore" <= ${f.feedbackMax}`);
  if (f.score) {
    // The same one score per interaction as the results read: re-scoring never counts twice.
    const newest = judgeScoreSql(f.score.criterion);
    conditions.push(Prisma.sql`${newest} IS NOT NULL`);
    if (f.score.min !== undefined) conditions.push(Prisma.sql`${newest} >= ${f.score.min}`);
    if (f.score.max !== undefined) conditions.push(Prisma.sql`${newest} <= ${f.score.max}`);
  }
  if (f.search) {
    const pattern = likeContains(f.search);
    conditions.push(Prisma.sql`(i."userInput" ILIKE ${pattern} OR i."modelOutput" ILIKE ${pattern})`);
  }
  if (f.failed === true) conditions.push(Prisma.sql`i."error" IS NOT NULL`);
  if (f.failed === false) conditions.push(Prisma.sql`i."error" IS NULL`);
  return Prisma.join(conditions, " AND ");
}

function pageColumns(fullText: boolean): Prisma.Sql {
  const texts = fullText
    ? Prisma.sql`i."userInput", i."modelOutput", false AS "userInputTruncated", false AS "modelOutputTruncated"`
    : Prisma.sql`left(i."userInput", ${PREVIEW_CHARACTERS}) AS "userInput", left(i."modelOutput", ${PREVIEW_CHARACTERS}) AS "modelOutput",
        coalesce(length(i."userInput") > ${PREVIEW_CHARACTERS}, false) AS "userInputTruncated",
        coalesce(length(i."modelOutput") > ${PREVIEW_CHARACTERS}, false) AS "modelOutputTruncated"`;
  return Prisma.sql`i."id", i."requestId", i."variantId", i."userId", i."modelName", i."systemPromptVersion", i."latencyMs", i."ttftMs",
    i."promptTokens", i."completionTokens", i."cost"::float8 AS "costUsd", ${texts}, i."safetyFlag", i."userFeedbackScore",
    i."goalCompleted", i."customMetrics", i."timestamp", i."source"::text AS "source", i."error"`;
}

/**
 * One page of an experiment's interactions in the explorer's order (timestamp desc, id desc), by keyset: the rows after
 * `page.after` (older), or the rows just before `page.before` (newer, still returned newest first). The index on
 * (experimentId, timestamp desc, id desc) serves both, so a page deep in the set costs what the first one does.
 */
export async function listInteractionPage(
  experimentId: string,
  filter: InteractionFilterSql,
  page: { after?: InteractionPosition; before?: InteractionPosition; limit: number; fullText?: boolean },
): Promise<InteractionPageRow[]> {
  const where = interactionFilterConditions(experimentId, filter);
  const columns = pageColumns(page.fullText ?? false);
  if (page.before) {
    const rows = await db().$queryRaw<InteractionPageRow[]>(Prisma.sql`SELECT ${columns} FROM "Interaction" i
      WHERE ${where} AND (i."timestamp", i."id") > (${page.before.timestamp}, ${page.before.id})
      ORDER BY i."timestamp" ASC, i."id" ASC LIMIT ${page.limit}`);
    return rows.reverse();
  }
  const after = page.after ? Prisma.sql`AND (i."timestamp", i."id") < (${page.after.timestamp}, ${page.after.id})` : Prisma.empty;
  return db().$queryRaw<InteractionPageRow[]>(Prisma.sql`SELECT ${columns} FROM "Interaction" i
    WHERE ${where} ${after}
    ORDER BY i."timestamp" DESC, i."id" DESC LIMIT ${page.limit}`);
}

/**
 * The same page by OFFSET, as a benchmark's reference only (bench/explorer.ts): its cost grows with the offset, which is
 * why no page is ever served this way.
 */
export function listInteractionPageByOffsetForBenchmark(experimentId: string, filter: InteractionFilterSql, offset: number, limit: number) {
  return db().$queryRaw<InteractionPageRow[]>(Prisma.sql`SELECT ${pageColumns(false)} FROM "Interaction" i
    WHERE ${interactionFilterConditions(experimentId, filter)}
    ORDER BY i."timestamp" DESC, i."id" DESC LIMIT ${limit} OFFSET ${offset}`);
}

/**
 * How many of the experiment's newest `scan` interactions match the filter, and how many interactions it has, counted no
 * further than `scan + 1`: bounded work whatever the filter (a rare search word cannot make it walk millions of rows).
 */
export async function countRecentMatches(
  experimentId: string,
  filter: InteractionFilterSql,
  scan: number,
): Promise<{ matching: number; total: number }> {
  const rows = await db().$queryRaw<{ matching: number; total: number }[]>(Prisma.sql`SELECT
    (SELECT count(*) FROM (SELECT 1 FROM "Interaction" t WHERE t."experimentId" = ${experimentId} LIMIT ${scan + 1}) AS a)::int AS total,
    (SELECT count(*) FROM (SELECT * FROM "Interaction" r WHERE r."experimentId" = ${experimentId}
       ORDER BY r."timestamp" DESC, r."id" DESC LIMIT ${scan}) AS i
     WHERE ${interactionFilterConditions(experimentId, filter)})::int AS matching`);
  return rows[0] ?? { matching: 0, total: 0 };
}

/** The experiment the explorer shows, with its variants (in order) and the judge criteria its scorecard reads, or null. */
export function findExplorerExperiment(key: string) {
  return db().experiment.findUnique({
    where: { key },
    select: {
      id: true,
      key: true,
      name: true,
      status: true,
      variants: { orderBy: { position: "asc" }, select: { id: true, key: true, name: true, isControl: true } },
      metrics: { where: { source: "JUDGE_CRITERION" }, orderBy: { position: "asc" }, select: { name: true, field: true } },
    },
  });
}

/** One interaction of an experiment by its request id, whole, with every judge score and the rubric version behind it (newest first). */
export function findInteractionByRequestId(experimentId: string, requestId: string) {
  return db().interaction.findUnique({
    where: { experimentId_requestId: { experimentId, requestId } },
    include: {
      variant: { select: { key: true, name: true } },
      judgeScores: {
        include: { rubric: { select: { name: true, version: true } } },
        orderBy: [{ rubric: { version: "desc" } }, { createdAt: "desc" }],
      },
    },
  });
}
