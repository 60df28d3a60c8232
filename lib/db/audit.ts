import { actorLabel, type Identity } from "@/lib/auth/identity";
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

/** One audit event about an experiment, by whoever `identity` is (a person, an API key, or one of the worker's checks). */
export function auditExperiment(
  identity: Identity,
  experimentId: string,
  action: string,
  details: Prisma.InputJsonValue,
  tx: Prisma.TransactionClient = db(),
) {
  return appendAuditEvent(
    {
      actorId: identity.userId,
      actorLabel: actorLabel(identity),
      entityType: "Experiment",
      entityId: experimentId,
      experimentId,
      action,
      details,
    },
    tx,
  );
}
