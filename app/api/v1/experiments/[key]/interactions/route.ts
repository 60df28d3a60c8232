import { withAuth } from "@/lib/auth/guard";
import { listInteractions } from "@/lib/interactions/explorer";
import { listInteractionsQuerySchema, queryObject } from "@/lib/validation/interactions";
import { validationError } from "@/lib/validation/issues";

export const dynamic = "force-dynamic";

/** GET /api/v1/experiments/{key}/interactions?variant=&from=&to=&safety=&feedbackMin=&feedbackMax=&score=&scoreMin=&scoreMax=&q=&status=&cursor=&limit=: a page, newest first. */
export const GET = withAuth<{ key: string }>("interactions:read", async ({ req, params }) => {
  const parsed = listInteractionsQuerySchema.safeParse(queryObject(new URL(req.url).searchParams));
  if (!parsed.success) throw validationError(parsed.error);
  return listInteractions(params.key, parsed.data);
});
