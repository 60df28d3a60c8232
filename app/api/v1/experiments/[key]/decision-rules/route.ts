import { withAuth } from "@/lib/auth/guard";
import { readBody } from "@/lib/http/body";
import { updateDecisionRules } from "@/lib/reviews/service";
import { decisionRulesSchema } from "@/lib/validation/decisions";

export const dynamic = "force-dynamic";

/** PUT /api/v1/experiments/{key}/decision-rules: {preset, costRatioLimit}, the rules the decision matrix applies. */
export const PUT = withAuth<{ key: string }>("experiments:edit", async ({ req, identity, params }) => {
  const rules = await readBody(req, decisionRulesSchema);
  return updateDecisionRules(identity, params.key, rules);
});
