import { withAuth } from "@/lib/auth/guard";
import { archiveExperiment } from "@/lib/experiments/service";
import { readBody } from "@/lib/http/body";
import { archiveExperimentSchema } from "@/lib/validation/experiments";

export const dynamic = "force-dynamic";

/** POST /api/v1/experiments/{key}/archive {archived}: hide from (or return to) the list; not while running. */
export const POST = withAuth<{ key: string }>("experiments:lifecycle", async ({ req, identity, params }) => {
  const { archived } = await readBody(req, archiveExperimentSchema);
  return { experiment: await archiveExperiment(identity, params.key, archived) };
});
