import { withAuth } from "@/lib/auth/guard";
import { cancelLoadRun } from "@/lib/loadRuns/service";

export const dynamic = "force-dynamic";

/** POST /api/v1/load-runs/{id}/cancel: stop sending; requests in flight are recorded as in flight. */
export const POST = withAuth<{ id: string }>("loadRuns:run", async ({ identity, params }) => ({
  run: await cancelLoadRun(identity, params.id),
}));
