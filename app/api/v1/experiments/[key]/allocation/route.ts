import { withAuth } from "@/lib/auth/guard";
import { readBody } from "@/lib/http/body";
import { getAllocation, setAllocation } from "@/lib/rollouts/allocation";
import { allocationRequestSchema } from "@/lib/validation/allocation";

export const dynamic = "force-dynamic";

/** GET /api/v1/experiments/{key}/allocation: the mode, Thompson's floor and minimum, the goal it favours, and the weight history. */
export const GET = withAuth<{ key: string }>("experiments:read", async ({ params }) => ({ allocation: await getAllocation(params.key) }));

/** PUT /api/v1/experiments/{key}/allocation {mode: "fixed"|"thompson", floor?, minPerArm?}: switch the mode; audited. */
export const PUT = withAuth<{ key: string }>("experiments:control", async ({ req, identity, params }) => {
  const input = await readBody(req, allocationRequestSchema);
  return { allocation: await setAllocation(identity, params.key, input) };
});
