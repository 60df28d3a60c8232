// ASSAY_BOOTSTRAP_ADMIN_* and ASSAY_BOOTSTRAP_API_KEY on an empty production database (a fresh database
// on the test PostgreSQL, migrated by the start-up runner).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUserForLogin } from "@/lib/db/users";
import { findApiKeyByHash } from "@/lib/db/apiKeys";
import { ensureBootstrapAdmin } from "@/lib/users/service";
import { ensureBootstrapApiKey, hashApiKey } from "@/lib/auth/apiKeys";
import { verifyPassword } from "@/lib/auth/password";
import { useFreshDatabase } from "../support/freshDatabase";

let dropDatabase: () => Promise<void>;
beforeAll(async () => {
  dropDatabase = await useFreshDatabase("assay_bootstrap");
});
afterAll(async () => {
  await dropDatabase();
});

describe("bootstrap on an empty database", () => {
  it("creates the first admin once, with a real password hash", async () => {
    expect(await ensureBootstrapAdmin("Boss@Example.com", "a-very-long-password")).toBe(true);
    const user = await findUserForLogin("boss@example.com");
    expect(user?.role).toBe("ADMIN");
    expect(user?.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(user?.passwordHash).not.toContain("a-very-long-password");
    expect(await verifyPassword("a-very-long-password", user!.passwordHash)).toBe(true);
    expect(await verifyPassword("wrong", user!.passwordHash)).toBe(false);
    // The database is no longer empty: a second start creates nobody.
    expect(await ensureBootstrapAdmin("other@example.com", "a-very-long-password")).toBe(false);
    expect(await findUserForLogin("other@example.com")).toBeNull();
  });

  it("creates the bootstrap API key with exactly the given value, stored only as a hash", async () => {
    const key = "assay_bootstrap_for_compose_0123456789";
    expect(await ensureBootstrapApiKey(key)).toBe(true);
    const stored = await findApiKeyByHash(hashApiKey(key));
    expect(stored?.role).toBe("ADMIN");
    expect(stored?.prefix).toBe(key.slice(0, 14));
    expect(JSON.stringify(stored)).not.toContain(key);
    expect(await ensureBootstrapApiKey(key)).toBe(false);
  });
});
