import { withAuth } from "@/lib/auth/guard";
import { startExperiment } from "@/lib/experiments/service";
import { startExperimentSchema } from "@/lib/validation/experiments";
import { readOptionalBody } from "@/lib/http/body";

export const dynamic = "force-dynamic";

/** POST /api/v1/experiments/{key}/start: DRAFT -> RUNNING, with {singleVariableReason} when the variants differ beyond the declared variable. */
export const POST = withAuth<{ key: string }>("experiments:lifecycle", async ({ req, identity, params }) => {
  const input = await readOptionalBody(req, startExperimentSchema);
  return { experiment: await startExperiment(identity, params.key, input) };
});
