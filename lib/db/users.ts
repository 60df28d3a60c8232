import { db, isUniqueViolation } from "./client";
import { AppError } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/enums";

export const publicUser = { id: true, email: true, name: true, role: true, disabled: true, createdAt: true, lastLoginAt: true } as const;

export type PublicUser = {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
  lastLoginAt: Date | null;
};

/** The user with this email, including the password hash (login only). */
export function findUserForLogin(email: string) {
  return db().user.findUnique({ where: { email } });
}

/** The user with this id, without secrets. */
export function findUserById(id: string): Promise<PublicUser | null> {
  return db().user.findUnique({ where: { id }, select: publicUser });
}

/** All users, newest first, without secrets. */
export function listUsers(): Promise<PublicUser[]> {
  return db().user.findMany({ select: publicUser, orderBy: { createdAt: "asc" } });
}

/** Number of users (an empty database has none). */
export function countUsers(): Promise<number> {
  return db().user.count();
}

/** Creates a user; CONFLICT when the email is taken (also when a concurrent request took it first). */
export async function insertUser(data: { email: string; name: string; role: Role; passwordHash: string }): Promise<PublicUser> {
  try {
    return await db().user.create({ data, select: publicUser });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", `A user with email ${data.email} already exists.`);
    throw err;
  }
}

/** Changes a user's role, name or disabled flag; disabling also ends the user's sessions in the same write (re-enabling does not revive them). */
export function updateUser(id: string, data: { role?: Role; disabled?: boolean; name?: string }): Promise<PublicUser> {
  const endSessions = data.disabled ? { sessions: { updateMany: { where: { revokedAt: null }, data: { revokedAt: new Date() } } } } : {};
  return db().user.update({ where: { id }, data: { ...data, ...endSessions }, select: publicUser });
}

/** Stamps a successful login. */
export function touchLastLogin(id: string): Promise<unknown> {
  return db().user.update({ where: { id }, data: { lastLoginAt: new Date() } });
}

/** Records one login attempt. */
export function recordLoginAttempt(email: string, ip: string, success: boolean): Promise<unknown> {
  return db().loginAttempt.create({ data: { email, ip, success } });
}

/** Failed attempts since `since` for this email, and for this client address. */
export async function countRecentFailures(email: string, ip: string, since: Date): Promise<{ byEmail: number; byIp: number }> {
  const [byEmail, byIp] = await Promise.all([
    db().loginAttempt.count({ where: { email, success: false, createdAt: { gte: since } } }),
    db().loginAttempt.count({ where: { ip, success: false, createdAt: { gte: since } } }),
  ]);
  return { byEmail, byIp };
}
