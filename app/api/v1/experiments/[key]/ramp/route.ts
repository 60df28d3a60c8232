import { withAuth } from "@/lib/auth/guard";
import { readBody } from "@/lib/http/body";
import { getRamp, setRampPlan } from "@/lib/rollouts/rampService";
import { rampPlanRequestSchema } from "@/lib/validation/ramp";

export const dynamic = "force-dynamic";

/** GET /api/v1/experiments/{key}/ramp: the ramp plan, where it stands, and what the next step would add (null: no plan). */
export const GET = withAuth<{ key: string }>("experiments:read", async ({ params }) => ({ ramp: await getRamp(params.key) }));

/** PUT /api/v1/experiments/{key}/ramp: set the plan, a preset or your own steps; traffic changes only when it advances. */
export const PUT = withAuth<{ key: string }>("experiments:control", async ({ req, identity, params }) => {
  const input = await readBody(req, rampPlanRequestSchema);
  return { ramp: await setRampPlan(identity, params.key, input) };
});
