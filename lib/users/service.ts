import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { actorLabel, type Identity } from "@/lib/auth/identity";
import { hashPassword } from "@/lib/auth/password";
import { appendAuditEvent } from "@/lib/db/audit";
import { findUserById, insertUser, listUsers, updateUser, findUserForLogin, countUsers } from "@/lib/db/users";
import type { createUserSchema, updateUserSchema } from "@/lib/validation/users";
import type { Role } from "@/lib/generated/prisma/enums";

/** Every user, for the admin page. */
export function usersForAdmin() {
  return listUsers();
}

/** Creates a user with a hashed password; the email must be new. */
export async function createUser(actor: Identity | null, input: z.infer<typeof createUserSchema>) {
  if (await findUserForLogin(input.email)) throw new AppError("CONFLICT", `A user with email ${input.email} already exists.`);
  const user = await insertUser({
    email: input.email,
    name: input.name,
    role: input.role,
    passwordHash: await hashPassword(input.password),
  });
  await appendAuditEvent({
    actorId: actor?.userId ?? null,
    actorLabel: actor ? actorLabel(actor) : "system",
    action: "user.created",
    entityType: "User",
    entityId: user.id,
    details: { email: user.email, role: user.role },
  });
  return user;
}

/** Changes a user's role, name or disabled flag; an admin cannot demote or disable themself (someone must stay admin). */
export async function changeUser(actor: Identity, id: string, input: z.infer<typeof updateUserSchema>) {
  const before = await findUserById(id);
  if (!before) throw new AppError("NOT_FOUND", "No user with that id.");
  if (actor.userId === id && ((input.role && input.role !== "ADMIN") || input.disabled)) {
    throw new AppError("CONFLICT", "You cannot remove your own admin role or disable yourself; ask another admin.");
  }
  const user = await updateUser(id, input);
  await appendAuditEvent({
    actorId: actor.userId,
    actorLabel: actorLabel(actor),
    action: "user.updated",
    entityType: "User",
    entityId: id,
    details: { before: { role: before.role, disabled: before.disabled, name: before.name }, after: input },
  });
  return user;
}

/** Creates the first admin from ASSAY_BOOTSTRAP_ADMIN_* when the database has no users. */
export async function ensureBootstrapAdmin(email: string, password: string): Promise<boolean> {
  if ((await countUsers()) > 0) return false;
  await createUser(null, { email: email.toLowerCase(), name: "Administrator", role: "ADMIN" as Role, password });
  return true;
}
