import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

const globalForPrisma = globalThis as unknown as { assayPrisma?: PrismaClient };

/** The one Prisma client of this process, on the pg driver adapter. */
export function db(): PrismaClient {
  if (!globalForPrisma.assayPrisma) {
    const connectionString = env().DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is not set: start Assay with `npm start`, or set DATABASE_URL.");
    globalForPrisma.assayPrisma = new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
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
