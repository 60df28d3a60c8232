// An open-loop load generator for JSON POSTs, run as a process of its own: requests are sent on a schedule fixed before
// the run (seeded Poisson arrivals at the asked rate, lib/harness/arrivals.ts, the same arrivals the load harness and
// vLLM's `bench serve` use), whatever the server's answers are doing, over a pool of keep-alive connections. Each
// latency is timed from the request's scheduled moment to the last byte of its answer, so a server that falls behind (or
// a generator late to send) shows in the figure instead of slowing the schedule (no coordinated omission), in
// microseconds, not whole milliseconds.
//
// Why not autocannon's own `overallRate`: autocannon paces each connection with a per-second budget (lib/httpClient.js:
// a connection sends back to back until it has made its share of the second's requests, then waits for the next 1 s
// tick). At "2,000 requests/s" over 20 connections the server so gets its 20 connections flat out for the first part of
// every second and nothing for the rest: a saturation burst, whose p99 is the one of an unthrottled run.
//
// Usage (prints one JSON line): tsx bench/support/pacedLoad.ts --url U --rate R --seconds S [--warmup S]
//   [--connections N] [--auth TOKEN] [--body-prefix TEXT] [--seed N]
// The body of request i is `{"experiment":…}`-shaped text built from --body-prefix: `${prefix}${i}"}`.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { arrivalOffsets } from "@/lib/harness/arrivals";

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  if (fallback === undefined) throw new Error(`--${name} is required`);
  return fallback;
}

export interface PacedResult {
  rate: number;
  sent: number;
  ok: number;
  failed: number;
  achievedRate: number;
  /** Latency from the scheduled send to the answer's last byte, ms. */
  latencyMs: { p50: number; p90: number; p99: number; p999: number; max: number };
  /** How late the generator sent (actual minus scheduled), ms: its own share of the figure. */
  sendLagMs: { p50: number; p99: number; max: number };
}

function pct(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  // numpy's default (linear) percentile
  const h = (sorted.length - 1) * (p / 100);
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

async function main() {
  const url = new URL(arg("url"));
  const rate = Number(arg("rate"));
  const seconds = Number(arg("seconds"));
  const warmup = Number(arg("warmup", "0"));
  const connections = Number(arg("connections", "64"));
  const auth = arg("auth", "");
  const prefix = arg("body-prefix", '{"id":"');
  const seed = Number(arg("seed", "1"));
  const total = warmup + seconds;
  const offsets = arrivalOffsets({ process: "poisson", rate, seed }, { durationS: total });
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const headers: http.OutgoingHttpHeaders = { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${auth}` } : {}) };

  const latency = new Float64Array(offsets.length);
  const lag = new Float64Array(offsets.length);
  const measured = new Uint8Array(offsets.length);
  let ok = 0;
  let failed = 0;
  let done = 0;

  const send = (i: number, intended: number) => {
    const body = `${prefix}${i}"}`;
    lag[i] = performance.now() - intended;
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        agent,
        headers: { ...headers, "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        res.on("data", () => undefined);
        res.on("end", () => {
          latency[i] = performance.now() - intended;
          if (res.statusCode && res.statusCode < 300) ok += offsets[i] >= warmup ? 1 : 0;
          else failed += offsets[i] >= warmup ? 1 : 0;
          measured[i] = offsets[i] >= warmup ? 1 : 0;
          finish();
        });
      },
    );
    req.on("error", () => {
      failed += offsets[i] >= warmup ? 1 : 0;
      finish();
    });
    req.end(body);
  };
  let resolveAll: () => void;
  const all = new Promise<void>((r) => (resolveAll = r));
  const finish = () => {
    if (++done === offsets.length) resolveAll();
  };

  // One request first, so the schedule starts on an open connection and a warm code path.
  await new Promise<void>((resolve) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: "POST", agent, headers }, (res) => {
      res.resume();
      res.on("end", resolve);
    });
    req.on("error", () => resolve());
    req.end(`${prefix}prime"}`);
  });
  const start = performance.now() + 50;
  let next = 0;
  const pump = () => {
    const now = performance.now();
    while (next < offsets.length && start + offsets[next] * 1000 <= now) {
      send(next, start + offsets[next] * 1000);
      next++;
    }
    if (next >= offsets.length) return;
    const wait = start + offsets[next] * 1000 - performance.now();
    if (wait > 2) setTimeout(pump, wait - 1.5);
    else setImmediate(pump);
  };
  pump();
  await all;
  agent.destroy();

  const lat: number[] = [];
  const lags: number[] = [];
  for (let i = 0; i < offsets.length; i++)
    if (measured[i]) {
      lat.push(latency[i]);
      lags.push(lag[i]);
    }
  // PACED_DUMP=file: each measured request's scheduled offset (s) and latency (ms), one per line, to look for stalls.
  if (process.env.PACED_DUMP) {
    const fs = await import("node:fs");
    const rows: string[] = [];
    for (let i = 0; i < offsets.length; i++) if (measured[i]) rows.push(`${offsets[i].toFixed(6)},${latency[i].toFixed(3)}`);
    fs.writeFileSync(process.env.PACED_DUMP, rows.join("\n"));
  }
  const sl = Float64Array.from(lat).sort();
  const sg = Float64Array.from(lags).sort();
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  const result: PacedResult = {
    rate,
    sent: lat.length + failed,
    ok,
    failed,
    achievedRate: Math.round((lat.length + failed) / seconds),
    latencyMs: { p50: r3(pct(sl, 50)), p90: r3(pct(sl, 90)), p99: r3(pct(sl, 99)), p999: r3(pct(sl, 99.9)), max: r3(sl[sl.length - 1]) },
    sendLagMs: { p50: r3(pct(sg, 50)), p99: r3(pct(sg, 99)), max: r3(sg[sg.length - 1]) },
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`pacedLoad: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
