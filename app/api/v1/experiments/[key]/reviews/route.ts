import { withAuth } from "@/lib/auth/guard";
import { readOptionalBody } from "@/lib/http/body";
import { experimentReviews, requestReview } from "@/lib/reviews/service";
import { requestReviewSchema } from "@/lib/validation/decisions";

export const dynamic = "force-dynamic";

/** GET /api/v1/experiments/{key}/reviews: the experiment's deploy decisions, newest first, its status and what it ships once decided. */
export const GET = withAuth<{ key: string }>("experiments:read", async ({ identity, params }) => experimentReviews(identity, params.key));

/** POST /api/v1/experiments/{key}/reviews: request a review of a stopped experiment, freezing its results and decision matrix. */
export const POST = withAuth<{ key: string }>("decisions:request", async ({ req, identity, params }) => {
  const input = await readOptionalBody(req, requestReviewSchema);
  return Response.json({ review: await requestReview(identity, params.key, input) }, { status: 201 });
});
