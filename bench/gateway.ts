// bench:gateway — what Assay's gateway adds to a streamed chat completion. Against Assay's LLM simulator with no
// artificial delay (time to first token 0, between tokens 0), the same requests go straight to the simulator and through
// the gateway (POST /api/v1/gateway/{key}/chat/completions: API key from memory, assignment, the variant's settings,
// forwarding with the endpoint's decrypted key, the interaction queued for the log), interleaved one for one at a
// paced, open-loop 200 requests/s each for 20 s (one every 2.5 ms, alternating), so both see the same machine at the
// same moments.
//
// Each request is timed from its send to the last byte of the stream (and to its first byte); the figures are the
// percentiles of both, and the added latency: gateway minus direct, at p50 and p99. The stack is the one `npm start`
// runs (lib/runtime/stack.ts: embedded PostgreSQL, migrations, the production build, the front door with the data plane),
// in a temporary folder; the simulator runs as its own process (`assay simulate`).
//
// Usage: npm run bench:gateway [-- --rate 200] [-- --seconds 20] [-- --tokens 32] [-- --users 200]
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { env } from "@/lib/env";
import { startStack } from "@/lib/runtime/stack";
import { freePort } from "./support/stack";

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`--${name} must be a positive number`);
    process.exit(2);
  }
  return value;
}

const RATE = flag("rate", 200);
const SECONDS = flag("seconds", 20);
const TOKENS = flag("tokens", 32);
const USERS = flag("users", 200);
const WARMUP_SECONDS = 3;
const WINDOW_SECONDS = 5;
const MODEL = "bench-model";
const PROMPT = "You are a helpful customer support agent.";
const API_KEY = `assay_bench_${Math.random().toString(36).slice(2)}_0123456789abcdef`;
const ENDPOINT_KEY = `sk-bench-${Math.random().toString(36).slice(2)}`;
const EXPERIMENT = "bench-gateway";

/** numpy's default (linear interpolation) percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

interface Timing {
  firstByteMs: number;
  totalMs: number;
  ok: boolean;
  /** Which WINDOW_SECONDS slice of the run it was sent in. */
  window?: number;
}

/** One streamed request: resolves when the last byte has arrived (or it failed). */
function timedRequest(url: URL, body: string, headers: Record<string, string>): Promise<Timing> {
  return new Promise((resolve) => {
    const sent = performance.now();
    let firstByteMs = Number.NaN;
    const req = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => {
          if (Number.isNaN(firstByteMs)) firstByteMs = performance.now() - sent;
          text += chunk.toString();
        });
        res.on("end", () =>
          resolve({ firstByteMs, totalMs: performance.now() - sent, ok: res.statusCode === 200 && text.endsWith("data: [DONE]\n\n") }),
        );
        res.on("error", () => resolve({ firstByteMs, totalMs: performance.now() - sent, ok: false }));
      },
    );
    req.on("error", () => resolve({ firstByteMs, totalMs: performance.now() - sent, ok: false }));
    req.end(body);
  });
}

async function api(base: string, pathname: string, body?: unknown) {
  const res = await fetch(`${base}${pathname}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${pathname} answered ${res.status}: ${text}`);
  return JSON.parse(text);
}

async function waitFor(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error("the simulator exited before it answered");
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

/**
 * Sends `count` requests each way at `rate` a second, alternating: direct, gateway, direct, … one every 1 / (2 × rate)
 * seconds. Sent together, the two of a pair would meet at the simulator, and the gateway's (one hop later) would always
 * wait behind the direct one; half an interval apart, both meet the same conditions without meeting each other.
 */
async function pacedAlternating(
  rate: number,
  count: number,
  direct: () => Promise<Timing>,
  gateway: () => Promise<Timing>,
): Promise<{ direct: Timing[]; gateway: Timing[]; lateMs: number[] }> {
  const out = { direct: [] as Timing[], gateway: [] as Timing[], lateMs: [] as number[] };
  const pending: Promise<void>[] = [];
  const interval = 1000 / (2 * rate);
  const start = performance.now() + 20;
  for (let i = 0; i < 2 * count; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    // No spinning for the last fraction of a millisecond: the spin would take CPU from what is measured. Each request is
    // timed from when it was really sent; how late that was is reported.
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    out.lateMs.push(performance.now() - due);
    const window = Math.floor(i / (2 * rate * WINDOW_SECONDS));
    const side = i % 2 === 0 ? out.direct : out.gateway;
    pending.push((i % 2 === 0 ? direct : gateway)().then((t) => void side.push({ ...t, window })));
  }
  await Promise.all(pending);
  return out;
}

function summary(timings: Timing[], key: "totalMs" | "firstByteMs") {
  const values = timings.filter((t) => t.ok).map((t) => t[key]);
  values.sort((a, b) => a - b);
  return { p50: percentile(values, 0.5), p90: percentile(values, 0.9), p99: percentile(values, 0.99), max: values.at(-1) ?? Number.NaN };
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "assay-bench-gateway-"));
  fs.chmodSync(work, 0o755);
  const [pgPort, webPort, simPort] = [await freePort(), await freePort(), await freePort()];
  const log = (line: string) => console.log(`· ${line}`);
  const sim = spawn(
    process.execPath,
    ["cli/bin.mjs", "simulate", "--port", String(simPort), "--ttft-ms", "0", "--itl-ms", "0", "--jitter", "0"].concat([
      "--max-concurrency",
      "4096",
      "--model",
      MODEL,
    ]),
    { stdio: "ignore" },
  );
  const stack = await startStack({
    root: process.cwd(),
    dataDir: work,
    sharedDir: env().ASSAY_SHARED_DIR,
    pgPort,
    webPort,
    host: "127.0.0.1",
    demo: false,
    workers: 0,
    bootstrapApiKey: API_KEY,
    build: "if-needed",
    log,
    childOutput: { file: path.join(work, "stack.log") },
  });
  try {
    const simUrl = `http://127.0.0.1:${simPort}`;
    await waitFor(`${simUrl}/health`, sim);
    const base = `http://127.0.0.1:${webPort}`;
    const endpoint = await api(base, "/api/v1/endpoints", { name: "bench-sim", baseUrl: `${simUrl}/v1`, apiKey: ENDPOINT_KEY });
    const config = { model: MODEL, endpointId: endpoint.endpoint.id, maxTokens: TOKENS, pricePer1MInput: 0.2, pricePer1MOutput: 0.6 };
    await api(base, "/api/v1/experiments", {
      key: EXPERIMENT,
      name: "Gateway benchmark",
      variableUnderTest: "SYSTEM_PROMPT",
      gatewayEnabled: true,
      hypothesis: { change: "nothing that matters here", expectation: "no difference", reason: "a benchmark" },
      variants: [
        { key: "A", name: "A", isControl: true, weight: 50, config: { ...config, systemPrompt: PROMPT } },
        { key: "B", name: "B", weight: 50, config: { ...config, systemPrompt: `${PROMPT} Be brief.` } },
      ],
      metrics: [{ name: "latency_ms", role: "GOAL", kind: "MEAN", direction: "DECREASE", mde: 0.05 }],
    });
    await api(base, `/api/v1/experiments/${EXPERIMENT}/start`, {});

    const question = { role: "user", content: "How do I reset my password?" };
    // What the gateway sends the simulator for variant A: the same work for the simulator on both paths (ignore_eos:
    // every answer is exactly TOKENS chunks, whichever variant's prompt).
    const directBody = JSON.stringify({
      model: MODEL,
      messages: [{ role: "system", content: PROMPT }, question],
      max_tokens: TOKENS,
      ignore_eos: true,
      stream: true,
      stream_options: { include_usage: true },
    });
    const directUrl = new URL(`${simUrl}/v1/chat/completions`);
    const gatewayUrl = new URL(`${base}/api/v1/gateway/${EXPERIMENT}/chat/completions`);
    const gatewayBodies = Array.from({ length: USERS }, (_, u) =>
      JSON.stringify({ model: "any", user: `bench-user-${u}`, messages: [question], ignore_eos: true, stream: true }),
    );
    let n = 0;
    const direct = () => timedRequest(directUrl, directBody, {});
    const gateway = () => timedRequest(gatewayUrl, gatewayBodies[n++ % USERS], { authorization: `Bearer ${API_KEY}` });

    log(`Warming up: ${WARMUP_SECONDS} s (every user's first assignment is written once; connections open)…`);
    await pacedAlternating(RATE, RATE * WARMUP_SECONDS, direct, gateway);
    const load = os.loadavg()[0];
    log(`Measuring: ${RATE} requests/s each way, ${SECONDS} s, ${TOKENS} streamed tokens per answer, ${USERS} users…`);
    const t0 = performance.now();
    const result = await pacedAlternating(RATE, RATE * SECONDS, direct, gateway);
    const wall = (performance.now() - t0) / 1000;

    // The log kept up: every interaction of the run (warm-up included) is stored.
    await new Promise((r) => setTimeout(r, 1500));
    const client = new pg.Client({ connectionString: stack.databaseUrl });
    await client.connect();
    const logged = (
      await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "Interaction" i JOIN "Experiment" e ON e.id = i."experimentId" WHERE e.key = $1 AND i.error IS NULL`,
        [EXPERIMENT],
      )
    ).rows[0].n;
    await client.end();

    const d = summary(result.direct, "totalMs");
    const g = summary(result.gateway, "totalMs");
    const df = summary(result.direct, "firstByteMs");
    const gf = summary(result.gateway, "firstByteMs");
    const failed = (t: Timing[]) => t.filter((x) => !x.ok).length;
    const late = [...result.lateMs].sort((a, b) => a - b);
    const ms = (v: number) => v.toFixed(2).padStart(7);
    console.log("");
    console.log(
      `bench:gateway — ${new Date().toISOString()}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, Node ${process.version}`,
    );
    console.log(
      `load average before the run: ${load.toFixed(2)}; ${result.direct.length} + ${result.gateway.length} requests in ${wall.toFixed(1)} s`,
    );
    console.log(
      `sending was late by p50 ${percentile(late, 0.5).toFixed(2)} ms, p99 ${percentile(late, 0.99).toFixed(2)} ms (same for both sides)`,
    );
    console.log("");
    console.log("                     p50      p90      p99      max   (ms, send to last byte)");
    console.log(`direct          ${ms(d.p50)}  ${ms(d.p90)}  ${ms(d.p99)}  ${ms(d.max)}   failed ${failed(result.direct)}`);
    console.log(`gateway         ${ms(g.p50)}  ${ms(g.p90)}  ${ms(g.p99)}  ${ms(g.max)}   failed ${failed(result.gateway)}`);
    console.log(`added           ${ms(g.p50 - d.p50)}  ${ms(g.p90 - d.p90)}  ${ms(g.p99 - d.p99)}`);
    console.log("");
    console.log("first byte          p50      p90      p99");
    console.log(`direct          ${ms(df.p50)}  ${ms(df.p90)}  ${ms(df.p99)}`);
    console.log(`gateway         ${ms(gf.p50)}  ${ms(gf.p90)}  ${ms(gf.p99)}`);
    console.log("");
    // Slices of the run: on a shared machine a neighbour's burst shows as one bad slice, on both sides at once.
    console.log(`per ${WINDOW_SECONDS} s        direct p50/p99     gateway p50/p99    added p50/p99`);
    for (let w = 0; w < Math.ceil(SECONDS / WINDOW_SECONDS); w++) {
      const dw = summary(
        result.direct.filter((t) => t.window === w),
        "totalMs",
      );
      const gw = summary(
        result.gateway.filter((t) => t.window === w),
        "totalMs",
      );
      console.log(
        `${String(w * WINDOW_SECONDS).padStart(3)}-${String((w + 1) * WINDOW_SECONDS).padEnd(3)} s      ${ms(dw.p50)} ${ms(dw.p99)}    ${ms(gw.p50)} ${ms(gw.p99)}    ${ms(gw.p50 - dw.p50)} ${ms(gw.p99 - dw.p99)}`,
      );
    }
    console.log("");
    console.log(`interactions logged: ${logged} of ${result.gateway.length + RATE * WARMUP_SECONDS} gateway requests`);
    console.log(`added latency p99 ${(g.p99 - d.p99).toFixed(2)} ms (target: under 3 ms)`);
    fs.mkdirSync("bench/out", { recursive: true });
    fs.writeFileSync(
      "bench/out/gateway.json",
      JSON.stringify(
        {
          rate: RATE,
          seconds: SECONDS,
          tokens: TOKENS,
          users: USERS,
          load,
          direct: d,
          gateway: g,
          directFirstByte: df,
          gatewayFirstByte: gf,
          logged,
        },
        null,
        2,
      ),
    );
  } finally {
    sim.kill("SIGTERM");
    agent.destroy();
    await stack.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench:gateway failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
