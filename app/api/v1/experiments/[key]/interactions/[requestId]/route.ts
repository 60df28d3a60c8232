import { withAuth } from "@/lib/auth/guard";
import { getInteraction } from "@/lib/interactions/explorer";

export const dynamic = "force-dynamic";

/** GET /api/v1/experiments/{key}/interactions/{requestId}: one interaction whole, with its judge scores and their reasoning. */
export const GET = withAuth<{ key: string; requestId: string }>("interactions:read", async ({ params }) => ({
  interaction: await getInteraction(params.key, params.requestId),
}));
