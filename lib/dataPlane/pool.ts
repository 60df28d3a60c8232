// The data plane's own connections: plain node-postgres on the hot paths (assign, ingest, exposures), where Prisma's
// per-query overhead would cost more than the query itself, and the results engine's aggregates.
import pg from "pg";
import { env } from "@/lib/env";

type PoolName = "dataPlane" | "asyncCommit" | "analysis";
const holder = globalThis as unknown as { assayPools?: Partial<Record<PoolName, pg.Pool>> };

/** The process's pool of this name, made on first use from DATABASE_URL (one per process, across module reloads). */
function sharedPool(name: PoolName, settings: { max: number; options?: string }): pg.Pool {
  const pools = (holder.assayPools ??= {});
  let p = pools[name];
  if (!p) {
    const connectionString = env().DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is not set");
    p = new pg.Pool({ connectionString, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000, ...settings });
    // An idle client that loses its server (a database restart) is dropped and replaced; never an unhandled error.
    p.on("error", () => undefined);
    pools[name] = p;
  }
  return p;
}

/** The process's data-plane pool. */
export function pool(): pg.Pool {
  return sharedPool("dataPlane", { max: 10 });
}

/**
 * Connections whose commits do not wait for the disk (synchronous_commit off), for writes whose last half second may be
 * lost in a database crash without harm: kept assignments (a lost one is hashed again, to the same variant unless the
 * weights changed in that half second) and exposures. Never for interactions: an accepted record is durable.
 */
export function asyncCommitPool(): pg.Pool {
  return sharedPool("asyncCommit", { max: 4, options: "-c synchronous_commit=off" });
}

/** Memory one results query may sort in before spilling to disk (PostgreSQL's default, 4 MB, spills a third of a million values). */
export const ANALYSIS_WORK_MEM = "256MB";

/**
 * Connections for the results engine's aggregates: percentile_cont sorts each variant's values, so they get room to sort
 * in memory. Few of them, so a burst of views cannot hold many such sorts at once.
 */
export function analysisPool(): pg.Pool {
  return sharedPool("analysis", { max: 4, options: `-c work_mem=${ANALYSIS_WORK_MEM}` });
}

export async function closePool(): Promise<void> {
  const pools = holder.assayPools ?? {};
  holder.assayPools = {};
  await Promise.all(Object.values(pools).map((p) => p?.end()));
}
