// How a webhook's payload is signed, and how a receiver checks it. The header reads `t=<unix seconds>,v1=<hex>`, where
// the hex is HMAC-SHA-256 under the webhook's secret of `<t>.<the exact request body>`: the timestamp inside the signed
// text lets a receiver refuse a replayed old request (5 minutes' tolerance by default).
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-assay-signature";
export const EVENT_HEADER = "x-assay-event";
export const DELIVERY_HEADER = "x-assay-delivery";

/** A fresh signing secret: `whsec_` and 32 random bytes, base64url. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

const mac = (secret: string, t: number, body: string) => createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");

/** The signature header for a body, at time `t` (unix seconds). */
export function signWebhook(secret: string, body: string, t = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${mac(secret, t, body)}`;
}

/** Checks a signature header against the body as received: ok, or why not (malformed, too old, or not signed with this secret). */
export function verifyWebhook(
  secret: string,
  header: string | null | undefined,
  body: string,
  opts: { toleranceSeconds?: number; now?: number } = {},
): { ok: true } | { ok: false; reason: string } {
  if (!header) return { ok: false, reason: "no signature header" };
  const parts = new Map(
    header.split(",").map((p) => {
      const i = p.indexOf("=");
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get("t"));
  const v1 = parts.get("v1") ?? "";
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1)) return { ok: false, reason: "malformed signature header" };
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (opts.toleranceSeconds ?? 300)) return { ok: false, reason: "the signature's timestamp is too far from now" };
  const expected = Buffer.from(mac(secret, t, body), "hex");
  return timingSafeEqual(expected, Buffer.from(v1, "hex")) ? { ok: true } : { ok: false, reason: "the signature does not match" };
}
