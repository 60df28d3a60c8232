// An experiment's webhook (where its ramp moves and shipping are announced) and its deliveries. The signing secret is
// made here, sealed at rest, and shown once: when the webhook is made and when it is rotated. Announcements are stored
// first and sent by the worker (lib/webhooks/deliver.ts), so a slow or failing receiver never holds up a ramp's move.
import { randomUUID } from "node:crypto";
import type { Identity } from "@/lib/auth/identity";
import { actorLabel } from "@/lib/auth/identity";
import { auditExperiment } from "@/lib/db/audit";
import { db } from "@/lib/db/client";
import { sealSecret } from "@/lib/endpoints/apiKeyEncryption";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { enqueue } from "@/lib/jobs/registry";
import type { WebhookSetRequest } from "@/lib/validation/webhooks";
import { newWebhookSecret } from "./signature";

/** What the secret is sealed for (a value sealed for anything else does not open as a webhook secret). */
export const WEBHOOK_SECRET_PURPOSE = "assay webhook signing secret";

export type WebhookEvent = "ramp.advance" | "ramp.rollback" | "ramp.hold" | "ramp.resume" | "experiment.shipped" | "webhook.test";

export interface WebhookView {
  url: string;
  /** The secret's last 4 characters. */
  secretHint: string;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryView {
  id: string;
  event: string;
  status: "PENDING" | "DELIVERED" | "FAILED";
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

async function experimentOf(key: string) {
  const e = await db().experiment.findUnique({ where: { key }, select: { id: true, key: true, name: true, webhook: true } });
  if (!e) throw new AppError("NOT_FOUND", `No experiment has the key "${key}".`);
  return e;
}

const viewOf = (w: { url: string; secretHint: string; createdAt: Date; updatedAt: Date }): WebhookView => ({
  url: w.url,
  secretHint: w.secretHint,
  createdAt: w.createdAt.toISOString(),
  updatedAt: w.updatedAt.toISOString(),
});

const deliveryViewOf = (d: Prisma.WebhookDeliveryGetPayload<object>): DeliveryView => ({
  id: d.id,
  event: d.event,
  status: d.status as DeliveryView["status"],
  attempts: d.attempts,
  responseStatus: d.responseStatus,
  lastError: d.lastError,
  createdAt: d.createdAt.toISOString(),
  deliveredAt: d.deliveredAt?.toISOString() ?? null,
});

/** The webhook (null when none is set) and its latest 20 deliveries, newest first. */
export async function getWebhook(key: string): Promise<{ webhook: WebhookView | null; deliveries: DeliveryView[] }> {
  const e = await experimentOf(key);
  const deliveries = await db().webhookDelivery.findMany({ where: { experimentId: e.id }, orderBy: { createdAt: "desc" }, take: 20 });
  return { webhook: e.webhook ? viewOf(e.webhook) : null, deliveries: deliveries.map(deliveryViewOf) };
}

/** Only the host goes to the audit trail: a receiver's path often holds a token of its own (chat incoming webhooks do). */
const hostOf = (url: string) => new URL(url).host;

/**
 * Sets the webhook's URL. A new webhook, or `rotateSecret`, makes a signing secret, returned here and never again; otherwise
 * the secret is kept, so receivers need no change when only the URL moves.
 */
export async function setWebhook(
  identity: Identity,
  key: string,
  input: WebhookSetRequest,
): Promise<{ webhook: WebhookView; secret: string | null }> {
  const e = await experimentOf(key);
  const secret = !e.webhook || input.rotateSecret ? newWebhookSecret() : null;
  const sealed = secret ? { secretSealed: sealSecret(secret, WEBHOOK_SECRET_PURPOSE), secretHint: secret.slice(-4) } : {};
  const saved = await db().$transaction(async (tx) => {
    const w = e.webhook
      ? await tx.experimentWebhook.update({ where: { experimentId: e.id }, data: { url: input.url, ...sealed } })
      : await tx.experimentWebhook.create({
          data: {
            experimentId: e.id,
            url: input.url,
            createdById: identity.userId,
            ...(sealed as { secretSealed: string; secretHint: string }),
          },
        });
    await auditExperiment(identity, e.id, "webhook.set", { host: hostOf(input.url), newSecret: Boolean(secret), created: !e.webhook }, tx);
    return w;
  });
  return { webhook: viewOf(saved), secret };
}

/** Removes the webhook (its delivery history stays); nothing is announced from then on. */
export async function removeWebhook(identity: Identity, key: string): Promise<void> {
  const e = await experimentOf(key);
  if (!e.webhook) throw new AppError("NOT_FOUND", `"${key}" has no webhook to remove.`);
  await db().$transaction(async (tx) => {
    await tx.experimentWebhook.delete({ where: { experimentId: e.id } });
    await auditExperiment(identity, e.id, "webhook.removed", { host: hostOf(e.webhook!.url) }, tx);
  });
}

/** Stores one announcement and queues its delivery; null when the experiment has no webhook. */
async function queueDelivery(
  experiment: { id: string; key: string; name: string },
  event: WebhookEvent,
  data: Record<string, unknown>,
): Promise<DeliveryView> {
  const id = randomUUID();
  const payload = { id, event, createdAt: new Date().toISOString(), experiment: { key: experiment.key, name: experiment.name }, data };
  const d = await db().webhookDelivery.create({
    data: { id, experimentId: experiment.id, event, payload: payload as Prisma.InputJsonValue },
  });
  await enqueue("webhookDelivery", { deliveryId: id });
  return deliveryViewOf(d);
}

/** Sends a test announcement (event webhook.test) now, so a team can see its receiver answer. */
export async function sendTestWebhook(identity: Identity, key: string): Promise<DeliveryView> {
  const e = await experimentOf(key);
  if (!e.webhook) throw new AppError("CONFLICT", `"${key}" has no webhook: set its URL first.`);
  return queueDelivery(e, "webhook.test", { sentBy: actorLabel(identity) });
}

/**
 * Announces an event to the experiment's webhook, when it has one. Never throws: the move it announces has happened
 * already, and a failure to queue is logged (the audit trail holds the move either way).
 */
export async function announce(experimentId: string, event: WebhookEvent, data: Record<string, unknown>): Promise<void> {
  try {
    const e = await db().experiment.findUnique({
      where: { id: experimentId },
      select: { id: true, key: true, name: true, webhook: { select: { id: true } } },
    });
    if (e?.webhook) await queueDelivery(e, event, data);
  } catch (err) {
    console.error(`[webhooks] could not queue ${event} for experiment ${experimentId}:`, err instanceof Error ? err.message : err);
  }
}
