// bench:harness (issue 11) — what the load harness's own client costs. Against Assay's simulator on loopback, run as a
// process of its own (so the client's event loop is the benchmark's alone), TTFT 20 ms, 1 ms between tokens, no jitter,
// no concurrency cap:
//
// 1. runHarness (the product's plan, run loop and results) open loop at 1,000 requests/s for --duration s (default 30),
//    16-token answers with ignore_eos: target and achieved rate, schedule lag, TTFT against the simulator's true 20 ms,
//    TPOT, the client's CPU, and the CLIENT_BOUND flag, each checked against the issue's bounds (achieved within 1% of the
//    target, lag p99 under 2 ms, TTFT p50 within 10% of 20 ms).
// 2. The same at 2,000 requests/s: it passes if it holds the same bounds or flags itself CLIENT_BOUND.
// 3. The most streams held at once: a second simulator with 50 ms between tokens, N requests of 200 tokens (about 10 s
//    each) sent open loop over --ramp s (default 5), so all N are in flight together for the rest; N = 1,000, 2,000,
//    4,000, ... until a step fails. A step holds when every stream ended with all its tokens and no error, and TTFT p99
//    stayed under --ttft-p99-limit ms (default 200, ten times the true TTFT: far above what a client that keeps up adds,
//    far below a backlog that grows through the ramp or a dropped SYN's 1 s retransmission). The kernel's listen-queue
//    overflows and SYN retransmissions over the step are read from /proc/net/netstat.
//
// Before each of steps 1 and 2, the reference: a bare node:http client (no parsing, no records) firing the same schedule
// with the same bodies and the same pump (a timer to just before the send, then setImmediate), its TTFT taken at the
// first body bytes (the simulator writes the role chunk and the first token together), after 3 s of the same to warm
// the simulator. Its figures say what this machine allows; the ratio says what the harness itself adds. The pump alone
// (the same timer-then-setImmediate loop with nothing sent) is timed for its CPU: below 2 ms between sends it never
// sleeps, so part of the client CPU is that wait. The simulator's CPU is read from /proc.
//
// Usage: npm run bench:harness [-- --duration 10] [-- --arrival poisson] [-- --streams 1000,2000,4000,8000]
//        [-- --ramp 5] [-- --ttft-p99-limit 100] [-- --skip-streams]
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import { runHarness, planRun, CLIENT_BOUND_LAG_P99_MS, type AssaySection, type HarnessOptions } from "@/lib/harness/harness";
import type { ArrivalProcess } from "@/lib/harness/arrivals";
import { distribution, type AssayMetrics } from "@/lib/harness/metrics";
import { customProfileSchema } from "@/lib/harness/profiles";
import type { RunProgress } from "@/lib/harness/run";
import { requestBody } from "@/lib/harness/run";
import { nowMs } from "@/lib/openai/stream";
import { freePort, machine } from "./support/stack";

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
function numberFlag(name: string, fallback: number): number {
  const raw = flag(name);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`--${name} must be a positive number`);
    process.exit(2);
  }
  return value;
}

const DURATION_S = numberFlag("duration", 30);
const ARRIVAL = (flag("arrival") ?? "constant") as ArrivalProcess;
if (ARRIVAL !== "constant" && ARRIVAL !== "poisson") {
  console.error("--arrival must be constant or poisson");
  process.exit(2);
}
const STREAMS = (flag("streams") ?? "1000,2000,4000,8000").split(",").map(Number);
if (STREAMS.some((n) => !Number.isInteger(n) || n < 1)) {
  console.error("--streams must be a comma list of positive integers");
  process.exit(2);
}
const RAMP_S = numberFlag("ramp", 5);
const TTFT_P99_LIMIT_MS = numberFlag("ttft-p99-limit", 200);
const SKIP_STREAMS = process.argv.includes("--skip-streams");

const TRUE_TTFT_MS = 20;
const ITL_MS = 1;
const TOKENS = 16;
const STREAM_ITL_MS = 50;
const STREAM_TOKENS = 200;
const RATES = [1000, 2000];
// The issue's bounds.
const RATE_SHORTFALL_MAX = 0.01;
const LAG_P99_MAX_MS = 2;
const TTFT_P50_TOLERANCE = 0.1;
const MODEL = "bench-model";
const log = (line: string) => console.log(`· ${line}`);

/** GET url until it answers 200 (node:http: fetch refuses some ports). */
async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error("the simulator exited before it answered");
    const ok = await new Promise<boolean>((resolve) => {
      const req = http.get(url, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

async function startSimulatorProcess(itlMs: number): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const args = ["cli/bin.mjs", "simulate", "--port", String(port), "--ttft-ms", String(TRUE_TTFT_MS), "--itl-ms", String(itlMs)];
  args.push("--jitter", "0", "--max-concurrency", "1000000", "--model", MODEL);
  const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "inherit"] });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(`${url}/health`, child);
  return { url, child };
}

/** CPU seconds a process has used (utime + stime from /proc), or NaN where /proc is missing. */
function processCpuS(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks; 100 a second on Linux
  } catch {
    return Number.NaN;
  }
}

/** The kernel's TcpExt counters that show connections refused or retried at the listen queue. */
function tcpCounters(): { listenOverflows: number; synRetrans: number } {
  try {
    const lines = fs.readFileSync("/proc/net/netstat", "utf8").split("\n");
    const at = lines.findIndex((l) => l.startsWith("TcpExt:"));
    const names = lines[at].split(" ");
    const values = lines[at + 1].split(" ").map(Number);
    return { listenOverflows: values[names.indexOf("ListenOverflows")], synRetrans: values[names.indexOf("TCPSynRetrans")] };
  } catch {
    return { listenOverflows: Number.NaN, synRetrans: Number.NaN };
  }
}

function profile(rate: number, durationS: number, outputTokens: number) {
  return customProfileSchema.parse({
    name: "bench_harness",
    arrival: ARRIVAL,
    rate,
    durationS,
    workloads: [{ name: "chat", type: "chat", weight: 1, input: { mean: 50, sigma: 0 }, output: { mean: outputTokens, sigma: 0 } }],
  });
}

function harnessOptions(url: string, rate: number, tokens: number, extra: Partial<HarnessOptions>): HarnessOptions {
  return {
    url,
    apiKey: null,
    model: MODEL,
    endpoint: "chat",
    profile: profile(rate, DURATION_S, tokens),
    requestRate: rate,
    durationS: DURATION_S,
    arrival: ARRIVAL,
    seed: 1,
    overrides: { maxTokens: tokens, ignoreEos: true },
    timeoutMs: 60_000,
    warmupS: 0,
    cooldownS: 0,
    drainS: 60,
    ...extra,
  };
}

interface ReferenceFigures {
  sent: number;
  ok: number;
  achievedRate: number;
  lagMs: ReturnType<typeof distribution>;
  ttftMs: ReturnType<typeof distribution>;
  e2eMs: ReturnType<typeof distribution>;
  cpuCores: number;
}

/**
 * The reference: the same schedule and bodies through bare node:http, nothing parsed or kept but three times per request.
 * TTFT is the first body bytes (the role chunk and the first token are written together), the end is the response's end.
 */
async function referenceRun(o: HarnessOptions): Promise<ReferenceFigures> {
  const plan = planRun(o);
  return bareSchedule(o, plan.requests, plan.offsets!, true);
}

/** The pump of runLoad's open loop over `offsets`, calling `send(i, intendedMs)` for each one due. */
function pumpSchedule(offsets: Float64Array, startAt: number, send: (i: number, intended: number) => void): Promise<void> {
  let next = 0;
  return new Promise<void>((resolve) => {
    const pump = () => {
      const now = nowMs();
      while (next < offsets.length && startAt + offsets[next] * 1000 <= now) {
        send(next, startAt + offsets[next] * 1000);
        next++;
      }
      if (next >= offsets.length) return resolve();
      const wait = startAt + offsets[next] * 1000 - nowMs();
      if (wait > 2) setTimeout(pump, wait - 1.5);
      else setImmediate(pump);
    };
    setTimeout(pump, Math.max(0, startAt - nowMs() - 1));
  });
}

/** CPU (cores) of the pump alone at `rate` for `seconds`, nothing sent. */
async function pumpOnlyCpu(rate: number, seconds: number): Promise<number> {
  const offsets = Float64Array.from({ length: Math.round(rate * seconds) }, (_, i) => i / rate);
  const cpu0 = process.cpuUsage();
  const t0 = nowMs();
  let count = 0;
  await pumpSchedule(offsets, nowMs() + 10, () => void count++);
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / 1000 / (nowMs() - t0);
}

async function bareSchedule(
  o: HarnessOptions,
  requests: ReturnType<typeof planRun>["requests"],
  offsets: Float64Array,
  warm: boolean,
): Promise<ReferenceFigures> {
  const plan = { requests };
  const target = new URL(`${o.url}/v1/chat/completions`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 4096, scheduling: "lifo" });
  const n = offsets.length;
  const sentAt = new Float64Array(n);
  const lag = new Float64Array(n);
  const ttft: number[] = [];
  const e2e: number[] = [];
  let ok = 0;
  let pending = n;
  let wake: () => void = () => {};
  const allDone = new Promise<void>((r) => (wake = r));
  const send = (i: number, intended: number) => {
    const payload = JSON.stringify({
      ...requestBody(plan.requests[i], o.model, "chat", o.overrides),
      stream: true,
      stream_options: { include_usage: true },
    });
    const req = http.request(target, {
      method: "POST",
      agent,
      headers: { "content-type": "application/json", accept: "text/event-stream", "content-length": Buffer.byteLength(payload) },
    });
    const finish = () => --pending === 0 && wake();
    req.on("error", finish);
    req.on("response", (res) => {
      let first = true;
      let tail = "";
      res.on("data", (chunk: Buffer) => {
        if (first) {
          first = false;
          ttft.push(nowMs() - sentAt[i]);
        }
        tail = chunk.toString("latin1").slice(-16);
      });
      res.on("end", () => {
        if (res.statusCode === 200 && tail.endsWith("[DONE]\n\n")) {
          ok++;
          e2e.push(nowMs() - sentAt[i]);
        }
        finish();
      });
      res.on("error", finish);
    });
    sentAt[i] = nowMs();
    lag[i] = sentAt[i] - intended;
    req.end(payload);
  };
  if (warm) {
    // 3 s of the same load first (the simulator's code warmed, its connections open), then one request, as runLoad's prime.
    let warmN = 0;
    while (warmN < offsets.length && offsets[warmN] < 3) warmN++;
    await bareSchedule(o, requests.slice(0, warmN), offsets.slice(0, warmN), false);
  }
  await new Promise<void>((resolve) => http.get(`${o.url}/v1/models`, { agent }, (res) => res.resume().on("end", resolve)));
  const cpu0 = process.cpuUsage();
  const startAt = nowMs() + 100;
  const t0 = nowMs();
  await pumpSchedule(offsets, startAt, send);
  await allDone;
  const cpu = process.cpuUsage(cpu0);
  const elapsed = nowMs() - t0;
  agent.destroy();
  const span = (sentAt[n - 1] - sentAt[0]) / 1000;
  return {
    sent: n,
    ok,
    achievedRate: n > 1 ? (n - 1) / span : Number.NaN,
    lagMs: distribution(Array.from(lag)),
    ttftMs: distribution(ttft),
    e2eMs: distribution(e2e),
    cpuCores: (cpu.user + cpu.system) / 1000 / elapsed,
  };
}

const f = (v: number | null | undefined, digits = 2) => (v === null || v === undefined || !Number.isFinite(v) ? "—" : v.toFixed(digits));
const verdict = (pass: boolean) => (pass ? "PASS" : "FAIL");

interface RateStep {
  rate: number;
  loadBefore: number;
  loadAfter: number;
  targetRate: number;
  achievedRate: number;
  shortfallPct: number;
  lagMs: { p50: number | null; p90: number | null; p99: number | null; max: number | null };
  ttftMs: AssayMetrics["ttftMs"];
  tpotMs: AssayMetrics["tpotMs"];
  e2eMs: AssayMetrics["e2eMs"];
  successful: number;
  failed: number;
  inFlight: number;
  clientCpuCores: number;
  simulatorCpuCores: number;
  clientBound: boolean;
  flagReasons: string[];
  checks: { rate: boolean; lag: boolean; ttft: boolean; noErrors: boolean };
  pass: boolean;
  reference: ReferenceFigures & { simulatorCpuCores: number };
}

async function rateStep(url: string, sim: ChildProcess, rate: number): Promise<RateStep> {
  const o = harnessOptions(url, rate, TOKENS, {});
  const loadBefore = os.loadavg()[0];
  log(`${rate}/s, reference (bare node:http, same schedule), ${DURATION_S} s…`);
  let simCpu0 = processCpuS(sim.pid);
  let t0 = nowMs();
  const ref = await referenceRun(o);
  const refSimCpu = (processCpuS(sim.pid) - simCpu0) / ((nowMs() - t0) / 1000);
  log(
    `  reference: ${ref.ok}/${ref.sent} ok, achieved ${f(ref.achievedRate, 1)}/s, lag p99 ${f(ref.lagMs.p99)} ms, TTFT p50 ${f(ref.ttftMs.p50)} ms`,
  );

  log(`${rate}/s, runHarness, ${DURATION_S} s…`);
  simCpu0 = processCpuS(sim.pid);
  t0 = nowMs();
  const { file } = await runHarness(o);
  const simulatorCpuCores = (processCpuS(sim.pid) - simCpu0) / ((nowMs() - t0) / 1000);
  const a = file.assay as AssaySection;
  const m = a.metrics;
  const target = a.targetRate ?? rate;
  const achieved = a.achievedRate ?? 0;
  const shortfall = (target - achieved) / target;
  const lagP99 = a.scheduleLagMs.p99 ?? Infinity;
  const ttftP50 = (m.ttftMs.p50 as number | null) ?? Infinity;
  const checks = {
    rate: shortfall <= RATE_SHORTFALL_MAX,
    lag: lagP99 < LAG_P99_MAX_MS,
    ttft: Math.abs(ttftP50 - TRUE_TTFT_MS) <= TTFT_P50_TOLERANCE * TRUE_TTFT_MS,
    noErrors: m.failed === 0 && m.inFlight === 0,
  };
  const clientBound = a.flags.includes("CLIENT_BOUND");
  const held = checks.rate && checks.lag && checks.ttft && checks.noErrors;
  const step: RateStep = {
    rate,
    loadBefore,
    loadAfter: os.loadavg()[0],
    targetRate: target,
    achievedRate: achieved,
    shortfallPct: shortfall * 100,
    lagMs: a.scheduleLagMs,
    ttftMs: m.ttftMs,
    tpotMs: m.tpotMs,
    e2eMs: m.e2eMs,
    successful: m.successful,
    failed: m.failed,
    inFlight: m.inFlight,
    clientCpuCores: a.clientCpuCores ?? Number.NaN,
    simulatorCpuCores,
    clientBound,
    flagReasons: a.flagReasons,
    checks,
    // The first rate must hold the bounds; a higher one may instead say that the client limited it.
    pass: held || (rate !== RATES[0] && clientBound),
    reference: { ...ref, simulatorCpuCores: refSimCpu },
  };
  printRateStep(step);
  return step;
}

function printRateStep(s: RateStep) {
  const ttftP50 = s.ttftMs.p50 as number;
  console.log("");
  console.log(
    `  ${s.rate} requests/s, ${ARRIVAL} arrivals, ${DURATION_S} s, ${TOKENS} tokens (ignore_eos), load average ${f(s.loadBefore)}`,
  );
  console.log(
    `  target ${f(s.targetRate, 1)}/s, achieved ${f(s.achievedRate, 1)}/s (short by ${f(s.shortfallPct)}%)  ${verdict(s.checks.rate)} (≤ 1%)`,
  );
  console.log(
    `  schedule lag p50 ${f(s.lagMs.p50, 3)} / p99 ${f(s.lagMs.p99, 3)} / max ${f(s.lagMs.max, 1)} ms  ${verdict(s.checks.lag)} (p99 < ${LAG_P99_MAX_MS} ms)`,
  );
  console.log(
    `  TTFT p50 ${f(ttftP50)} / p99 ${f(s.ttftMs.p99 as number)} ms, true ${TRUE_TTFT_MS} ms (ratio ${f(ttftP50 / TRUE_TTFT_MS, 3)})  ${verdict(s.checks.ttft)} (within 10%)`,
  );
  console.log(
    `  TPOT p50 ${f(s.tpotMs.p50 as number, 3)} / p99 ${f(s.tpotMs.p99 as number, 3)} ms (simulator: ${ITL_MS} ms between tokens)`,
  );
  console.log(`  ${s.successful} ok, ${s.failed} failed, ${s.inFlight} in flight  ${verdict(s.checks.noErrors)}`);
  console.log(`  client CPU ${f(s.clientCpuCores)} cores, simulator CPU ${f(s.simulatorCpuCores)} cores`);
  console.log(`  CLIENT_BOUND: ${s.clientBound ? `yes: ${s.flagReasons.join("; ")}` : "no"}`);
  const r = s.reference;
  console.log(
    `  reference (bare node:http): achieved ${f(r.achievedRate, 1)}/s, lag p99 ${f(r.lagMs.p99 as number, 3)} ms, TTFT p50 ${f(r.ttftMs.p50 as number)} / p99 ${f(r.ttftMs.p99 as number)} ms, client CPU ${f(r.cpuCores)} cores, ${r.ok}/${r.sent} ok`,
  );
  console.log(`  => ${verdict(s.pass)}`);
  console.log("");
}

interface StreamStep {
  n: number;
  peakInFlight: number;
  successful: number;
  failed: number;
  inFlight: number;
  shortAnswers: number;
  errors: Record<string, number>;
  ttftMs: AssayMetrics["ttftMs"];
  itlMs: AssayMetrics["itlMs"];
  lagP99Ms: number | null;
  clientCpuCores: number;
  simulatorCpuCores: number;
  held: boolean;
  loadAfter: number;
  listenOverflows: number;
  synRetrans: number;
}

async function streamStep(url: string, sim: ChildProcess, n: number): Promise<StreamStep> {
  let peak = 0;
  const o = harnessOptions(url, n / RAMP_S, STREAM_TOKENS, {
    durationS: null,
    numPrompts: n,
    onProgress: (p: RunProgress) => void (peak = Math.max(peak, p.inFlight)),
  });
  log(`${n} streams of ${STREAM_TOKENS} tokens at ${STREAM_ITL_MS} ms, sent over ${RAMP_S} s…`);
  const tcp0 = tcpCounters();
  const simCpu0 = processCpuS(sim.pid);
  const t0 = nowMs();
  const { file } = await runHarness(o);
  const simulatorCpuCores = (processCpuS(sim.pid) - simCpu0) / ((nowMs() - t0) / 1000);
  const tcp1 = tcpCounters();
  const a = file.assay as AssaySection;
  const m = a.metrics;
  const shortAnswers = file.records.filter((r) => r.assay?.status === "ok" && r.assay.usage_output_tokens !== STREAM_TOKENS).length;
  const ttftP99 = (m.ttftMs.p99 as number | null) ?? Infinity;
  const held = m.successful === n && m.failed === 0 && m.inFlight === 0 && shortAnswers === 0 && ttftP99 < TTFT_P99_LIMIT_MS;
  const s: StreamStep = {
    n,
    peakInFlight: peak,
    successful: m.successful,
    failed: m.failed,
    inFlight: m.inFlight,
    shortAnswers,
    errors: m.errors,
    ttftMs: m.ttftMs,
    itlMs: m.itlMs,
    lagP99Ms: a.scheduleLagMs.p99,
    clientCpuCores: a.clientCpuCores ?? Number.NaN,
    simulatorCpuCores,
    held,
    loadAfter: os.loadavg()[0],
    listenOverflows: tcp1.listenOverflows - tcp0.listenOverflows,
    synRetrans: tcp1.synRetrans - tcp0.synRetrans,
  };
  log(
    `  peak in flight ${peak}, ${s.successful} ok, ${s.failed} failed ${JSON.stringify(s.errors)}, ${s.inFlight} in flight, ${shortAnswers} short; TTFT p50 ${f(m.ttftMs.p50 as number)} / p99 ${f(ttftP99)} ms; ITL p50 ${f(m.itlMs.p50 as number)} / p99 ${f(m.itlMs.p99 as number)} ms; lag p99 ${f(s.lagP99Ms)} ms; client CPU ${f(s.clientCpuCores)}, simulator ${f(simulatorCpuCores)} cores; listen overflows ${s.listenOverflows}, SYN retransmissions ${s.synRetrans} => ${s.held ? "held" : "NOT held"}`,
  );
  return s;
}

async function main() {
  const loadAtStart = os.loadavg();
  let fdLimit = "?";
  try {
    fdLimit = fs
      .readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((l) => l.startsWith("Max open files"))!
      .replace(/\s+/g, " ")
      .trim();
  } catch {
    // not Linux
  }
  console.log(`bench:harness — ${new Date().toISOString()}, ${machine()}`);
  console.log(`load average at start: ${loadAtStart.map((v) => v.toFixed(2)).join(", ")}; ${fdLimit}`);
  const children: ChildProcess[] = [];
  try {
    const fast = await startSimulatorProcess(ITL_MS);
    children.push(fast.child);
    log(`simulator (TTFT ${TRUE_TTFT_MS} ms, ITL ${ITL_MS} ms, jitter 0) at ${fast.url}, pid ${fast.child.pid}`);
    const pumpCpu = await pumpOnlyCpu(RATES[0], 3);
    log(`the pump alone at ${RATES[0]}/s, nothing sent: ${f(pumpCpu)} cores`);
    const rates: RateStep[] = [];
    for (const rate of RATES) rates.push(await rateStep(fast.url, fast.child, rate));
    fast.child.kill("SIGTERM");

    const streams: StreamStep[] = [];
    if (!SKIP_STREAMS) {
      const slow = await startSimulatorProcess(STREAM_ITL_MS);
      children.push(slow.child);
      log(`simulator (TTFT ${TRUE_TTFT_MS} ms, ITL ${STREAM_ITL_MS} ms, jitter 0) at ${slow.url}, pid ${slow.child.pid}`);
      for (const n of STREAMS) {
        const s = await streamStep(slow.url, slow.child, n);
        streams.push(s);
        if (!s.held) break;
        // Let the closed sockets' TIME_WAIT and the simulator's garbage settle before the next step.
        await new Promise((r) => setTimeout(r, 3000));
      }
      slow.child.kill("SIGTERM");
    }
    const held = streams.filter((s) => s.held).map((s) => s.n);
    const loadAtEnd = os.loadavg();

    console.log("");
    console.log(
      `bench:harness summary — ${DURATION_S} s per rate, ${ARRIVAL} arrivals; load average ${f(loadAtStart[0])} -> ${f(loadAtEnd[0])}`,
    );
    console.log(
      "| rate/s | achieved/s (short) | lag p50/p99/max ms | TTFT p50/p99 ms (x true) | TPOT p50 ms | client CPU | sim CPU | CLIENT_BOUND | bare ref: lag p99, TTFT p50, CPU | result |",
    );
    console.log("|---|---|---|---|---|---|---|---|---|---|");
    for (const s of rates) {
      console.log(
        `| ${s.rate} | ${f(s.achievedRate, 1)} (${f(s.shortfallPct)}%) | ${f(s.lagMs.p50, 3)} / ${f(s.lagMs.p99, 3)} / ${f(s.lagMs.max, 1)} | ${f(s.ttftMs.p50 as number)} / ${f(s.ttftMs.p99 as number)} (${f((s.ttftMs.p50 as number) / TRUE_TTFT_MS, 3)}) | ${f(s.tpotMs.p50 as number, 3)} | ${f(s.clientCpuCores)} | ${f(s.simulatorCpuCores)} | ${s.clientBound ? "yes" : "no"} | ${f(s.reference.lagMs.p99 as number, 3)}, ${f(s.reference.ttftMs.p50 as number)}, ${f(s.reference.cpuCores)} | ${verdict(s.pass)} |`,
      );
    }
    if (streams.length) {
      console.log("");
      console.log(
        "| streams | peak in flight | ok / failed / in flight / short | TTFT p50/p99 ms | ITL p50/p99 ms | client CPU | sim CPU | SYN retrans | held |",
      );
      console.log("|---|---|---|---|---|---|---|---|---|");
      for (const s of streams) {
        console.log(
          `| ${s.n} | ${s.peakInFlight} | ${s.successful} / ${s.failed} / ${s.inFlight} / ${s.shortAnswers} | ${f(s.ttftMs.p50 as number)} / ${f(s.ttftMs.p99 as number)} | ${f(s.itlMs.p50 as number)} / ${f(s.itlMs.p99 as number)} | ${f(s.clientCpuCores)} | ${f(s.simulatorCpuCores)} | ${s.synRetrans} | ${s.held ? "yes" : "no"} |`,
        );
      }
      console.log(
        `most streams held: ${held.length ? Math.max(...held) : "none"} (criterion: all ${STREAM_TOKENS} tokens of every stream, no error, TTFT p99 < ${TTFT_P99_LIMIT_MS} ms; aim 2,000)`,
      );
    }
    console.log(`the pump alone (nothing sent) at ${RATES[0]}/s: ${f(pumpCpu)} cores of the client CPU above.`);
    console.log(
      `CLIENT_BOUND is raised by the product at lag p99 > ${CLIENT_BOUND_LAG_P99_MS} ms or a shortfall > 1%; the issue's lag bound is ${LAG_P99_MAX_MS} ms.`,
    );
    console.log("issue 11's reference: varcas at 1,000/s against such a stand-in had lag p99 55 ms and TTFT p50 731 ms (true ~20 ms).");
    fs.mkdirSync("bench/out", { recursive: true });
    fs.writeFileSync(
      "bench/out/harness.json",
      JSON.stringify(
        { at: new Date().toISOString(), durationS: DURATION_S, arrival: ARRIVAL, loadAtStart, loadAtEnd, fdLimit, pumpCpu, rates, streams },
        null,
        2,
      ),
    );
    return rates.every((s) => s.pass) && (SKIP_STREAMS || held.length > 0) ? 0 : 1;
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`bench:harness failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
