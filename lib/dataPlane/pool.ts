// The data plane's own connections: plain node-postgres on the hot paths (assign, ingest, exposures), where Prisma's
// per-query overhead would cost more than the query itself.
import pg from "pg";
import { env } from "@/lib/env";

const holder = globalThis as unknown as { assayDataPlanePool?: pg.Pool };

/** The process's data-plane pool (created on first use from DATABASE_URL). */
export function pool(): pg.Pool {
  if (!holder.assayDataPlanePool) {
    const connectionString = env().DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is not set");
    const p = new pg.Pool({ connectionString, max: 10, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000 });
    // An idle client that loses its server (a database restart) is dropped and replaced; never an unhandled error.
    p.on("error", () => undefined);
    holder.assayDataPlanePool = p;
  }
  return holder.assayDataPlanePool;
}

export async function closePool(): Promise<void> {
  await holder.assayDataPlanePool?.end();
  holder.assayDataPlanePool = undefined;
  await asyncHolder.assayDataPlaneAsyncPool?.end();
  asyncHolder.assayDataPlaneAsyncPool = undefined;
  await analysisHolder.assayAnalysisPool?.end();
  analysisHolder.assayAnalysisPool = undefined;
}

const asyncHolder = globalThis as unknown as { assayDataPlaneAsyncPool?: pg.Pool };

/**
 * Connections whose commits do not wait for the disk (synchronous_commit off), for writes whose last half second may be
 * lost in a database crash without harm: kept assignments (a lost one is hashed again, to the same variant unless the
 * weights changed in that half second) and exposures. Never for interactions: an accepted record is durable.
 */
export function asyncCommitPool(): pg.Pool {
  if (!asyncHolder.assayDataPlaneAsyncPool) {
    const connectionString = env().DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is not set");
    const p = new pg.Pool({
      connectionString,
      max: 4,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 5_000,
      options: "-c synchronous_commit=off",
    });
    p.on("error", () => undefined);
    asyncHolder.assayDataPlaneAsyncPool = p;
  }
  return asyncHolder.assayDataPlaneAsyncPool;
}

const analysisHolder = globalThis as unknown as { assayAnalysisPool?: pg.Pool };

/** Memory one results query may sort in before spilling to disk (PostgreSQL's default, 4 MB, spills a third of a million values). */
export const ANALYSIS_WORK_MEM = "256MB";

/**
 * Connections for the results engine's aggregates: percentile_cont sorts each variant's values, so they get room to sort
 * in memory. Few of them, so a burst of views cannot hold many such sorts at once.
 */
export function analysisPool(): pg.Pool {
  if (!analysisHolder.assayAnalysisPool) {
    const connectionString = env().DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is not set");
    const p = new pg.Pool({
      connectionString,
      max: 4,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 5_000,
      options: `-c work_mem=${ANALYSIS_WORK_MEM}`,
    });
    p.on("error", () => undefined);
    analysisHolder.assayAnalysisPool = p;
  }
  return analysisHolder.assayAnalysisPool;
}
