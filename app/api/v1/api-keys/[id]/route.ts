import { withAuth } from "@/lib/auth/guard";
import { revokeOwnApiKey } from "@/lib/auth/apiKeys";

export const dynamic = "force-dynamic";

/** DELETE /api/v1/api-keys/{id}: revoke one of the caller's keys. */
export const DELETE = withAuth<{ id: string }>("apiKeys:manageOwn", async ({ identity, params }) => {
  await revokeOwnApiKey(identity, params.id);
  return { revoked: true };
});
