// The judge-against-users agreement report's SQL (lib/judge/agreement.ts): the rubric versions used on an experiment,
// and the (judge score, user rating) pairs counted per variant, never loaded row by row.
import { db } from "./client";
import { Prisma } from "@/lib/generated/prisma/client";

/** The experiment's id and its variants in their order, or null when no experiment has the key. */
export function experimentWithVariants(key: string) {
  return db().experiment.findUnique({
    where: { key },
    select: { id: true, variants: { select: { key: true, name: true }, orderBy: [{ position: "asc" }, { key: "asc" }] } },
  });
}

export interface RubricVersionRow {
  id: string;
  name: string;
  version: number;
  criteria: unknown;
  /** The experiment's interactions with a score of this version. */
  scored: number;
}

/** Rubric versions that scored the experiment's interactions or ran on it, most recently used first (a score or a run's start). */
export function rubricVersionsUsed(experimentId: string) {
  return db().$queryRaw<RubricVersionRow[]>(Prisma.sql`
    WITH used AS (
      SELECT js."rubricId" AS id, count(*)::int AS scored, max(js."createdAt") AS last
      FROM "JudgeScore" js JOIN "Interaction" i ON i.id = js."interactionId"
      WHERE i."experimentId" = ${experimentId} GROUP BY 1
      UNION ALL
      SELECT "rubricId", 0, max("createdAt") FROM "JudgeRun" WHERE "experimentId" = ${experimentId} GROUP BY 1
    )
    SELECT r.id, r.name, r.version, r.criteria, sum(u.scored)::int AS scored
    FROM used u JOIN "Rubric" r ON r.id = u.id
    GROUP BY r.id ORDER BY max(u.last) DESC, r.name, r.version DESC`);
}

/** Every version of the rubric with this name, newest first. */
export function rubricVersionsNamed(name: string) {
  return db().rubric.findMany({
    where: { name },
    select: { id: true, name: true, version: true, criteria: true },
    orderBy: { version: "desc" },
  });
}

export interface AgreementCountRow {
  variant: string;
  /** Null for pairs off the scale (a rating that is not a whole number from min to max). */
  judge: number | null;
  human: number | null;
  n: number;
}

/**
 * Per variant, how many of the experiment's interactions have each (judge score of the criterion, user feedback score)
 * pair under this rubric version; pairs where either is not a whole number from min to max are counted in one row with
 * judge and human null.
 */
export function judgeHumanCounts(s: { experimentId: string; rubricId: string; criterion: string; min: number; max: number }) {
  return db().$queryRaw<AgreementCountRow[]>(Prisma.sql`
    WITH pairs AS (
      SELECT v.key AS variant, (js.scores ->> ${s.criterion})::float8 AS judge, i."userFeedbackScore" AS human
      FROM "JudgeScore" js
      JOIN "Interaction" i ON i.id = js."interactionId"
      JOIN "Variant" v ON v.id = i."variantId"
      WHERE i."experimentId" = ${s.experimentId} AND js."rubricId" = ${s.rubricId}
        AND jsonb_typeof(js.scores -> ${s.criterion}) = 'number' AND i."userFeedbackScore" IS NOT NULL
    ), placed AS (
      SELECT variant, judge, human,
        (judge = trunc(judge) AND human = trunc(human) AND judge BETWEEN ${s.min} AND ${s.max} AND human BETWEEN ${s.min} AND ${s.max}) AS on_scale
      FROM pairs
    )
    SELECT variant, CASE WHEN on_scale THEN judge::int END AS judge, CASE WHEN on_scale THEN human::int END AS human, count(*)::int AS n
    FROM placed GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);
}

/**
 * How many of the experiment's interactions got each (score under version a, score under version b) pair of the
 * criterion, both whole numbers from min to max: the judge against itself across two rubric versions.
 */
export function versionPairCounts(s: {
  experimentId: string;
  rubricA: string;
  rubricB: string;
  criterion: string;
  min: number;
  max: number;
}) {
  return db().$queryRaw<{ a: number; b: number; n: number }[]>(Prisma.sql`
    WITH pairs AS (
      SELECT (sa.scores ->> ${s.criterion})::float8 AS a, (sb.scores ->> ${s.criterion})::float8 AS b
      FROM "JudgeScore" sa
      JOIN "JudgeScore" sb ON sb."interactionId" = sa."interactionId" AND sb."rubricId" = ${s.rubricB}
      JOIN "Interaction" i ON i.id = sa."interactionId"
      WHERE i."experimentId" = ${s.experimentId} AND sa."rubricId" = ${s.rubricA}
        AND jsonb_typeof(sa.scores -> ${s.criterion}) = 'number' AND jsonb_typeof(sb.scores -> ${s.criterion}) = 'number'
    )
    SELECT a::int AS a, b::int AS b, count(*)::int AS n FROM pairs
    WHERE a = trunc(a) AND b = trunc(b) AND a BETWEEN ${s.min} AND ${s.max} AND b BETWEEN ${s.min} AND ${s.max}
    GROUP BY 1, 2`);
}

/**
 * How many of the experiment's interactions got each (score, second reading) pair of the criterion under this rubric
 * version: the score against a rescore run's reading of the same interaction (each rescore counts once), both whole
 * numbers from min to max: the judge against itself on the same version.
 */
export function rescorePairCounts(s: { experimentId: string; rubricId: string; criterion: string; min: number; max: number }) {
  return db().$queryRaw<{ a: number; b: number; n: number }[]>(Prisma.sql`
    WITH pairs AS (
      SELECT (js.scores ->> ${s.criterion})::float8 AS a, (it.scores ->> ${s.criterion})::float8 AS b
      FROM "JudgeRunItem" it
      JOIN "JudgeRun" r ON r.id = it."judgeRunId" AND r.mode = 'rescore' AND r."rubricId" = ${s.rubricId} AND r."experimentId" = ${s.experimentId}
      JOIN "JudgeScore" js ON js."interactionId" = it."interactionId" AND js."rubricId" = ${s.rubricId}
      WHERE it.status = 'SCORED' AND jsonb_typeof(js.scores -> ${s.criterion}) = 'number' AND jsonb_typeof(it.scores -> ${s.criterion}) = 'number'
    )
    SELECT a::int AS a, b::int AS b, count(*)::int AS n FROM pairs
    WHERE a = trunc(a) AND b = trunc(b) AND a BETWEEN ${s.min} AND ${s.max} AND b BETWEEN ${s.min} AND ${s.max}
    GROUP BY 1, 2`);
}
