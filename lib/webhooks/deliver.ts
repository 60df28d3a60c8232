// The worker's side of a webhook: one delivery is one signed POST of the stored payload. A 2xx answer delivers it; any
// other answer, a timeout or a refused connection is retried by the job (5, 10, 20, 40, 80 s apart), and the delivery is
// FAILED when no attempt is left. Redirects are not followed (the signature is for the URL the team set).
import { db } from "@/lib/db/client";
import { openSecret } from "@/lib/endpoints/apiKeyEncryption";
import { PermanentJobError } from "@/lib/jobs/registry";
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhook } from "./signature";
import { WEBHOOK_SECRET_PURPOSE } from "./service";

/** Attempts per delivery: the first and the job's retries (lib/jobs/registry.ts webhookDelivery). */
export const WEBHOOK_ATTEMPTS = 6;
const TIMEOUT_MS = 10_000;

async function fail(id: string, reason: string, attempts?: number) {
  await db().webhookDelivery.updateMany({
    where: { id, status: "PENDING" },
    data: { status: "FAILED", lastError: reason, ...(attempts ? { attempts } : {}) },
  });
}

export async function deliverWebhook(deliveryId: string, attempt: number): Promise<void> {
  const d = await db().webhookDelivery.findUnique({ where: { id: deliveryId }, include: { experiment: { select: { webhook: true } } } });
  if (!d || d.status !== "PENDING") return;
  const hook = d.experiment.webhook;
  if (!hook) return fail(d.id, "the webhook was removed before this was sent");
  const secret = openSecret(hook.secretSealed, WEBHOOK_SECRET_PURPOSE);
  if (secret === null) {
    await fail(d.id, "the signing secret cannot be read (ASSAY_SECRET_KEY changed): rotate the secret on the experiment's page");
    throw new PermanentJobError("webhook secret cannot be unsealed");
  }
  const body = JSON.stringify(d.payload);
  let status: number | null = null;
  let error: string | null = null;
  try {
    const res = await fetch(hook.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: {
        "content-type": "application/json",
        "user-agent": "Assay-Webhook/1",
        [EVENT_HEADER]: d.event,
        [DELIVERY_HEADER]: d.id,
        [SIGNATURE_HEADER]: signWebhook(secret, body),
      },
      body,
    });
    status = res.status;
    await res.body?.cancel().catch(() => undefined);
    if (status < 200 || status > 299) error = `the receiver answered ${status}`;
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    error = e.name === "TimeoutError" ? `no answer within ${TIMEOUT_MS / 1000} s` : `could not connect (${e.cause?.code ?? e.message})`;
  }
  if (!error) {
    await db().webhookDelivery.update({
      where: { id: d.id },
      data: { status: "DELIVERED", attempts: attempt, responseStatus: status, lastError: null, deliveredAt: new Date() },
    });
    return;
  }
  if (attempt >= WEBHOOK_ATTEMPTS) return fail(d.id, error, attempt).then(() => undefined);
  await db().webhookDelivery.update({ where: { id: d.id }, data: { attempts: attempt, responseStatus: status, lastError: error } });
  throw new Error(`webhook delivery ${d.id}: ${error} (attempt ${attempt} of ${WEBHOOK_ATTEMPTS})`);
}

/** A delivery whose worker died with no retry left. */
export const deliveryAbandoned = (deliveryId: string, reason: string) => fail(deliveryId, `not sent: ${reason}`);
