import { defineConfig } from "vitest/config";
import path from "node:path";

// Unit tier: pure and fast, no database, no server.
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/unit/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
  },
});
