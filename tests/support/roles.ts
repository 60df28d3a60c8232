import { DEMO_PASSWORD, demoUsers } from "@/lib/demo/users";
import type { Role } from "@/lib/generated/prisma/enums";
import { api, signIn } from "./http";

/** For each demo role: a session cookie (real next-auth sign-in) and an API key created through the API. */
export async function demoCredentials(): Promise<Record<Role, { cookie: string; key: string; email: string }>> {
  const out = {} as Record<Role, { cookie: string; key: string; email: string }>;
  for (const user of demoUsers) {
    const cookie = await signIn(user.email, DEMO_PASSWORD);
    if (!cookie) throw new Error(`demo sign-in failed for ${user.email}`);
    const created = await api("/api/v1/api-keys", { cookie, body: { name: `test ${user.role} ${Date.now()}` } });
    if (created.status !== 201) throw new Error(`could not create a key for ${user.email}: ${created.text}`);
    out[user.role] = { cookie, key: created.json.key, email: user.email };
  }
  return out;
}
