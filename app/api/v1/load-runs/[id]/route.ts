import { withAuth } from "@/lib/auth/guard";
import { getLoadRun } from "@/lib/loadRuns/service";

export const dynamic = "force-dynamic";

/** GET /api/v1/load-runs/{id}: status, live progress per shard, and (once ended) the results and charts. */
export const GET = withAuth<{ id: string }>("loadRuns:read", async ({ params }) => ({ run: await getLoadRun(params.id) }));
