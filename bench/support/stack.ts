// A stack of the benchmarks' own: an embedded PostgreSQL in a temporary folder, migrations, the built web app (front door
// + data plane) on free ports, no workers unless asked, no demo, an admin bootstrap key. What `npm start` runs, minus the demo.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { median } from "simple-statistics";
import { env } from "@/lib/env";
import { startStack, type RunningStack } from "@/lib/runtime/stack";

export const BENCH_KEY = "assay_bench_bootstrap_key_0123456789abcdef";

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The median time of `runs` calls of `fn` after one warm-up call, in ms. */
export async function timed(fn: () => Promise<unknown>, runs: number): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

export async function benchStack(
  name: string,
  opts: { workers?: number } = {},
): Promise<{ stack: RunningStack; url: string; stop: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `assay-bench-${name}-`));
  fs.chmodSync(dir, 0o755);
  const webPort = await freePort();
  const stack = await startStack({
    root: process.cwd(),
    dataDir: dir,
    sharedDir: env().ASSAY_SHARED_DIR,
    pgPort: await freePort(),
    webPort,
    host: "127.0.0.1",
    demo: false,
    workers: opts.workers ?? 0,
    bootstrapApiKey: BENCH_KEY,
    build: "if-needed",
    log: (line) => process.stderr.write(`[stack] ${line}\n`),
    childOutput: { file: path.join(dir, "stack.log") },
  });
  return {
    stack,
    url: `http://127.0.0.1:${webPort}`,
    stop: async () => {
      await stack.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** POSTs JSON with the bench key; throws with the answer's text unless it is 2xx. */
export async function postJson(url: string, body: unknown, key = BENCH_KEY): Promise<unknown> {
  const res = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${url}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/** A two-variant experiment, started. */
export async function runningExperiment(url: string, key: string, weights: [number, number] = [50, 50]): Promise<void> {
  await postJson(`${url}/api/v1/experiments`, {
    key,
    name: `Bench ${key}`,
    variableUnderTest: "SYSTEM_PROMPT",
    hypothesis: { change: "the system prompt", expectation: "helpfulness to rise by 5%", reason: "a persona focuses answers" },
    variants: [
      {
        key: "A",
        name: "Control",
        isControl: true,
        weight: weights[0],
        config: { model: "llama-4-scout", systemPrompt: "You help.", pricePer1MInput: 0.2, pricePer1MOutput: 0.6 },
      },
      {
        key: "B",
        name: "Persona",
        weight: weights[1],
        config: { model: "llama-4-scout", systemPrompt: "You are Acme's expert.", pricePer1MInput: 0.2, pricePer1MOutput: 0.6 },
      },
    ],
    metrics: [{ name: "helpfulness", role: "GOAL", kind: "MEAN", direction: "INCREASE", mde: 0.05 }],
  });
  await postJson(`${url}/api/v1/experiments/${key}/start`, {});
}

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} cores ${cpus[0]?.model.trim() ?? "?"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`;
}
