import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { databaseUnavailable } from "@/lib/errors";
import { noteDatabaseUnavailable } from "@/lib/http/outageStatus";
import { announceLocalChange, changeKindOf } from "./localChanges";

const globalForPrisma = globalThis as unknown as { assayPrisma?: PrismaClient };

/** Prisma's codes for "cannot reach / lost the server": P1001 unreachable, P1002 and P1008 timed out, P1017 closed the connection, P2024 pool timeout, P2037 too many connections. */
const UNAVAILABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2037"]);
/** The driver adapter's names for the same (its `DriverAdapterError.cause.kind`). */
const UNAVAILABLE_ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
/** Socket errors of node-postgres (pg-boss's queries). */
const UNAVAILABLE_SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);
/** PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01-57P03 (shutting down, crashed, starting up), 53300 (too many connections). */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;

/**
 * True when `err` (from Prisma, its pg adapter, or node-postgres directly) says the database cannot be reached right now,
 * as opposed to a query it refused.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0) {
    const e = queue.shift();
    if (typeof e !== "object" || e === null || seen.has(e)) continue;
    seen.add(e);
    const { code, kind, originalCode, message, meta, cause } = e as Record<string, unknown>;
    if (
      typeof code === "string" &&
      (UNAVAILABLE_PRISMA_CODES.has(code) || UNAVAILABLE_SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))
    )
      return true;
    if (typeof kind === "string" && UNAVAILABLE_ADAPTER_KINDS.has(kind)) return true;
    if (typeof originalCode === "string" && UNAVAILABLE_SQLSTATE.test(originalCode)) return true;
    if (typeof message === "string" && /Connection terminated|Can't reach database server/.test(message)) return true;
    queue.push(cause, (meta as { driverAdapterError?: unknown } | undefined)?.driverAdapterError);
  }
  return false;
}

/** Every query of the client, with "the database cannot be reached" turned into the one UNAVAILABLE error (lib/errors.ts). */
function withOutageErrors(client: PrismaClient): PrismaClient {
  return client.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        try {
          const result = await query(args);
          const change = changeKindOf(model, operation);
          if (change) announceLocalChange(change);
          return result;
        } catch (err) {
          if (!isDatabaseUnavailable(err)) throw err;
          // A page that fails on this answers 503, not 500 (lib/http/outageStatus.ts).
          noteDatabaseUnavailable();
          throw databaseUnavailable(err);
        }
      },
    },
  }) as unknown as PrismaClient;
}

/**
 * The client with `$transaction` telling the data plane's caches once it has committed (or failed): a write inside a
 * transaction announced itself before its commit, and a cache refilled in between must be emptied again.
 */
function announcingCommits(client: PrismaClient): PrismaClient {
  const transaction = client.$transaction.bind(client) as (...args: unknown[]) => Promise<unknown>;
  const wrapped = async (...args: unknown[]) => {
    try {
      return await transaction(...args);
    } finally {
      announceLocalChange("auth");
      announceLocalChange("experiments");
    }
  };
  return new Proxy(client, { get: (target, prop, receiver) => (prop === "$transaction" ? wrapped : Reflect.get(target, prop, receiver)) });
}

/** The one Prisma client of this process, on the pg driver adapter. */
export function db(): PrismaClient {
  if (!globalForPrisma.assayPrisma) {
    const connectionString = env().DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is not set: start Assay with `npm start`, or set DATABASE_URL.");
    globalForPrisma.assayPrisma = announcingCommits(withOutageErrors(new PrismaClient({ adapter: new PrismaPg({ connectionString }) })));
  }
  return globalForPrisma.assayPrisma;
}

/** True for Prisma's unique-constraint violation (P2002): a concurrent insert took the same key first. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "P2002";
}

/** Closes this process's Prisma client (scripts and tests). */
export async function disconnectDb(): Promise<void> {
  await globalForPrisma.assayPrisma?.$disconnect();
  globalForPrisma.assayPrisma = undefined;
}
