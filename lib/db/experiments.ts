import { db } from "./client";

/** Experiments with owner and variant count, most recently changed first. */
export function listExperiments(filter: { status?: "DRAFT" | "RUNNING" | "STOPPED" | "DECIDED"; ownerId?: string; search?: string; includeArchived?: boolean } = {}) {
  return db().experiment.findMany({
    where: {
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.ownerId ? { ownerId: filter.ownerId } : {}),
      ...(filter.includeArchived ? {} : { archivedAt: null }),
      ...(filter.search
        ? { OR: [{ name: { contains: filter.search, mode: "insensitive" } }, { key: { contains: filter.search, mode: "insensitive" } }, { hypothesisChange: { contains: filter.search, mode: "insensitive" } }] }
        : {}),
    },
    orderBy: { updatedAt: "desc" },
    include: { owner: { select: { id: true, name: true } }, _count: { select: { variants: true } } },
  });
}
