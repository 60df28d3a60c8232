import { withAuth } from "@/lib/auth/guard";
import { readBody } from "@/lib/http/body";
import { approveReview } from "@/lib/reviews/service";
import { reviewVerdictSchema } from "@/lib/validation/decisions";

export const dynamic = "force-dynamic";

/** POST /api/v1/reviews/{id}/approve: {comment}; the experiment becomes DECIDED and ships the proposed variant. */
export const POST = withAuth<{ id: string }>("decisions:review", async ({ req, identity, params }) => {
  const input = await readBody(req, reviewVerdictSchema);
  return { review: await approveReview(identity, params.id, input) };
});
