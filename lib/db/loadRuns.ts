import { db } from "./client";

/** The latest load runs, newest first. */
export function listLoadRuns(take = 100) {
  return db().loadRun.findMany({
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, name: true, status: true, progress: true, targetUrl: true, model: true, createdAt: true },
  });
}
