import { db } from "./client";
import type { Prisma } from "@/lib/generated/prisma/client";

export interface AuditInput {
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string;
  experimentId?: string | null;
  details?: Prisma.InputJsonValue;
}

/** Appends one audit event (the log is append-only: there is no update or delete). */
export function appendAuditEvent(event: AuditInput, tx: Prisma.TransactionClient = db()) {
  return tx.auditEvent.create({ data: { ...event, experimentId: event.experimentId ?? null } });
}

/** Audit events of one experiment, oldest first. */
export function listAuditEventsForExperiment(experimentId: string) {
  return db().auditEvent.findMany({
    where: { experimentId },
    orderBy: { createdAt: "asc" },
    include: { actor: { select: { name: true } } },
  });
}

/** The latest audit events that belong to an experiment, newest first, with the experiment and the actor's name. */
export function listRecentExperimentActivity(take: number) {
  return db().auditEvent.findMany({
    where: { experimentId: { not: null } },
    orderBy: { createdAt: "desc" },
    take,
    include: { actor: { select: { name: true } }, experiment: { select: { key: true, name: true } } },
  });
}
