// An experiment's webhook: where its ramp moves and shipping are announced (lib/webhooks). One schema for the page and the API.
import { z } from "zod";

/** The receiver: http(s) only, no credentials inside (the payload is signed instead), at most 2000 characters. */
export const webhookUrlSchema = z
  .url({ error: "url must be an http(s) URL, e.g. https://hooks.example.com/assay", protocol: /^https?$/ })
  .max(2000, "url must be at most 2000 characters")
  .refine((u) => {
    // Runs after a failed URL check too: a value that is no URL was refused already.
    if (!URL.canParse(u)) return true;
    const url = new URL(u);
    return url.username === "" && url.password === "";
  }, "url must not hold a user name or password: check the X-Assay-Signature header with the signing secret instead");

export const webhookSetSchema = z.strictObject({
  url: webhookUrlSchema,
  /** Make a new signing secret (the old one stops working at once). A new webhook always gets one. */
  rotateSecret: z.boolean({ error: "rotateSecret must be true or false" }).optional(),
});
export type WebhookSetRequest = z.infer<typeof webhookSetSchema>;

/** The test announcement carries nothing. */
export const webhookTestSchema = z.strictObject({});

/** The delivery job: one stored announcement. */
export const webhookDeliveryPayload = z.object({ deliveryId: z.string().min(1).max(100) });
