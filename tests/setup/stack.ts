// Global setup of the integration and end-to-end tiers: a real PostgreSQL (embedded, in a temporary
// folder), migrations, the demo seed, a production build of the app, the web server on a free port
// and one worker — the same startStack that `npm start` runs. Never a server that happens to be running.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { env, setEnv } from "@/lib/env";
import { startStack, type RunningStack } from "@/lib/runtime/stack";
import { freePort } from "../support/ports";

export const TEST_API_KEY = "assay_test_bootstrap_key_0123456789abcdef";

let stack: RunningStack | undefined;
let dir: string | undefined;

export async function setup(project: TestProject) {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-test-"));
  fs.chmodSync(dir, 0o755);
  const logFile = path.join(dir, "stack.log");
  const [pgPort, webPort] = [await freePort(), await freePort()];
  const started = Date.now();
  // The automatic ramp check looks at a due ramp every 2 s (at each 15 s heartbeat), so its tests need not wait minutes.
  setEnv({ ASSAY_RAMP_CHECK_SECONDS: "2", ASSAY_ALLOCATION_SECONDS: "2" });
  stack = await startStack({
    root: process.cwd(),
    dataDir: dir,
    // Run as root from a checkout its postgres user cannot enter, PostgreSQL's programs are copied there (see lib/runtime).
    sharedDir: env().ASSAY_SHARED_DIR,
    pgPort,
    webPort,
    host: "127.0.0.1",
    // No NEXTAUTH_URL, as on a newcomer's machine: redirects must follow the host each request came to.
    demo: true,
    workers: 1,
    bootstrapApiKey: TEST_API_KEY,
    build: "if-needed",
    log: (line) => process.stdout.write(`[stack] ${line}\n`),
    childOutput: { file: logFile },
  });
  const url = `http://127.0.0.1:${webPort}`;
  process.stdout.write(`[stack] ready at ${url} in ${((Date.now() - started) / 1000).toFixed(1)} s (log: ${logFile})\n`);
  project.provide("baseUrl", url);
  project.provide("databaseUrl", stack.databaseUrl);
  project.provide("apiKey", TEST_API_KEY);
  project.provide("stackLog", logFile);
}

export async function teardown() {
  await stack?.stop();
  if (dir && !process.env.ASSAY_KEEP_TEST_DIR) fs.rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    databaseUrl: string;
    apiKey: string;
    stackLog: string;
  }
}
