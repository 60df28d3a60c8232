import { withAuth } from "@/lib/auth/guard";
import { stopExperiment } from "@/lib/experiments/service";
import { stopExperimentSchema } from "@/lib/validation/experiments";
import { readOptionalBody } from "@/lib/http/body";

export const dynamic = "force-dynamic";

/** POST /api/v1/experiments/{key}/stop: RUNNING -> STOPPED, with an optional {reason}. */
export const POST = withAuth<{ key: string }>("experiments:lifecycle", async ({ req, identity, params }) => {
  const input = await readOptionalBody(req, stopExperimentSchema);
  return { experiment: await stopExperiment(identity, params.key, input) };
});
