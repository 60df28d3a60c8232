import { withAuth } from "@/lib/auth/guard";
import { readBody } from "@/lib/http/body";
import { createUser, usersForAdmin } from "@/lib/users/service";
import { createUserSchema } from "@/lib/validation/users";

export const dynamic = "force-dynamic";

/** GET /api/v1/users (admin): every user. */
export const GET = withAuth("users:read", async () => ({ users: await usersForAdmin() }));

/** POST /api/v1/users (admin): create a user. */
export const POST = withAuth("users:manage", async ({ req, identity }) => {
  const input = await readBody(req, createUserSchema);
  return Response.json({ user: await createUser(identity, input) }, { status: 201 });
});
