import { createHash, randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors";
import { appendAuditEvent } from "@/lib/db/audit";
import { findApiKeyByHash, insertApiKey, listApiKeysForUser, revokeApiKeyOfUser, touchApiKey } from "@/lib/db/apiKeys";
import type { Identity } from "./identity";
import { actorLabel } from "./identity";

const KEY_PATTERN = /^assay_[A-Za-z0-9_-]{24,128}$/;
const PREFIX_LENGTH = 14;

/** SHA-256 of a key: keys are long random strings, so a fast hash is enough to store them safely. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** The visible part of a key, shown in lists so a user can tell keys apart. */
export function apiKeyPrefix(key: string): string {
  return key.slice(0, PREFIX_LENGTH);
}

/** A new random key: `assay_` + 32 random bytes in base64url. */
export function generateApiKey(): string {
  return `assay_${randomBytes(32).toString("base64url")}`;
}

/** Creates a key for the calling user; the secret is returned once and stored only as a hash. */
export async function createApiKey(identity: Identity, name: string) {
  if (!identity.userId) throw new AppError("FORBIDDEN", "The bootstrap key cannot create keys; sign in as a user.");
  const key = generateApiKey();
  const record = await insertApiKey({
    name,
    prefix: apiKeyPrefix(key),
    keyHash: hashApiKey(key),
    role: identity.role,
    scopes: ["*"],
    userId: identity.userId,
  });
  await appendAuditEvent({
    actorId: identity.userId,
    actorLabel: actorLabel(identity),
    action: "apiKey.created",
    entityType: "ApiKey",
    entityId: record.id,
    details: { name, prefix: record.prefix },
  });
  return { key, apiKey: record };
}

/** The caller's keys (prefixes only). */
export function listOwnApiKeys(identity: Identity) {
  if (!identity.userId) return Promise.resolve([]);
  return listApiKeysForUser(identity.userId);
}

/** Revokes one of the caller's keys. */
export async function revokeOwnApiKey(identity: Identity, id: string): Promise<void> {
  if (!identity.userId || !(await revokeApiKeyOfUser(id, identity.userId))) {
    throw new AppError("NOT_FOUND", "No active API key with that id belongs to you.");
  }
  await appendAuditEvent({
    actorId: identity.userId,
    actorLabel: actorLabel(identity),
    action: "apiKey.revoked",
    entityType: "ApiKey",
    entityId: id,
  });
}

/** Resolves an `Authorization` header value to an identity, or explains what is wrong with it. */
export async function identityFromAuthorizationHeader(header: string): Promise<Identity> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) {
    throw new AppError("UNAUTHENTICATED", "Malformed Authorization header: send `Authorization: Bearer <api key>`.");
  }
  const key = match[1];
  if (!KEY_PATTERN.test(key)) {
    throw new AppError("UNAUTHENTICATED", "Malformed API key: Assay keys start with `assay_`. Create one in Settings > API keys.");
  }
  const record = await findApiKeyByHash(hashApiKey(key));
  if (!record) throw new AppError("UNAUTHENTICATED", "Invalid API key.");
  if (record.revokedAt) throw new AppError("UNAUTHENTICATED", "This API key has been revoked; create a new one in Settings > API keys.");
  if (record.user?.disabled) throw new AppError("UNAUTHENTICATED", "The owner of this API key is disabled.");
  // "Last used" to the minute is enough; skip the write for a key used moments ago (every API call comes through here).
  if (!record.lastUsedAt || Date.now() - record.lastUsedAt.getTime() > 60_000) void touchApiKey(record.id).catch(() => undefined);
  return {
    via: "apiKey",
    userId: record.user?.id ?? null,
    email: record.user?.email ?? null,
    name: record.user?.name ?? record.name,
    // A key acts with its user's current role; the bootstrap key (no user) with its own.
    role: record.user?.role ?? record.role,
    apiKeyId: record.id,
    apiKeyPrefix: record.prefix,
  };
}

/** Creates the admin-scoped bootstrap key with exactly this value, if it does not exist yet. */
export async function ensureBootstrapApiKey(key: string): Promise<boolean> {
  const keyHash = hashApiKey(key);
  if (await findApiKeyByHash(keyHash)) return false;
  const record = await insertApiKey({
    name: "bootstrap (ASSAY_BOOTSTRAP_API_KEY)",
    prefix: apiKeyPrefix(key),
    keyHash,
    role: "ADMIN",
    scopes: ["*"],
    userId: null,
  });
  await appendAuditEvent({
    actorId: null,
    actorLabel: "system",
    action: "apiKey.bootstrapped",
    entityType: "ApiKey",
    entityId: record.id,
    details: { prefix: record.prefix },
  });
  return true;
}
