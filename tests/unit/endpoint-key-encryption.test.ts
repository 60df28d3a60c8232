// Endpoint API keys at rest (lib/endpoints/apiKeyEncryption.ts): AES-256-GCM under an HKDF-SHA-256 key. What is stored
// never holds the key, never repeats for the same key, and fails loudly (not with garbage) under another secret or when altered.
import { createDecipheriv, hkdfSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { decryptEndpointApiKey, encryptEndpointApiKey, encryptionKeyFrom } from "@/lib/endpoints/apiKeyEncryption";

const secret = "a-secret-of-at-least-32-characters-0123456789";
const key = encryptionKeyFrom(secret);
const plain = "sk-live-THE-ENDPOINT-KEY-0123456789";

describe("endpoint API key encryption", () => {
  it("round-trips, and what is stored holds neither the key nor any long piece of it", () => {
    const stored = encryptEndpointApiKey(plain, key);
    expect(stored).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    for (let i = 0; i + 6 <= plain.length; i++) expect(stored).not.toContain(plain.slice(i, i + 6));
    expect(decryptEndpointApiKey(stored, "sim", key)).toBe(plain);
  });

  it("uses a fresh IV each time: the same key is never stored the same way twice", () => {
    const a = encryptEndpointApiKey(plain, key);
    const b = encryptEndpointApiKey(plain, key);
    expect(a).not.toBe(b);
    expect(a.split(".")[1]).not.toBe(b.split(".")[1]);
  });

  it("is standard AES-256-GCM under HKDF-SHA-256(secret, salt 'assay', info 'endpoint api keys'): node:crypto reads it back by hand", () => {
    const [, iv, tag, ciphertext] = encryptEndpointApiKey(plain, key).split(".");
    const derived = Buffer.from(hkdfSync("sha256", secret, "assay", "endpoint api keys", 32));
    expect(derived.equals(key)).toBe(true);
    const decipher = createDecipheriv("aes-256-gcm", derived, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from("assay endpoint api key"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    expect(Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString()).toBe(plain);
  });

  it.each([
    ["another secret", (s: string) => s, encryptionKeyFrom("another-secret-of-at-least-32-characters-xyz")],
    ["an altered ciphertext", (s: string) => s.slice(0, -2) + (s.endsWith("AA") ? "BB" : "AA"), key],
    [
      "an altered tag",
      (s: string) => s.replace(/^(v1\.[^.]+\.)./, (_m, head: string) => head + (s.split(".")[2][0] === "A" ? "B" : "A")),
      key,
    ],
    ["not a stored key at all", () => "sk-plain-text-key", key],
  ])("refuses %s with a message that says what to do, and never the key", (_name, alter, readKey) => {
    const stored = alter(encryptEndpointApiKey(plain, key));
    let caught: unknown;
    try {
      decryptEndpointApiKey(stored, "vllm-prod", readKey);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).message).toBe(
      'The API key of endpoint "vllm-prod" cannot be decrypted: it was stored under another ASSAY_SECRET_KEY. Set the secret it was saved with, or enter the key again in Settings > Endpoints.',
    );
    expect((caught as AppError).message).not.toContain(plain);
  });
});
