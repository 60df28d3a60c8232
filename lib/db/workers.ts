import { db } from "./client";

/** Records that a worker ran a heartbeat job now. */
export function upsertWorkerHeartbeat(beat: { workerId: string; hostname: string; pid: number; startedAt: Date }) {
  const now = new Date();
  return db().workerHeartbeat.upsert({
    where: { workerId: beat.workerId },
    create: { ...beat, lastBeat: now },
    update: { lastBeat: now, hostname: beat.hostname, pid: beat.pid },
  });
}

/** Notes that `workerId` runs job `jobId` (a retry of the same job on another worker takes the lease over). */
export function takeJobLease(lease: { jobId: string; queue: string; workerId: string; silentLimitSeconds: number }) {
  return db().jobLease.upsert({
    where: { jobId: lease.jobId },
    create: { ...lease, startedAt: new Date() },
    update: { workerId: lease.workerId, silentLimitSeconds: lease.silentLimitSeconds, startedAt: new Date() },
  });
}

/** The job ended on this worker (a lease another worker has since taken over is left alone). */
export function dropJobLease(jobId: string, workerId: string) {
  return db().jobLease.deleteMany({ where: { jobId, workerId } });
}

/**
 * Leases of dead workers: held for longer than their silent limit by a worker whose last heartbeat is older than that
 * (or that never beat). Times are kept in UTC, as Prisma writes them.
 */
export function orphanedJobLeases() {
  return db().$queryRaw<{ jobId: string; queue: string; workerId: string }[]>`
    SELECT l."jobId", l.queue, l."workerId" FROM "JobLease" l
    LEFT JOIN "WorkerHeartbeat" h ON h."workerId" = l."workerId"
    WHERE l."startedAt" < (now() AT TIME ZONE 'UTC') - make_interval(secs => l."silentLimitSeconds")
      AND (h."lastBeat" IS NULL OR h."lastBeat" < (now() AT TIME ZONE 'UTC') - make_interval(secs => l."silentLimitSeconds"))
    ORDER BY l."startedAt" LIMIT 500`;
}

/**
 * Active jobs of `queues` that no worker has leased although they started more than `graceSeconds` ago: a worker that
 * leases its jobs (every worker process does, right after taking one) died between taking the job and leasing it.
 */
export function unleasedActiveJobs(queues: string[], graceSeconds: number) {
  return db().$queryRawUnsafe<{ jobId: string; queue: string }[]>(
    `SELECT j.id::text AS "jobId", j.name AS queue FROM pgboss.job j
     LEFT JOIN "JobLease" l ON l."jobId" = j.id::text
     WHERE j.state = 'active' AND j.name = ANY($1::text[]) AND l."jobId" IS NULL
       AND j.started_on < now() - make_interval(secs => $2)
     ORDER BY j.started_on LIMIT 500`,
    queues,
    graceSeconds,
  );
}

/** The most recent heartbeat of any worker, or null if none ever ran. */
export async function latestWorkerHeartbeat(): Promise<Date | null> {
  const row = await db().workerHeartbeat.findFirst({ orderBy: { lastBeat: "desc" }, select: { lastBeat: true } });
  return row?.lastBeat ?? null;
}

/** Workers that ran a heartbeat since `since`. */
export function listLiveWorkers(since: Date) {
  return db().workerHeartbeat.findMany({ where: { lastBeat: { gte: since } }, orderBy: { lastBeat: "desc" } });
}

/** True when the database answers a trivial query. */
export async function pingDatabase(): Promise<boolean> {
  await db().$queryRaw`select 1`;
  return true;
}

/** True when pg-boss has installed its schema and the named queue exists. */
export async function queueInstalled(schema: string, queue: string): Promise<boolean> {
  const rows = await db().$queryRawUnsafe<{ ok: boolean }[]>(
    `select exists (select 1 from information_schema.tables where table_schema = $1 and table_name = 'queue') as ok`,
    schema,
  );
  if (!rows[0]?.ok) return false;
  const queues = await db().$queryRawUnsafe<{ n: bigint }[]>(`select count(*) as n from "${schema}".queue where name = $1`, queue);
  return Number(queues[0]?.n ?? 0) > 0;
}
