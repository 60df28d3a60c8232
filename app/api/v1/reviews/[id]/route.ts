import { withAuth } from "@/lib/auth/guard";
import { getReview } from "@/lib/reviews/service";

export const dynamic = "force-dynamic";

/** GET /api/v1/reviews/{id}: one deploy decision with the results and decision matrix frozen when it was requested. */
export const GET = withAuth<{ id: string }>("experiments:read", async ({ identity, params }) => ({
  review: await getReview(identity, params.id),
}));
