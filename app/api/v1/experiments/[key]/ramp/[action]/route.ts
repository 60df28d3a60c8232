import { withAuth } from "@/lib/auth/guard";
import { AppError } from "@/lib/errors";
import { readBody } from "@/lib/http/body";
import { moveRamp } from "@/lib/rollouts/rampService";
import { RAMP_ACTIONS, rampMoveSchema, type RampAction } from "@/lib/validation/ramp";

export const dynamic = "force-dynamic";

/** POST /api/v1/experiments/{key}/ramp/{advance|hold|resume|rollback} {"reason"?}: move along the plan, audited. */
export const POST = withAuth<{ key: string; action: string }>("experiments:control", async ({ req, identity, params }) => {
  if (!(RAMP_ACTIONS as readonly string[]).includes(params.action))
    throw new AppError("NOT_FOUND", `A ramp moves by ${RAMP_ACTIONS.join(", ")}; "${params.action}" is not one of them.`);
  const { reason } = await readBody(req, rampMoveSchema);
  return { ramp: await moveRamp(identity, params.key, params.action as RampAction, reason) };
});
