import { withAuth } from "@/lib/auth/guard";
import { readBody } from "@/lib/http/body";
import { simulateDesignAa } from "@/lib/aa/service";
import { designAaRequestSchema } from "@/lib/validation/aa";

export const dynamic = "force-dynamic";

/** POST /api/v1/experiments/{key}/aa: simulated A/A tests (and power against a planted effect) of the experiment's plan. */
export const POST = withAuth<{ key: string }>("experiments:read", async ({ req, params }) => {
  const request = await readBody(req, designAaRequestSchema);
  return simulateDesignAa(params.key, request);
});
