import { withAuth } from "@/lib/auth/guard";
import { cloneExperiment } from "@/lib/experiments/service";
import { readBody } from "@/lib/http/body";
import { cloneExperimentSchema } from "@/lib/validation/experiments";

export const dynamic = "force-dynamic";

/** POST /api/v1/experiments/{key}/clone {key, name?}: a new DRAFT with the same design. */
export const POST = withAuth<{ key: string }>("experiments:create", async ({ req, identity, params }) => {
  const input = await readBody(req, cloneExperimentSchema);
  return Response.json({ experiment: await cloneExperiment(identity, params.key, input) }, { status: 201 });
});
