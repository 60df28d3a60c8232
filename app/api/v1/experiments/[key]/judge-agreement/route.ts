import { withAuth } from "@/lib/auth/guard";
import { judgeAgreement } from "@/lib/judge/agreement";
import { queryObject } from "@/lib/validation/interactions";
import { validationError } from "@/lib/validation/issues";
import { judgeAgreementQuerySchema } from "@/lib/validation/judgeAgreement";

export const dynamic = "force-dynamic";

/** GET /api/v1/experiments/{key}/judge-agreement?criterion=&rubric=&version=: the judge against the users' ratings, overall and per variant. */
export const GET = withAuth<{ key: string }>("interactions:read", async ({ req, params }) => {
  const parsed = judgeAgreementQuerySchema.safeParse(queryObject(new URL(req.url).searchParams));
  if (!parsed.success) throw validationError(parsed.error);
  return judgeAgreement(params.key, parsed.data);
});
