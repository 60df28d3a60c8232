import { db, isUniqueViolation } from "./client";
import { appendAuditEvent, type AuditInput } from "./audit";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import type {
  ExperimentStatus,
  VariableUnderTest,
  MetricDirection,
  MetricKind,
  MetricRole,
  MetricSource,
} from "@/lib/generated/prisma/enums";

/** An audit event about one experiment (its id is filled in by the write that records it). */
export type ExperimentAuditInput = Omit<AuditInput, "experimentId" | "entityType" | "entityId">;

export interface VariantRecord {
  key: string;
  name: string;
  isControl: boolean;
  weight: number;
  config: Prisma.InputJsonValue;
  configVersion: number;
  /** The managed endpoint that serves the variant (its config's endpointId), kept as a relation so it cannot vanish under it. */
  endpointId: string | null;
  position: number;
}

export interface MetricRecord {
  name: string;
  role: MetricRole;
  kind: MetricKind;
  source: MetricSource;
  field: string;
  quantile: number | null;
  direction: MetricDirection;
  mde: number;
  mdeAbsolute: boolean;
  nonInferiorityMargin: number | null;
  baseline: number | null;
  baselineSd: number | null;
  scaleMin: number | null;
  scaleMax: number | null;
  position: number;
}

export interface ExperimentRecord {
  key: string;
  name: string;
  description: string;
  hypothesisChange: string;
  hypothesisExpectation: string;
  hypothesisReason: string;
  variableUnderTest: VariableUnderTest;
  gatewayEnabled: boolean;
  hashingSalt: string;
  ownerId: string | null;
  coverage?: number;
  plan: Prisma.InputJsonValue | null;
}

const experimentWithDesign = {
  variants: { orderBy: { position: "asc" } },
  metrics: { orderBy: { position: "asc" } },
  owner: { select: { id: true, name: true, email: true } },
} as const satisfies Prisma.ExperimentInclude;

/** Experiments with owner and variant count, most recently changed first. */
export function listExperiments(filter: { status?: ExperimentStatus; ownerId?: string; search?: string; includeArchived?: boolean } = {}) {
  // Prisma passes `contains` to ILIKE as it is: escape LIKE's wildcards so "50%" and "a_b" match only themselves.
  const search = filter.search?.replace(/[\\%_]/g, "\\$&");
  const contains = (field: "name" | "key" | "hypothesisChange" | "hypothesisExpectation" | "hypothesisReason") => ({
    [field]: { contains: search, mode: "insensitive" as const },
  });
  return db().experiment.findMany({
    where: {
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.ownerId ? { ownerId: filter.ownerId } : {}),
      ...(filter.includeArchived ? {} : { archivedAt: null }),
      ...(filter.search
        ? {
            OR: [
              contains("name"),
              contains("key"),
              contains("hypothesisChange"),
              contains("hypothesisExpectation"),
              contains("hypothesisReason"),
            ],
          }
        : {}),
    },
    orderBy: { updatedAt: "desc" },
    include: { owner: { select: { id: true, name: true } }, _count: { select: { variants: true } } },
  });
}

/** One experiment with its variants and metrics (by position) and owner, or null. */
export function findExperimentByKey(key: string) {
  return db().experiment.findUnique({ where: { key }, include: experimentWithDesign });
}

export type ExperimentWithDesign = NonNullable<Awaited<ReturnType<typeof findExperimentByKey>>>;

/** True when an experiment already uses this key. */
export async function experimentKeyExists(key: string): Promise<boolean> {
  return (await db().experiment.count({ where: { key } })) > 0;
}

/** Inserts an experiment with its variants, metrics and audit events in one transaction; extra events may name other experiments (a clone's source). */
export async function insertExperimentWithDesign(
  data: ExperimentRecord,
  variants: VariantRecord[],
  metrics: MetricRecord[],
  audit: ExperimentAuditInput[],
  otherAudit: AuditInput[] = [],
) {
  try {
    return await db().$transaction(async (tx) => {
      const experiment = await tx.experiment.create({
        data: { ...data, plan: data.plan ?? undefined, variants: { create: variants }, metrics: { create: metrics } },
      });
      for (const event of audit)
        await appendAuditEvent({ ...event, entityType: "Experiment", entityId: experiment.id, experimentId: experiment.id }, tx);
      for (const event of otherAudit) await appendAuditEvent(event, tx);
      return experiment;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", `An experiment with key "${data.key}" already exists; choose another key.`);
    throw err;
  }
}

const CHANGED_MEANWHILE =
  "The experiment changed while this request was handled (someone else saved, started or stopped it); reload it and try again.";

/**
 * Changes an experiment's fields and, when given, replaces its variants (matched by key, so ids survive) and metrics, with an
 * audit event, in one transaction; only if the row is still as it was read (`expected` status and updatedAt), CONFLICT otherwise.
 */
export async function updateExperimentDesign(
  id: string,
  expected: { status: ExperimentStatus; updatedAt: Date },
  change: {
    fields: Partial<Omit<ExperimentRecord, "plan" | "hashingSalt" | "ownerId">> & { plan?: Prisma.InputJsonValue | null };
    variants?: VariantRecord[];
    metrics?: MetricRecord[];
  },
  audit: ExperimentAuditInput,
) {
  const { plan, ...fields } = change.fields;
  try {
    return await db().$transaction(async (tx) => {
      // Claim the row first: a concurrent start or save makes this match nothing, and the whole change is refused.
      const claimed = await tx.experiment.updateMany({
        where: { id, status: expected.status, updatedAt: expected.updatedAt },
        data: { updatedAt: new Date() },
      });
      if (claimed.count === 0) throw new AppError("CONFLICT", CHANGED_MEANWHILE);
      if (change.variants) {
        const keys = change.variants.map((v) => v.key);
        await tx.variant.deleteMany({ where: { experimentId: id, key: { notIn: keys } } });
        for (const v of change.variants) {
          await tx.variant.upsert({
            where: { experimentId_key: { experimentId: id, key: v.key } },
            create: { ...v, experimentId: id },
            update: v,
          });
        }
      }
      if (change.metrics) {
        await tx.metric.deleteMany({ where: { experimentId: id } });
        await tx.metric.createMany({ data: change.metrics.map((m) => ({ ...m, experimentId: id })) });
      }
      const planData = plan === undefined ? {} : { plan: plan === null ? Prisma.DbNull : plan };
      const experiment = await tx.experiment.update({ where: { id }, data: { ...fields, ...planData, updatedAt: new Date() } });
      await appendAuditEvent({ ...audit, entityType: "Experiment", entityId: id, experimentId: id }, tx);
      return experiment;
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError("CONFLICT", `An experiment with key "${change.fields.key}" already exists; choose another key.`);
    throw err;
  }
}

/**
 * Changes an experiment's lifecycle fields (status, timestamps, archive flag, single-variable reason) with an audit event, in one
 * transaction, only if the row is still as it was read (`expected` status and updatedAt): two concurrent starts cannot both win,
 * and a start cannot go live with a design someone changed after it was checked.
 */
export function updateExperimentState(
  id: string,
  expected: { status: ExperimentStatus; updatedAt: Date },
  data: { status?: ExperimentStatus; startedAt?: Date; stoppedAt?: Date; archivedAt?: Date | null; singleVariableReason?: string | null },
  audit: ExperimentAuditInput,
) {
  return db().$transaction(async (tx) => {
    const { count } = await tx.experiment.updateMany({
      where: { id, status: expected.status, updatedAt: expected.updatedAt },
      data: { ...data, updatedAt: new Date() },
    });
    if (count === 0) throw new AppError("CONFLICT", CHANGED_MEANWHILE);
    await appendAuditEvent({ ...audit, entityType: "Experiment", entityId: id, experimentId: id }, tx);
  });
}

/**
 * Moves an experiment to DECIDED with an approved Decision, its ship configuration and an audit event, in one transaction:
 * the demo's decided experiment, recorded as decided before it had data (a real decision goes through lib/reviews).
 */
export function markExperimentDecided(
  id: string,
  decision: {
    recommendation: string;
    proposedVariant: string;
    matrix: Prisma.InputJsonValue;
    rules: Prisma.InputJsonValue;
    requestedById: string | null;
    reviewedById: string | null;
    comment: string;
  },
  ship: { variantKey: string; config: Prisma.InputJsonValue },
  audit: ExperimentAuditInput,
) {
  return db().$transaction(async (tx) => {
    const created = await tx.decision.create({
      data: { experimentId: id, ...decision, status: "APPROVED", reviewedAt: new Date() },
    });
    const experiment = await tx.experiment.update({
      where: { id },
      data: { status: "DECIDED", stoppedAt: new Date(), shipVariantKey: ship.variantKey, shipConfig: ship.config },
    });
    await appendAuditEvent(
      {
        ...audit,
        entityType: "Experiment",
        entityId: id,
        experimentId: id,
        details: { ...(audit.details as object), decisionId: created.id },
      },
      tx,
    );
    return experiment;
  });
}

/** Live (not archived) experiments per status, counted in SQL. */
export async function countExperimentsByStatus(): Promise<Record<ExperimentStatus, number>> {
  const rows = await db().experiment.groupBy({ by: ["status"], where: { archivedAt: null }, _count: { _all: true } });
  const counts: Record<ExperimentStatus, number> = { DRAFT: 0, RUNNING: 0, STOPPED: 0, DECIDED: 0 };
  for (const row of rows) counts[row.status] = row._count._all;
  return counts;
}

/** Saves an experiment's decision rules with an audit event, in one transaction. */
export function updateExperimentDecisionRules(id: string, rules: Prisma.InputJsonValue, audit: ExperimentAuditInput) {
  return db().$transaction(async (tx) => {
    await tx.experiment.update({ where: { id }, data: { decisionRules: rules, updatedAt: new Date() } });
    await appendAuditEvent({ ...audit, entityType: "Experiment", entityId: id, experimentId: id }, tx);
  });
}
