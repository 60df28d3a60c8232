// Server-side sessions: the session cookie (a JWT signed by next-auth) names a UserSession row, and a cookie counts only
// while its row is live. Signing out revokes the row, so the cookie ends on the server, not only in the browser.
import { findLiveSessionUser, insertUserSession, revokeUserSession } from "@/lib/db/sessions";
import type { PublicUser } from "@/lib/db/users";

/** How long a sign-in lasts: the cookie's lifetime and its session's. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

/** Opens a session for a user who just signed in; returns the id the cookie carries. */
export function openSession(userId: string): Promise<string> {
  return insertUserSession(userId, new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000));
}

/** The user of a live session, or null when the session was revoked, has expired or never existed. */
export function sessionUser(sessionId: string): Promise<PublicUser | null> {
  return findLiveSessionUser(sessionId);
}

/** Ends a session at sign-out. */
export async function closeSession(sessionId: string): Promise<void> {
  await revokeUserSession(sessionId);
}
