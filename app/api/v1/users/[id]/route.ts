import { withAuth } from "@/lib/auth/guard";
import { readBody } from "@/lib/http/body";
import { changeUser } from "@/lib/users/service";
import { updateUserSchema } from "@/lib/validation/users";

export const dynamic = "force-dynamic";

/** PATCH /api/v1/users/{id} (admin): set role, name or disabled. */
export const PATCH = withAuth<{ id: string }>("users:manage", async ({ req, identity, params }) => {
  const input = await readBody(req, updateUserSchema);
  return { user: await changeUser(identity, params.id, input) };
});
