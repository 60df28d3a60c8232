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
}
