import { withAuth } from "@/lib/auth/guard";
import { createApiKey, listOwnApiKeys } from "@/lib/auth/apiKeys";
import { readBody } from "@/lib/http/body";
import { createApiKeySchema } from "@/lib/validation/users";

export const dynamic = "force-dynamic";

/** GET /api/v1/api-keys: the caller's keys (prefixes, never secrets). */
export const GET = withAuth("apiKeys:manageOwn", async ({ identity }) => ({ apiKeys: await listOwnApiKeys(identity) }));

/** POST /api/v1/api-keys: a new key for the caller; the secret is in this response only. */
export const POST = withAuth("apiKeys:manageOwn", async ({ req, identity }) => {
  const input = await readBody(req, createApiKeySchema);
  const created = await createApiKey(identity, input.name);
  return Response.json(created, { status: 201, headers: { "cache-control": "no-store" } });
});
