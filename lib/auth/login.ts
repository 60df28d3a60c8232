import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";
import { countRecentFailures, findUserForLogin, recordLoginAttempt, touchLastLogin } from "@/lib/db/users";
import { textProblem } from "@/lib/validation/text";
import { decoyPasswordHash, verifyPassword } from "./password";

const WINDOW_MS = 15 * 60 * 1000;
/** Shown for a wrong password and for an unknown email alike, so the form does not reveal who has an account. */
export const LOGIN_FAILED = "Email or password is incorrect.";
export const LOGIN_RATE_LIMITED = "Too many failed sign-in attempts. Wait 15 minutes and try again.";

/** Checks an email and password, rate-limited per email and per client address; returns the user or throws. */
export async function authenticate(emailInput: string, password: string, ip: string) {
  const email = emailInput.trim().toLowerCase();
  // An email no account can have (too long, a control character) is refused before it reaches the database.
  if (!email || !password || email.length > 320 || password.length > 1024 || textProblem(email, "name")) {
    throw new AppError("UNAUTHENTICATED", LOGIN_FAILED);
  }
  const limit = env().ASSAY_LOGIN_MAX_FAILURES;
  const failures = await countRecentFailures(email, ip, new Date(Date.now() - WINDOW_MS));
  if (failures.byEmail >= limit || failures.byIp >= limit * 5) {
    throw new AppError("RATE_LIMITED", LOGIN_RATE_LIMITED);
  }
  const user = await findUserForLogin(email);
  const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyPasswordHash()));
  if (!user || !ok || user.disabled) {
    await recordLoginAttempt(email, ip, false);
    throw new AppError("UNAUTHENTICATED", LOGIN_FAILED);
  }
  await recordLoginAttempt(email, ip, true);
  await touchLastLogin(user.id);
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
