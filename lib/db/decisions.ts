import { db } from "./client";

/** Decisions with their experiment, pending first, then newest. */
export function listDecisions(take = 100) {
  return db().decision.findMany({
    orderBy: [{ status: "asc" }, { createdAt: "desc" }],
    take,
    include: {
      experiment: { select: { key: true, name: true } },
      requestedBy: { select: { name: true } },
      reviewedBy: { select: { name: true } },
    },
  });
}

/** Deploy decisions waiting for a reviewer. */
export function countPendingDecisions(): Promise<number> {
  return db().decision.count({ where: { status: "PENDING" } });
}
