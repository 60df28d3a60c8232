// Model endpoints: the OpenAI-compatible servers the gateway forwards to. Routes and the settings page call these; these
// call lib/db. An endpoint's API key is encrypted before it is stored and never leaves this module again, except to the
// gateway (lib/dataPlane/gateway.ts), which sends it to that endpoint only: readers learn only whether one is set.
import { actorLabel, type Identity } from "@/lib/auth/identity";
import {
  deleteEndpointRow,
  experimentKeysUsingEndpoint,
  findEndpointRow,
  insertEndpointRow,
  listEndpointRows,
  updateEndpointRow,
  type EndpointRow,
} from "@/lib/db/endpoints";
import { AppError } from "@/lib/errors";
import type { CreateEndpointInput, UpdateEndpointInput } from "@/lib/validation/endpoints";
import { encryptEndpointApiKey } from "./apiKeyEncryption";

/** An endpoint as the API and the page show it. */
export interface EndpointView {
  id: string;
  name: string;
  baseUrl: string;
  defaultModel: string | null;
  /** True when an API key is stored (the key itself is never shown again). */
  apiKeySet: boolean;
  createdAt: Date;
  updatedAt: Date;
}

function view(row: EndpointRow): EndpointView {
  return {
    id: row.id,
    name: row.name,
    baseUrl: row.baseUrl,
    defaultModel: row.defaultModel,
    apiKeySet: row.apiKeyEncrypted !== null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function notFound(): AppError {
  return new AppError("NOT_FOUND", "No endpoint has that id; GET /api/v1/endpoints lists them.");
}

/** Every endpoint, by name (no keys). */
export async function listEndpoints(): Promise<EndpointView[]> {
  return (await listEndpointRows()).map(view);
}

/** Creates an endpoint; its API key, if any, is stored encrypted. Audited as "endpoint.created" (without the key). */
export async function createEndpoint(identity: Identity, input: CreateEndpointInput): Promise<EndpointView> {
  const row = await insertEndpointRow(
    {
      name: input.name,
      baseUrl: input.baseUrl,
      apiKeyEncrypted: input.apiKey ? encryptEndpointApiKey(input.apiKey) : null,
      defaultModel: input.defaultModel ?? null,
    },
    {
      actorId: identity.userId,
      actorLabel: actorLabel(identity),
      action: "endpoint.created",
      details: { name: input.name, baseUrl: input.baseUrl, defaultModel: input.defaultModel ?? null, apiKeySet: Boolean(input.apiKey) },
    },
  );
  return view(row);
}

/** Changes what is sent; `apiKey: null` removes the key. Audited as "endpoint.updated" with before and after (a key only as set / replaced / removed). */
export async function updateEndpoint(identity: Identity, id: string, input: UpdateEndpointInput): Promise<EndpointView> {
  const before = await findEndpointRow(id);
  if (!before) throw notFound();
  const data: Parameters<typeof updateEndpointRow>[1] = {};
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const field of ["name", "baseUrl", "defaultModel"] as const) {
    const next = input[field];
    if (next === undefined || next === before[field]) continue;
    data[field] = next as string;
    changes[field] = { before: before[field], after: next };
  }
  if (input.apiKey !== undefined) {
    data.apiKeyEncrypted = input.apiKey === null ? null : encryptEndpointApiKey(input.apiKey);
    // The key itself is never recorded, not even in the audit trail.
    if (input.apiKey !== null || before.apiKeyEncrypted !== null)
      changes.apiKey = {
        before: before.apiKeyEncrypted ? "set" : "not set",
        after: input.apiKey === null ? "removed" : before.apiKeyEncrypted ? "replaced" : "set",
      };
  }
  if (Object.keys(changes).length === 0) return view(before);
  const row = await updateEndpointRow(id, data, {
    actorId: identity.userId,
    actorLabel: actorLabel(identity),
    action: "endpoint.updated",
    details: { name: before.name, changes } as object,
  });
  if (!row) throw notFound();
  return view(row);
}

/** Deletes an endpoint that no variant uses (CONFLICT naming the experiments that do). Audited as "endpoint.deleted". */
export async function deleteEndpoint(identity: Identity, id: string): Promise<void> {
  const before = await findEndpointRow(id);
  if (!before) throw notFound();
  const inUse = async () => {
    const keys = await experimentKeysUsingEndpoint(id);
    if (keys.length)
      throw new AppError(
        "CONFLICT",
        `Endpoint "${before.name}" serves variants of ${keys.join(", ")}; point those variants at another endpoint first (a started experiment keeps its endpoints: clone it instead).`,
        { experiments: keys },
      );
  };
  await inUse();
  const deleted = await deleteEndpointRow(id, {
    actorId: identity.userId,
    actorLabel: actorLabel(identity),
    action: "endpoint.deleted",
    details: { name: before.name, baseUrl: before.baseUrl },
  });
  if (!deleted) {
    // A variant took it up, or someone deleted it, since the check above.
    await inUse();
    throw notFound();
  }
}
