import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// Prisma's native engines cannot be downloaded here: run everything on the JS/wasm engines
// through the pg driver adapter (DESIGN.md, "Prisma without its native engines").
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations"), seed: "tsx prisma/seed.ts" },
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL }),
});
