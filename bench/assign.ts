// bench:assign — the assign API under load from an external load generator (autocannon, in this process; the server is
// the stack's own process): p99 at 2,000 requests/s, then the highest rate it holds with p99 under 10 ms. Every request
// is a new user (a hash assignment that is kept: one write), so the figure includes the sticky store. References in the
// same run: a bare node:http server's unthrottled rate, and local assignment (lib/assignment) per second.
// autocannon's rate option spends each connection's share of a second back to back (a burst at full speed, then
// nothing until the next second: bench/support/pacedLoad.ts), so the same figures are also measured open-loop: seeded
// Poisson arrivals at the asked rate from a generator process of its own, each latency timed from the request's scheduled
// moment, against the assign API and against the bare server.
// Usage: npm run bench:assign [-- --seconds 15] [-- --skip-autocannon]
import { execFile } from "node:child_process";
import http from "node:http";
import { promisify } from "node:util";
import autocannon from "autocannon";
import { assign } from "@/lib/assignment";
import { AssayClient } from "@/lib/client";
import type { PacedResult } from "./support/pacedLoad";
import { BENCH_KEY, benchStack, freePort, machine, postJson, runningExperiment } from "./support/stack";

const SECONDS = Number(process.argv[process.argv.indexOf("--seconds") + 1]) || 15;
let user = 0;

function load(url: string, rate: number | undefined, seconds: number, body: () => string): Promise<autocannon.Result> {
  return autocannon({
    url,
    method: "POST",
    connections: 20,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
    headers: { authorization: `Bearer ${BENCH_KEY}`, "content-type": "application/json" },
    requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }],
  });
}

const SKIP_AUTOCANNON = process.argv.includes("--skip-autocannon");

/** One open-loop run (bench/support/pacedLoad.ts) in a process of its own; every request a new user. */
async function paced(url: string, rate: number, seconds: number, tag: string): Promise<PacedResult> {
  const args = ["--import", "tsx", "bench/support/pacedLoad.ts", "--url", url, "--rate", String(rate), "--seconds", String(seconds)];
  args.push("--warmup", "3", "--auth", BENCH_KEY, "--body-prefix", `{"experiment":"bench-assign","userId":"${tag}-`);
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim()) as PacedResult;
}

function pacedSummary(r: PacedResult): string {
  const l = r.latencyMs;
  return `${r.achievedRate.toLocaleString("en-US")} req/s, p50 ${l.p50.toFixed(2)} ms, p90 ${l.p90.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms, p99.9 ${l.p999.toFixed(2)} ms, max ${l.max.toFixed(1)} ms, ${r.failed} failed (generator late by p99 ${r.sendLagMs.p99.toFixed(2)} ms)`;
}

function summary(r: autocannon.Result): string {
  const bad = r.non2xx + r.errors + r.timeouts;
  return `${Math.round(r.requests.average).toLocaleString("en-US")} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms, ${bad} failed`;
}

async function main() {
  const { url, stop } = await benchStack("assign");
  const bare = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"variant":"A","inExperiment":true,"reason":"hash","config":{}}');
  });
  const barePort = await freePort();
  await new Promise<void>((r) => bare.listen(barePort, "127.0.0.1", r));
  try {
    await runningExperiment(url, "bench-assign");
    const body = () => JSON.stringify({ experiment: "bench-assign", userId: `user-${user++}` });
    await load(`${url}/api/v1/assign`, 2000, 10, body); // warm-up: JIT, pools, caches

    // Open-loop first (the figure the issue's bound is about): three runs at 2,000/s, the bare server after each, then
    // higher rates until p99 reaches 10 ms.
    const pacedRuns: { api: PacedResult; bare: PacedResult }[] = [];
    for (let i = 0; i < 3; i++) {
      const api = await paced(`${url}/api/v1/assign`, 2000, SECONDS, `paced${i}`);
      const bareRun = await paced(`http://127.0.0.1:${barePort}/`, 2000, SECONDS, `bare${i}`);
      pacedRuns.push({ api, bare: bareRun });
    }
    const pacedSteps: PacedResult[] = [];
    for (const rate of [3000, 4000, 5000, 6000, 8000]) {
      const r = await paced(`${url}/api/v1/assign`, rate, 10, `step${rate}`);
      pacedSteps.push(r);
      if (r.latencyMs.p99 >= 10 || r.failed > 0) break;
    }
    const pacedHeld = [...pacedRuns.map((r) => r.api), ...pacedSteps].filter((r) => r.latencyMs.p99 < 10 && r.failed === 0);
    const show = () => {
      console.log(`open loop (Poisson arrivals, generator in its own process, latency from the scheduled send), ${SECONDS} s per run:`);
      pacedRuns.forEach((r, i) => {
        console.log(`  run ${i + 1} assign API at 2,000/s: ${pacedSummary(r.api)}`);
        console.log(`  run ${i + 1} bare node:http at 2,000/s (reference): ${pacedSummary(r.bare)}`);
      });
      for (const r of pacedSteps) console.log(`  assign API at ${r.rate.toLocaleString("en-US")}/s: ${pacedSummary(r)}`);
      const best = pacedHeld.reduce((m, r) => Math.max(m, r.rate), 0);
      console.log(`  highest rate held with p99 < 10 ms: ${best ? `${best.toLocaleString("en-US")}/s` : "none"}`);
    };
    if (SKIP_AUTOCANNON) {
      console.log(`machine: ${machine()}; ${new Date().toISOString()}`);
      show();
      return;
    }
    const at2000 = await load(`${url}/api/v1/assign`, 2000, SECONDS, body);
    const steps: { rate: number; r: autocannon.Result }[] = [];
    for (const rate of [3000, 4000, 5000, 6000, 8000]) {
      const r = await load(`${url}/api/v1/assign`, rate, 10, body);
      steps.push({ rate, r });
      if (r.latency.p99 >= 10 || r.requests.average < rate * 0.95) break;
    }
    const held = [{ rate: 2000, r: at2000 }, ...steps].filter(
      (s) => s.r.latency.p99 < 10 && s.r.requests.average >= s.rate * 0.95 && s.r.non2xx + s.r.errors === 0,
    );
    const unthrottled = await load(`${url}/api/v1/assign`, undefined, 10, body);
    const bareMax = await load(`http://127.0.0.1:${barePort}/`, undefined, 10, body);

    // Local assignment: the pure function, and the client (config loaded once, no exposures sent).
    const config = await (
      await fetch(`${url}/api/v1/experiments/bench-assign/config`, { headers: { authorization: `Bearer ${BENCH_KEY}` } })
    ).json();
    const N = 2_000_000;
    const ids = Array.from({ length: N }, (_, i) => `local-${i}`);
    const perSecond = (f: (id: string) => unknown) => {
      const runs: number[] = [];
      for (let k = 0; k < 5; k++) {
        const t0 = performance.now();
        for (let i = 0; i < N; i++) f(ids[i]);
        runs.push(N / ((performance.now() - t0) / 1000));
      }
      return runs.sort((a, b) => a - b)[2];
    };
    const pure = perSecond((userId) => assign(config.settings, { userId }));
    const client = new AssayClient({
      baseUrl: url,
      apiKey: BENCH_KEY,
      refreshMs: 0,
      sendExposures: false,
      stickyStore: { get: () => undefined, set: () => {} },
    });
    await client.load("bench-assign");
    const viaClient = perSecond((userId) => client.assign("bench-assign", userId));
    await client.close();
    // With the default in-memory sticky store: the first run writes 2,000,000 users, the next four read them back.
    const stickyClient = new AssayClient({ baseUrl: url, apiKey: BENCH_KEY, refreshMs: 0, sendExposures: false });
    await stickyClient.load("bench-assign");
    const viaStickyClient = perSecond((userId) => stickyClient.assign("bench-assign", userId));
    await stickyClient.close();
    await postJson(`${url}/api/v1/assign`, { experiment: "bench-assign", userId: "check" });

    console.log(`machine: ${machine()}; ${new Date().toISOString()}`);
    show();
    console.log(`autocannon (20 connections, its per-second budgets), ${SECONDS} s at 2,000/s, 10 s per higher step:`);
    console.log(`assign API at 2,000/s:   ${summary(at2000)}`);
    for (const s of steps) console.log(`assign API at ${s.rate.toLocaleString("en-US")}/s:   ${summary(s.r)}`);
    console.log(`highest rate held with p99 < 10 ms: ${held.length ? `${held.at(-1)!.rate.toLocaleString("en-US")}/s` : "none"}`);
    console.log(`assign API unthrottled: ${summary(unthrottled)}`);
    console.log(
      `bare node:http unthrottled (reference): ${summary(bareMax)}; ratio ${(unthrottled.requests.average / bareMax.requests.average).toFixed(2)}`,
    );
    const f = (x: number) => `${Math.round(x).toLocaleString("en-US")}/s`;
    console.log(
      `local assignment, median of 5 runs of ${N.toLocaleString("en-US")} users: ${f(pure)} (lib/assignment), ${f(viaClient)} (the client, no sticky store), ${f(viaStickyClient)} (the client with its in-memory sticky store of ${N.toLocaleString("en-US")} users)`,
    );
  } finally {
    bare.close();
    await stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
