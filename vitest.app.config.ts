import { defineConfig } from "vitest/config";
import path from "node:path";

// Integration and end-to-end tiers: one real stack (tests/setup/stack.ts) serves both.
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/integration/**/*.test.ts", "tests/e2e/**/*.test.ts"],
    globalSetup: ["tests/setup/stack.ts"],
    setupFiles: ["tests/setup/policyViolations.ts"],
    environment: "node",
    testTimeout: 60_000,
    // Polls wait for a real server and browser; the default 1 s fails on a machine busy with other builds.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 120_000,
    maxWorkers: 2,
    // Undici keep-alive timers from the set-up's health polling outlive the stack; do not wait 10 s for them.
    teardownTimeout: 3_000,
  },
});
