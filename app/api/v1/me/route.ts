import { withAuth } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

/** GET /api/v1/me: who the caller is and with which role, for a session or an API key. */
export const GET = withAuth("me:read", async ({ identity }) => ({
  via: identity.via,
  userId: identity.userId,
  email: identity.email,
  name: identity.name,
  role: identity.role,
  ...(identity.apiKeyPrefix ? { apiKeyPrefix: identity.apiKeyPrefix } : {}),
}));
