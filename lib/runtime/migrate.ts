import { spawn } from "node:child_process";
import path from "node:path";

/** Applies pending migrations with `prisma migrate deploy` (wasm engine via prisma/run.mjs). */
export function applyMigrations(databaseUrl: string, root = process.cwd()): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "prisma", "run.mjs"), "migrate", "deploy"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`Database migration failed:\n${output.trim()}`))));
  });
}
