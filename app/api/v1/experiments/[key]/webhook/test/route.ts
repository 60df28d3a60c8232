import { withAuth } from "@/lib/auth/guard";
import { readBody } from "@/lib/http/body";
import { webhookTestSchema } from "@/lib/validation/webhooks";
import { sendTestWebhook } from "@/lib/webhooks/service";

export const dynamic = "force-dynamic";

/** POST /api/v1/experiments/{key}/webhook/test {}: send a signed webhook.test announcement now; {delivery} to follow with GET. */
export const POST = withAuth<{ key: string }>("experiments:control", async ({ req, identity, params }) => {
  await readBody(req, webhookTestSchema);
  return { delivery: await sendTestWebhook(identity, params.key) };
});
