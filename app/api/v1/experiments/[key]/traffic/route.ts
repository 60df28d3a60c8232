import { withAuth } from "@/lib/auth/guard";
import { readBody } from "@/lib/http/body";
import { getTrafficControls, updateTrafficControls } from "@/lib/traffic/control";
import { trafficChangeSchema } from "@/lib/validation/traffic";

export const dynamic = "force-dynamic";

/** GET /api/v1/experiments/{key}/traffic: weights, coverage, QA overrides, kill switch, targeting, and how many users are kept. */
export const GET = withAuth<{ key: string }>("experiments:read", async ({ params }) => ({ traffic: await getTrafficControls(params.key) }));

/** PATCH /api/v1/experiments/{key}/traffic: change any of them; weights and coverage apply to new users only. */
export const PATCH = withAuth<{ key: string }>("experiments:control", async ({ req, identity, params }) => {
  const change = await readBody(req, trafficChangeSchema);
  return { traffic: await updateTrafficControls(identity, params.key, change) };
});
