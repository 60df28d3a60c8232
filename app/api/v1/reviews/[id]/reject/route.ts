import { withAuth } from "@/lib/auth/guard";
import { readBody } from "@/lib/http/body";
import { rejectReview } from "@/lib/reviews/service";
import { reviewVerdictSchema } from "@/lib/validation/decisions";

export const dynamic = "force-dynamic";

/** POST /api/v1/reviews/{id}/reject: {comment}; the experiment stays stopped and the PM may request a review again. */
export const POST = withAuth<{ id: string }>("decisions:review", async ({ req, identity, params }) => {
  const input = await readBody(req, reviewVerdictSchema);
  return { review: await rejectReview(identity, params.id, input) };
});
