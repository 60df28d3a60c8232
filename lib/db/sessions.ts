import { db } from "./client";
import { publicUser, type PublicUser } from "./users";

/** Records a new sign-in session for a user, valid until `expiresAt`, and drops the user's expired ones; returns its id. */
export async function insertUserSession(userId: string, expiresAt: Date): Promise<string> {
  const [, created] = await db().$transaction([
    db().userSession.deleteMany({ where: { userId, expiresAt: { lte: new Date() } } }),
    db().userSession.create({ data: { userId, expiresAt }, select: { id: true } }),
  ]);
  return created.id;
}

/** The user of a live session (neither revoked nor expired), without secrets; null for any other id. */
export async function findLiveSessionUser(id: string): Promise<PublicUser | null> {
  const row = await db().userSession.findFirst({
    where: { id, revokedAt: null, expiresAt: { gt: new Date() } },
    select: { user: { select: publicUser } },
  });
  return row?.user ?? null;
}

/** Ends a session (sign-out); true when it was live. */
export async function revokeUserSession(id: string): Promise<boolean> {
  return (await db().userSession.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } })).count > 0;
}
