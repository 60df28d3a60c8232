import { withAuth } from "@/lib/auth/guard";
import { getTrace } from "@/lib/loadRuns/service";

export const dynamic = "force-dynamic";

/** GET /api/v1/traces/{id}: one trace's counts, span, rate over time and length histograms. */
export const GET = withAuth<{ id: string }>("loadRuns:read", async ({ params }) => ({ trace: await getTrace(params.id) }));
