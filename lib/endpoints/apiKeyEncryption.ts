// Secrets at rest (endpoint API keys, webhook signing secrets): AES-256-GCM under a key derived (HKDF-SHA-256) from ASSAY_SECRET_KEY, or from the secret
// generated once into ASSAY_DATA_DIR/secret-key when that is unset. A stored key reads `v1.<iv>.<tag>.<ciphertext>`
// (base64url); the tag makes a changed or foreign value fail to decrypt instead of yielding garbage.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors";
import { dataDir, env } from "@/lib/env";
import { generatedSecret } from "@/lib/runtime/generatedSecrets";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Binds every ciphertext to its purpose: a value encrypted for anything else under the same secret does not decrypt here.
const ENDPOINT_KEY_PURPOSE = "assay endpoint api key";

const derived = new Map<string, Buffer>();

/** The 256-bit key for a secret: HKDF-SHA-256 (RFC 5869) with a fixed salt and info, so any 32+ character secret will do. */
export function encryptionKeyFrom(secret: string): Buffer {
  let key = derived.get(secret);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", secret, "assay", "endpoint api keys", 32));
    derived.set(secret, key);
  }
  return key;
}

let generated: { dir: string; secret: string } | undefined;

/** The key of this process: from ASSAY_SECRET_KEY, else from the generated secret (read once per data folder). */
function currentKey(): Buffer {
  const configured = env().ASSAY_SECRET_KEY;
  if (configured) return encryptionKeyFrom(configured);
  const dir = dataDir();
  if (generated?.dir !== dir) generated = { dir, secret: generatedSecret(dir, "secret-key") };
  return encryptionKeyFrom(generated.secret);
}

/**
 * Seals a secret for storage under the process's key (a fresh random IV each time, so equal secrets never look equal).
 * `purpose` is bound in as associated data: a value sealed for one purpose never opens for another.
 */
export function sealSecret(plain: string, purpose: string, key: Buffer = currentKey()): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(purpose));
  const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
}

/** The secret a sealed value holds, or null when it cannot be opened (another key, another purpose, an altered value). */
export function openSecret(stored: string, purpose: string, key: Buffer = currentKey()): string | null {
  const [version, iv, tag, ciphertext, ...rest] = stored.split(".");
  try {
    if (version !== VERSION || rest.length > 0 || !iv || !tag || ciphertext === undefined) return null;
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

/** Encrypts an endpoint's API key for storage. */
export function encryptEndpointApiKey(plain: string, key: Buffer = currentKey()): string {
  return sealSecret(plain, ENDPOINT_KEY_PURPOSE, key);
}

/** The API key a stored value holds; an error that says what to do when it cannot be read (another ASSAY_SECRET_KEY, a changed value). */
export function decryptEndpointApiKey(stored: string, endpointName: string, key: Buffer = currentKey()): string {
  const plain = openSecret(stored, ENDPOINT_KEY_PURPOSE, key);
  if (plain === null)
    throw new AppError(
      "CONFLICT",
      `The API key of endpoint "${endpointName}" cannot be decrypted: it was stored under another ASSAY_SECRET_KEY. Set the secret it was saved with, or enter the key again in Settings > Endpoints.`,
    );
  return plain;
}
