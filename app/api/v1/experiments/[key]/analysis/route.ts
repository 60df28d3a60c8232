import { withAuth } from "@/lib/auth/guard";
import { readBody } from "@/lib/http/body";
import { getAnalysisSettings, updateAnalysisSettings } from "@/lib/results/settings";
import { analysisSettingsSchema } from "@/lib/validation/analysis";

export const dynamic = "force-dynamic";

/** GET /api/v1/experiments/{key}/analysis: the results' correction and whether they are sequential (peeking-safe). */
export const GET = withAuth<{ key: string }>("experiments:read", async ({ params }) => ({
  analysis: await getAnalysisSettings(params.key),
}));

/** PATCH /api/v1/experiments/{key}/analysis: change either; audited; refused once decided. */
export const PATCH = withAuth<{ key: string }>("experiments:edit", async ({ req, identity, params }) => {
  const change = await readBody(req, analysisSettingsSchema);
  return { analysis: await updateAnalysisSettings(identity, params.key, change) };
});
