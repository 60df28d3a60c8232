import { withAuth } from "@/lib/auth/guard";
import { readBody } from "@/lib/http/body";
import { comparePairwise } from "@/lib/judge/pairwiseService";
import { pairwiseRequestSchema } from "@/lib/validation/pairwise";

export const dynamic = "force-dynamic";
// Up to 200 pairs, two judge calls each.
export const maxDuration = 300;

/** POST /api/v1/experiments/{key}/pairwise: a variant's answers against another's on the same inputs, judged in both orders. */
export const POST = withAuth<{ key: string }>("judge:run", async ({ req, identity, params }) => {
  const input = await readBody(req, pairwiseRequestSchema);
  return Response.json({ comparison: await comparePairwise(identity, params.key, input) });
});
