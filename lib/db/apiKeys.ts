import { db } from "./client";
import type { Role } from "@/lib/generated/prisma/enums";

const listed = {
  id: true,
  name: true,
  prefix: true,
  role: true,
  scopes: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

/** Stores a new key by its hash and visible prefix. */
export function insertApiKey(data: { name: string; prefix: string; keyHash: string; role: Role; scopes: string[]; userId: string | null }) {
  return db().apiKey.create({ data, select: listed });
}

/** The key with this hash, with its owner. */
export function findApiKeyByHash(keyHash: string) {
  return db().apiKey.findUnique({
    where: { keyHash },
    include: { user: { select: { id: true, email: true, name: true, role: true, disabled: true } } },
  });
}

/** A user's keys, newest first (never the secret). */
export function listApiKeysForUser(userId: string) {
  return db().apiKey.findMany({ where: { userId }, select: listed, orderBy: { createdAt: "desc" } });
}

/** Revokes a key of this user; returns false if there is no such key. */
export async function revokeApiKeyOfUser(id: string, userId: string): Promise<boolean> {
  const res = await db().apiKey.updateMany({ where: { id, userId, revokedAt: null }, data: { revokedAt: new Date() } });
  return res.count === 1;
}

/** Stamps the key's last use. */
export function touchApiKey(id: string): Promise<unknown> {
  return db().apiKey.update({ where: { id }, data: { lastUsedAt: new Date() } });
}
