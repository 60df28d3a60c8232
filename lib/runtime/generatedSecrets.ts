// Secrets Assay makes for itself when they are not configured: kept in the data folder, one file each, mode 0600.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** The files a generated secret lives in: the session cookies' signing secret, and the secret endpoint API keys are encrypted under. */
export type GeneratedSecretFile = "session-secret" | "secret-key";

/** The secret kept in `dataDir/file`, generated (32 random bytes, base64url) on first use; two processes racing agree on one. */
export function generatedSecret(dataDir: string, file: GeneratedSecretFile): string {
  const target = path.join(dataDir, file);
  if (fs.existsSync(target)) return fs.readFileSync(target, "utf8").trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  try {
    fs.writeFileSync(target, secret, { mode: 0o600, flag: "wx" });
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return fs.readFileSync(target, "utf8").trim();
    throw err;
  }
}
