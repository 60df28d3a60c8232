// Webhook signatures (lib/webhooks/signature.ts): X-Assay-Signature is `t=<unix s>,v1=<hex HMAC-SHA-256 of "<t>.<body>">`.
// The reference digest was computed with Python's standard library, outside Assay:
//   python3 -c "import hmac,hashlib; print(hmac.new(b'whsec_reference', b'1767225600.{\"event\":\"webhook.test\"}', hashlib.sha256).hexdigest())"
import { describe, expect, it } from "vitest";
import { newWebhookSecret, signWebhook, verifyWebhook } from "@/lib/webhooks/signature";

const secret = "whsec_reference";
const body = '{"event":"webhook.test"}';
const t = 1767225600;
const PYTHON_HMAC = "32a91dc4b8a78dc898f9f23fdb5410357bd7fd3632eabbc6e3c1f7787ca0670c";

describe("webhook signatures", () => {
  it("match Python's hmac for the same secret, timestamp and body", () => {
    expect(signWebhook(secret, body, t)).toBe(`t=${t},v1=${PYTHON_HMAC}`);
  });

  it("verify the body as sent, within the tolerance", () => {
    const header = signWebhook(secret, body, t);
    expect(verifyWebhook(secret, header, body, { now: t + 299 })).toEqual({ ok: true });
    expect(verifyWebhook(secret, ` v1=${PYTHON_HMAC} , t=${t} `, body, { now: t })).toEqual({ ok: true });
  });

  it.each([
    ["another secret", "whsec_other", signWebhook(secret, body, t), body, t, "the signature does not match"],
    ["a changed body", secret, signWebhook(secret, body, t), body.replace("test", "tost"), t, "the signature does not match"],
    ["a replay 301 s later", secret, signWebhook(secret, body, t), body, t + 301, "the signature's timestamp is too far from now"],
    ["a moved timestamp", secret, `t=${t + 1},v1=${PYTHON_HMAC}`, body, t, "the signature does not match"],
    ["no header", secret, null, body, t, "no signature header"],
    ["a short digest", secret, `t=${t},v1=abc`, body, t, "malformed signature header"],
    ["no timestamp", secret, `v1=${PYTHON_HMAC}`, body, t, "malformed signature header"],
    ["garbage", secret, "\u0000=;;==,", body, t, "malformed signature header"],
  ])("refuse %s", (_what, s, header, b, now, reason) => {
    expect(verifyWebhook(s, header, b, { now })).toEqual({ ok: false, reason });
  });

  it("make secrets of 32 random bytes that do not repeat", () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(new Set(Array.from({ length: 100 }, newWebhookSecret)).size).toBe(100);
  });
});
