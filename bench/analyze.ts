// bench:analyze — `assay analyze` on a large interactions file: the time and the peak memory of the command on files of
// about 100 MB and 1 GB (JSONL in the ingestion format, 3 variants, a user per two interactions), so that "streams in
// flat memory" is a measured figure: the peak resident memory at 1 GB against the one at 100 MB. The reference, in the
// same run, is Node reading the same file line by line with JSON.parse and nothing else (the floor of any JSONL reader).
// Each figure is one run of a fresh process (GNU time's maximum resident set size), as a user would run the command.
// Usage: npm run bench:analyze [-- --mb 1024]
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { machine } from "./support/stack";

const at = process.argv.indexOf("--mb");
const LARGE_MB = at > 0 ? Number(process.argv[at + 1]) : 1024;
if (!Number.isFinite(LARGE_MB) || LARGE_MB < 10) {
  console.error("--mb must be a number of megabytes, at least 10 (default 1024).");
  process.exit(2);
}
if (!fs.existsSync("/usr/bin/time")) {
  console.error("This benchmark measures peak memory with GNU time: apt-get install -y time");
  process.exit(2);
}

const root = path.resolve(import.meta.dirname, "..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-bench-analyze-"));

/** Writes about `mb` megabytes of interactions (a seeded generator: the same file every run) and returns the line count. */
function writeFile(file: string, mb: number): number {
  const fd = fs.openSync(file, "w");
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed / 2147483648);
  const variants = ["A", "B", "C"];
  let bytes = 0;
  let lines = 0;
  let chunk: string[] = [];
  while (bytes < mb * 1048576) {
    const v = variants[lines % 3];
    const latency = Math.exp(6.3 + 0.35 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
    const line = JSON.stringify({
      request_id: `req-${lines}`,
      user_id: `user-${lines >> 1}`,
      variant_id: v,
      prompt: "How do I reset my password? I tried the link in the email and it said it had expired.",
      response: "Open Settings, choose Security, then Reset password; the new link is valid for 24 hours.",
      latency_ms: Math.round(latency * 100) / 100,
      tokens_in: 20 + Math.floor(random() * 40),
      tokens_out: 30 + Math.floor(random() * 200),
      safety_flag: random() < 0.01,
      user_feedback_score: 1 + Math.floor(random() * 5),
      metrics: { helpfulness: 1 + Math.floor(random() * 5) + (v === "B" ? 0.05 : 0) },
    });
    chunk.push(line);
    bytes += line.length + 1;
    lines++;
    if (chunk.length === 10_000) {
      fs.writeSync(fd, chunk.join("\n") + "\n");
      chunk = [];
    }
  }
  if (chunk.length) fs.writeSync(fd, chunk.join("\n") + "\n");
  fs.closeSync(fd);
  return lines;
}

/** Runs a command under GNU time: wall seconds, peak resident MiB, and its stdout. */
function measure(args: string[]): { seconds: number; peakMiB: number; stdout: string } {
  const report = path.join(dir, "time.txt");
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M", "-o", report, ...args], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1048576,
  });
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr.trim().split("\n").pop()}`);
  const [seconds, kib] = fs.readFileSync(report, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
  return { seconds, peakMiB: kib / 1024, stdout: r.stdout };
}

const reader = path.join(dir, "read-lines.mjs");
fs.writeFileSync(
  reader,
  `import fs from "node:fs"; import readline from "node:readline";
let n = 0; for await (const line of readline.createInterface({ input: fs.createReadStream(process.argv[2]), crlfDelay: Infinity })) { if (line) { JSON.parse(line); n++; } }
console.log(n);`,
);

try {
  const rows: string[] = [];
  for (const mb of [Math.round(LARGE_MB / 10), LARGE_MB]) {
    const file = path.join(dir, `interactions-${mb}.jsonl`);
    const lines = writeFile(file, mb);
    const size = fs.statSync(file).size / 1048576;
    const floor = measure([process.execPath, reader, file]);
    const run = measure([process.execPath, "cli/bin.mjs", "analyze", file, "--metric", "latency_ms", "--kind", "quantile", "--json"]);
    const out = JSON.parse(run.stdout);
    const n = out.variants.reduce((s: number, v: { n: number }) => s + v.n, 0);
    if (n !== lines) throw new Error(`analyze counted ${n} values in a file of ${lines} lines`);
    rows.push(
      `| ${size.toFixed(0)} MB, ${lines.toLocaleString("en-US")} lines | ${run.seconds.toFixed(1)} s, ${(lines / run.seconds / 1000).toFixed(0)}k lines/s | ${run.peakMiB.toFixed(0)} MiB | ${floor.seconds.toFixed(1)} s, ${floor.peakMiB.toFixed(0)} MiB | ${(run.seconds / floor.seconds).toFixed(2)} |`,
    );
    fs.rmSync(file);
  }
  console.log(`machine: ${machine()}; load average ${os.loadavg()[0].toFixed(1)}; ${new Date().toISOString()}`);
  console.log("assay analyze FILE --metric latency_ms --kind quantile --json (Welch, P95 with its CI, rank test, SRM):\n");
  console.log("| file | assay analyze | its peak memory | reference: read + JSON.parse only (time, memory) | time ratio |");
  console.log("|---|---|---|---|---|");
  for (const r of rows) console.log(r);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
