import { withAuth } from "@/lib/auth/guard";
import { readBody } from "@/lib/http/body";
import { createLoadRun, recentLoadRuns } from "@/lib/loadRuns/service";
import { createLoadRunSchema } from "@/lib/validation/loadRuns";

export const dynamic = "force-dynamic";

/** GET /api/v1/load-runs: the latest load runs, newest first. */
export const GET = withAuth("loadRuns:read", async () => ({ runs: await recentLoadRuns() }));

/** POST /api/v1/load-runs: plan a run (profile or trace, rate or users, duration or count) and queue one job per shard. */
export const POST = withAuth("loadRuns:run", async ({ req, identity }) => {
  const input = await readBody(req, createLoadRunSchema);
  return Response.json({ run: await createLoadRun(identity, input) }, { status: 201 });
});
