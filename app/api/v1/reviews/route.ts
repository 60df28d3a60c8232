import { withAuth } from "@/lib/auth/guard";
import { listReviews } from "@/lib/reviews/service";
import { listReviewsQuerySchema } from "@/lib/validation/decisions";
import { validationError } from "@/lib/validation/issues";

export const dynamic = "force-dynamic";

/** GET /api/v1/reviews?waiting=me&status=: deploy decisions, pending first; waiting=me keeps those the caller may decide. */
export const GET = withAuth("experiments:read", async ({ req, identity }) => {
  const parsed = listReviewsQuerySchema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw validationError(parsed.error);
  return { reviews: await listReviews(identity, parsed.data) };
});
