// The demo's load tests: varcas's own prompts.json (the 1,163 prompts of a real chat_medium run, shipped beside this file)
// kept as a trace and replayed twice against the built-in simulator, as "the current build" and as "a faster build"
// (shorter time to first token and between tokens), so the Load tests section opens on two finished runs of the same
// prompts and their comparison. The first 400 prompts, ten times faster than recorded (about 190 requests/s, 2 s each).
import fs from "node:fs";
import path from "node:path";
import type { Identity } from "@/lib/auth/identity";
import { runHarness } from "@/lib/harness/harness";
import { readTraceFromString } from "@/lib/harness/traces";
import type { TraceRequest } from "@/lib/harness/types";
import { importResults, uploadTrace } from "@/lib/loadRuns/service";
import { startSimulator } from "@/lib/simulator";

export const DEMO_TRACE_NAME = "varcas chat_medium prompts";
export const DEMO_RUN_NAMES = { baseline: "Replay on the current build", optimized: "Replay on the faster build" } as const;

const PROMPTS_FILE = path.join(process.cwd(), "lib", "demo", "fixtures", "varcas-prompts.json");

/** Seeds the trace and the two runs; returns the runs' ids. */
export async function seedDemoLoadRuns(engineer: Identity): Promise<{ baseline: string; optimized: string }> {
  const text = fs.readFileSync(PROMPTS_FILE, "utf8");
  await uploadTrace(engineer, { name: DEMO_TRACE_NAME, text });
  const reading = await readTraceFromString(text, { name: DEMO_TRACE_NAME });
  const requests: TraceRequest[] = [];
  for await (const r of reading.requests) if (requests.length < 400) requests.push(r);
  const ids: Record<string, string> = {};
  const builds = [
    { key: "baseline", ttftMs: 60, itlMs: 12 },
    { key: "optimized", ttftMs: 35, itlMs: 8 },
  ] as const;
  for (const b of builds) {
    const sim = await startSimulator({ port: 0, ttftMs: b.ttftMs, itlMs: b.itlMs, jitter: 0.2, seed: 7, maxConcurrency: 10_000 });
    try {
      const { file } = await runHarness({
        url: sim.url,
        apiKey: null,
        model: "assay-sim-1",
        endpoint: "completions",
        trace: { requests, hasTimestamps: true, format: reading.format, name: DEMO_TRACE_NAME },
        timeScale: 10,
        seed: 42,
        overrides: { maxTokens: 48 },
        timeoutMs: 30_000,
        warmupS: 0,
        cooldownS: 0,
        drainS: 30,
      });
      const run = await importResults(engineer, { name: DEMO_RUN_NAMES[b.key], text: JSON.stringify(file), source: "run" });
      ids[b.key] = run.id;
    } finally {
      await sim.close();
    }
  }
  return { baseline: ids.baseline, optimized: ids.optimized };
}
