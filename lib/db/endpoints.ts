import { db, isUniqueViolation } from "./client";
import { appendAuditEvent, type AuditInput } from "./audit";
import { AppError } from "@/lib/errors";

/** What any reader may see of an endpoint: never its key, only whether one is set. */
const listed = {
  id: true,
  name: true,
  baseUrl: true,
  defaultModel: true,
  apiKeyEncrypted: true,
  createdAt: true,
  updatedAt: true,
} as const;

export interface EndpointRow {
  id: string;
  name: string;
  baseUrl: string;
  defaultModel: string | null;
  apiKeyEncrypted: string | null;
  createdAt: Date;
  updatedAt: Date;
}

type EndpointAudit = Omit<AuditInput, "entityType" | "entityId">;

function nameTaken(name: string): AppError {
  return new AppError("CONFLICT", `An endpoint named "${name}" already exists; choose another name.`, {
    issues: [{ field: "name", message: `"${name}" is taken; choose another name` }],
  });
}

/** Every endpoint, by name. */
export function listEndpointRows(): Promise<EndpointRow[]> {
  return db().endpoint.findMany({ select: listed, orderBy: { name: "asc" } });
}

/** One endpoint, or null. */
export function findEndpointRow(id: string): Promise<EndpointRow | null> {
  return db().endpoint.findUnique({ where: { id }, select: listed });
}

/** The endpoint called `name` (names are unique), or null. */
export function findEndpointRowByName(name: string): Promise<EndpointRow | null> {
  return db().endpoint.findUnique({ where: { name }, select: listed });
}

/** The ids among `ids` that name an endpoint. */
export async function existingEndpointIds(ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db().endpoint.findMany({ where: { id: { in: [...ids] } }, select: { id: true } });
  return new Set(rows.map((r) => r.id));
}

/** The keys of the experiments whose variants are served by this endpoint, by key. */
export async function experimentKeysUsingEndpoint(id: string): Promise<string[]> {
  const rows = await db().experiment.findMany({
    where: { variants: { some: { endpointId: id } } },
    select: { key: true },
    orderBy: { key: "asc" },
  });
  return rows.map((r) => r.key);
}

/** Inserts an endpoint with its audit event, in one transaction; CONFLICT when the name is taken. */
export async function insertEndpointRow(
  data: { name: string; baseUrl: string; apiKeyEncrypted: string | null; defaultModel: string | null },
  audit: EndpointAudit,
): Promise<EndpointRow> {
  try {
    return await db().$transaction(async (tx) => {
      const row = await tx.endpoint.create({ data, select: listed });
      await appendAuditEvent({ ...audit, entityType: "Endpoint", entityId: row.id }, tx);
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(data.name);
    throw err;
  }
}

/** Changes an endpoint with its audit event, in one transaction; null when there is no such endpoint. */
export async function updateEndpointRow(
  id: string,
  data: { name?: string; baseUrl?: string; apiKeyEncrypted?: string | null; defaultModel?: string | null },
  audit: EndpointAudit,
): Promise<EndpointRow | null> {
  try {
    return await db().$transaction(async (tx) => {
      const { count } = await tx.endpoint.updateMany({ where: { id }, data });
      if (count === 0) return null;
      await appendAuditEvent({ ...audit, entityType: "Endpoint", entityId: id }, tx);
      return tx.endpoint.findUniqueOrThrow({ where: { id }, select: listed });
    });
  } catch (err) {
    if (isUniqueViolation(err) && data.name) throw nameTaken(data.name);
    throw err;
  }
}

/** Deletes an endpoint no variant uses, with its audit event, in one transaction; false when there is no such endpoint. */
export async function deleteEndpointRow(id: string, audit: EndpointAudit): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const { count } = await tx.endpoint.deleteMany({ where: { id, variants: { none: {} } } });
    if (count === 0) return false;
    await appendAuditEvent({ ...audit, entityType: "Endpoint", entityId: id }, tx);
    return true;
  });
}
