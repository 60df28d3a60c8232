import pg from "pg";
import { inject } from "vitest";
import { setEnv } from "@/lib/env";
import { disconnectDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/runtime/migrate";

/**
 * A new, migrated, empty database on the test PostgreSQL, made this test file's DATABASE_URL (each test file runs
 * in its own worker), for tests that need exact counts no other test can disturb. Returns a function that drops it.
 */
export async function useFreshDatabase(prefix: string): Promise<() => Promise<void>> {
  const name = `${prefix}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: inject("databaseUrl") });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(inject("databaseUrl"));
  url.pathname = `/${name}`;
  await applyMigrations(url.toString());
  setEnv({ DATABASE_URL: url.toString() });
  return async () => {
    await disconnectDb();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
}
