import { withAuth } from "@/lib/auth/guard";
import { getExperimentDetail, updateExperiment } from "@/lib/experiments/service";
import { readBody } from "@/lib/http/body";
import { updateExperimentSchema } from "@/lib/validation/experiments";

export const dynamic = "force-dynamic";

/** GET /api/v1/experiments/{key}: the design, plan, single-variable check and audit trail. */
export const GET = withAuth<{ key: string }>("experiments:read", async ({ params }) => ({
  experiment: await getExperimentDetail(params.key),
}));

/** PATCH /api/v1/experiments/{key}: change the design (engineers: variant configs only; the service enforces the finer rule). */
export const PATCH = withAuth<{ key: string }>("experiments:editVariantSettings", async ({ req, identity, params }) => {
  const input = await readBody(req, updateExperimentSchema);
  return { experiment: await updateExperiment(identity, params.key, input) };
});
