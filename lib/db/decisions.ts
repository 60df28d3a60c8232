import { db } from "./client";
import { appendAuditEvent, type AuditInput } from "./audit";
import { AppError } from "@/lib/errors";
import type { DecisionStatus, ExperimentStatus } from "@/lib/generated/prisma/enums";
import type { Prisma } from "@/lib/generated/prisma/client";

const decisionInclude = {
  experiment: { select: { id: true, key: true, name: true, status: true, ownerId: true, owner: { select: { name: true } } } },
  requestedBy: { select: { id: true, name: true } },
  reviewedBy: { select: { id: true, name: true } },
} as const satisfies Prisma.DecisionInclude;

export type DecisionRow = Prisma.DecisionGetPayload<{ include: typeof decisionInclude }>;

/** Pending decisions someone other than `userId` requested, on experiments someone else owns: the ones this user may decide. */
function decidableBy(userId: string): Prisma.DecisionWhereInput {
  return {
    status: "PENDING",
    OR: [{ requestedById: null }, { requestedById: { not: userId } }],
    experiment: { OR: [{ ownerId: null }, { ownerId: { not: userId } }] },
  };
}

/** Decisions with their experiment and who asked / answered, pending first, then newest; `waitingFor` keeps those that user may decide. */
export function listDecisions(filter: { waitingFor?: string; status?: DecisionStatus; experimentId?: string } = {}, take = 100) {
  return db().decision.findMany({
    where: {
      ...(filter.waitingFor ? decidableBy(filter.waitingFor) : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.experimentId ? { experimentId: filter.experimentId } : {}),
    },
    orderBy: [{ status: "asc" }, { createdAt: "desc" }],
    take,
    include: decisionInclude,
  });
}

/** One decision with its snapshot, experiment and people, or null. */
export function findDecision(id: string) {
  return db().decision.findUnique({ where: { id }, include: decisionInclude });
}

/** Deploy decisions waiting for a reviewer (`waitingFor`: only those that user may decide). */
export function countPendingDecisions(waitingFor?: string): Promise<number> {
  return db().decision.count({ where: waitingFor ? decidableBy(waitingFor) : { status: "PENDING" } });
}

const CHANGED_MEANWHILE =
  "The experiment changed while this request was handled (someone else saved, stopped or reviewed it); reload it and try again.";

/**
 * Records a review request: a PENDING decision with its frozen snapshot and an audit event, in one transaction, only if the
 * experiment is still as it was read (`expected`) and has no pending review (CONFLICT otherwise).
 */
export function insertReviewRequest(
  experimentId: string,
  expected: { status: ExperimentStatus; updatedAt: Date },
  decision: {
    recommendation: string;
    proposedVariant: string;
    matrix: Prisma.InputJsonValue;
    results: Prisma.InputJsonValue;
    rules: Prisma.InputJsonValue;
    note: string | null;
    requestedById: string | null;
  },
  audit: Omit<AuditInput, "entityType" | "entityId" | "experimentId">,
) {
  return db().$transaction(async (tx) => {
    // Claim the experiment row first: a concurrent request (or stop, or edit) makes this match nothing.
    const claimed = await tx.experiment.updateMany({ where: { id: experimentId, ...expected }, data: { updatedAt: new Date() } });
    if (claimed.count === 0) throw new AppError("CONFLICT", CHANGED_MEANWHILE);
    const pending = await tx.decision.count({ where: { experimentId, status: "PENDING" } });
    if (pending > 0)
      throw new AppError(
        "CONFLICT",
        "A review of this experiment is already waiting for a reviewer; it must be approved or rejected first.",
      );
    const created = await tx.decision.create({ data: { experimentId, ...decision, status: "PENDING" } });
    await appendAuditEvent(
      {
        ...audit,
        entityType: "Decision",
        entityId: created.id,
        experimentId,
        details: { ...(audit.details as object), decisionId: created.id },
      },
      tx,
    );
    return created;
  });
}

/**
 * Settles a PENDING decision as APPROVED or REJECTED with the reviewer and comment, and (approval) moves its experiment from
 * STOPPED to DECIDED with the ship configuration, with audit events, in one transaction; CONFLICT when either has moved on.
 */
export function settleDecision(
  id: string,
  verdict: { status: "APPROVED" | "REJECTED"; reviewedById: string; comment: string },
  ship: { experimentId: string; variantKey: string; config: Prisma.InputJsonValue } | null,
  audit: AuditInput[],
) {
  return db().$transaction(async (tx) => {
    const claimed = await tx.decision.updateMany({ where: { id, status: "PENDING" }, data: { ...verdict, reviewedAt: new Date() } });
    if (claimed.count === 0) throw new AppError("CONFLICT", "This review has already been decided; reload it to see the verdict.");
    if (ship) {
      const moved = await tx.experiment.updateMany({
        where: { id: ship.experimentId, status: "STOPPED" },
        data: { status: "DECIDED", shipVariantKey: ship.variantKey, shipConfig: ship.config, updatedAt: new Date() },
      });
      if (moved.count === 0) throw new AppError("CONFLICT", "The experiment is no longer stopped, so it cannot be decided; reload it.");
    }
    for (const event of audit) await appendAuditEvent(event, tx);
  });
}
