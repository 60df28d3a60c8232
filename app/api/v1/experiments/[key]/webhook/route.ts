import { withAuth } from "@/lib/auth/guard";
import { readBody } from "@/lib/http/body";
import { webhookSetSchema } from "@/lib/validation/webhooks";
import { getWebhook, removeWebhook, setWebhook } from "@/lib/webhooks/service";

export const dynamic = "force-dynamic";

/** GET /api/v1/experiments/{key}/webhook: the webhook (its URL and the secret's last 4 characters; null when none) and its latest deliveries. */
export const GET = withAuth<{ key: string }>("experiments:control", async ({ params }) => getWebhook(params.key));

/** PUT /api/v1/experiments/{key}/webhook {url, rotateSecret?}: set it; a new webhook or a rotation returns the signing secret, once. */
export const PUT = withAuth<{ key: string }>("experiments:control", async ({ req, identity, params }) => {
  const input = await readBody(req, webhookSetSchema);
  return setWebhook(identity, params.key, input);
});

/** DELETE /api/v1/experiments/{key}/webhook: stop announcing (the delivery history stays). */
export const DELETE = withAuth<{ key: string }>("experiments:control", async ({ identity, params }) => {
  await removeWebhook(identity, params.key);
  return { removed: true };
});
