import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pg from "pg";
import { describe, expect, it, inject } from "vitest";
import { listMigrations } from "@/lib/runtime/migrate";

describe("migrations", () => {
  it("the start-up runner records migrations exactly as `prisma migrate deploy` does", async () => {
    const databaseUrl = inject("databaseUrl");
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const rows = (await client.query(`SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`))
      .rows;
    await client.end();
    const files = listMigrations(process.cwd());
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    expect(rows.map((r) => r.checksum)).toEqual(files.map((f) => f.checksum));
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    // Prisma's own tool finds nothing left to do (and no checksum mismatch) on the database the runner migrated.
    const { stdout } = await promisify(execFile)(process.execPath, ["prisma/run.mjs", "migrate", "deploy"], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    expect(stdout).toContain("No pending migrations to apply.");
  });
});
