// The rubrics' SQL (lib/judge/rubrics.ts): versions by name with what uses them, and the next version of a name written
// under a lock on that name, so two saves at once never make the same version or two versions of one definition.
import { db } from "./client";
import { appendAuditEvent, type AuditInput } from "./audit";
import { defaultRubricRow } from "./judgeRuns";
import { Prisma } from "@/lib/generated/prisma/client";
import { criteriaOf, rubricJsonSchema, sameRubric, type RubricDefinition } from "@/lib/judge/rubric";

export { defaultRubricRow };

export interface RubricRow {
  id: string;
  name: string;
  version: number;
  prompt: string;
  criteria: unknown;
  jsonSchema: unknown;
  createdAt: Date;
  createdBy: string | null;
  /** Judge runs that used this version. */
  judgeRuns: number;
  /** Whether any interaction has a score of this version. */
  scored: boolean;
}

function rows(where: Prisma.Sql): Promise<RubricRow[]> {
  return db().$queryRaw<RubricRow[]>(Prisma.sql`
    SELECT r.id, r.name, r.version, r.prompt, r.criteria, r."jsonSchema", r."createdAt", u.name AS "createdBy",
      (SELECT count(*)::int FROM "JudgeRun" j WHERE j."rubricId" = r.id) AS "judgeRuns",
      EXISTS (SELECT 1 FROM "JudgeScore" s WHERE s."rubricId" = r.id) AS scored
    FROM "Rubric" r LEFT JOIN "User" u ON u.id = r."createdById"
    WHERE ${where}
    ORDER BY r.name ASC, r.version DESC`);
}

/** Every version of every rubric, by name, newest version first. */
export function listRubricRows(): Promise<RubricRow[]> {
  return rows(Prisma.sql`TRUE`);
}

/** Every version of one rubric, newest first (none: an empty list). */
export function rubricRowsNamed(name: string): Promise<RubricRow[]> {
  return rows(Prisma.sql`r.name = ${name}`);
}

/** One version of a rubric, or its latest when `version` is left out; null when there is none. */
export function findRubricRow(name: string, version?: number) {
  return db().rubric.findFirst({
    where: { name, ...(version === undefined ? {} : { version }) },
    orderBy: { version: "desc" },
    select: { id: true, name: true, version: true, prompt: true, criteria: true },
  });
}

/** The versions a rubric has, newest first. */
export async function rubricVersionNumbers(name: string): Promise<number[]> {
  const found = await db().rubric.findMany({ where: { name }, select: { version: true }, orderBy: { version: "desc" } });
  return found.map((r) => r.version);
}

/**
 * Saves `definition` as the next version of its name, with its audit event, in one transaction; when it is the same as the
 * latest version, that version is answered and nothing is written.
 */
export async function insertRubricVersion(
  definition: RubricDefinition,
  createdById: string | null,
  audit: Omit<AuditInput, "entityType" | "entityId" | "details">,
): Promise<{ id: string; version: number; created: boolean }> {
  return db().$transaction(async (tx) => {
    // One writer per name at a time: the version number and the "same as the latest" check are decided under the lock.
    await tx.$executeRaw(Prisma.sql`SELECT pg_advisory_xact_lock(hashtext(${`rubric:${definition.name}`}))`);
    const latest = await tx.rubric.findFirst({
      where: { name: definition.name },
      orderBy: { version: "desc" },
      select: { id: true, version: true, prompt: true, criteria: true },
    });
    if (latest && sameRubric({ systemPrompt: latest.prompt, criteria: criteriaOf(latest.criteria) }, definition))
      return { id: latest.id, version: latest.version, created: false };
    const made = await tx.rubric.create({
      data: {
        name: definition.name,
        version: (latest?.version ?? 0) + 1,
        prompt: definition.systemPrompt,
        criteria: definition.criteria as unknown as Prisma.InputJsonValue,
        jsonSchema: rubricJsonSchema(definition) as Prisma.InputJsonValue,
        createdById,
      },
      select: { id: true, version: true },
    });
    await appendAuditEvent(
      {
        ...audit,
        entityType: "Rubric",
        entityId: made.id,
        details: { name: definition.name, version: made.version, criteria: definition.criteria.map((c) => c.key) },
      },
      tx,
    );
    return { ...made, created: true };
  });
}
