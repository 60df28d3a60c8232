import { withAuth } from "@/lib/auth/guard";
import { liveDecisionMatrix } from "@/lib/reviews/service";

export const dynamic = "force-dynamic";

/** GET /api/v1/experiments/{key}/decision-matrix: the decision matrix of the current results under the experiment's decision rules. */
export const GET = withAuth<{ key: string }>("interactions:read", async ({ params }) => liveDecisionMatrix(params.key));
