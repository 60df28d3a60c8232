// `assay harness`: a load test of an OpenAI-compatible server. It takes every flag of varcas's load harness with the
// same meaning (--url is the server root, --profile its profile names, --trace a trace or a previous results file,
// --save-trace and --output its file formats), and vLLM bench's names where they fit (--request-rate, --burstiness,
// --max-concurrency, --num-prompts, --goodput, --metric-percentiles). A live bar shows sent, done, failed, the current
// rate and the median latency so far; the summary at the end flags a client-bound run.
import fs from "node:fs";
import path from "node:path";
import cliProgress from "cli-progress";
import { InvalidArgumentError, type Command } from "commander";
import { ARRIVAL_PROCESSES, type ArrivalProcess } from "../../lib/harness/arrivals";
import { firstModel, HarnessError, runHarness, type AssaySection, type HarnessOptions } from "../../lib/harness/harness";
import { builtInProfile, parseCustomProfile, PROFILE_NAMES, type Profile } from "../../lib/harness/profiles";
import { readTrace, TRACE_FORMATS, TraceFormatError, writeVarcasTrace, type TraceFormat } from "../../lib/harness/traces";
import type { TraceRequest } from "../../lib/harness/types";
import { runSweep, type SweepResult } from "../../lib/harness/sweep";
import { parseGoodput, parsePercentiles } from "./report";
import { ExitWith, parseNumberFlag, UsageError } from "../usage";

interface HarnessFlags {
  url: string;
  model?: string;
  apiKey?: string;
  endpoint: "chat" | "completions";
  profile?: string;
  duration?: number;
  numPrompts?: number;
  requestRate?: number;
  concurrentUsers?: number;
  arrival?: ArrivalProcess;
  burstiness?: number;
  seed: number;
  trace?: string;
  traceFormat?: TraceFormat;
  timeScale: number;
  saveTrace?: string;
  output?: string;
  maxContext?: number;
  contextMargin: number;
  temperature?: number;
  maxTokens?: number;
  ignoreEos?: boolean;
  maxConcurrency?: number;
  goodput?: string[];
  metricPercentiles?: string;
  timeout: number;
  warmup: number;
  cooldown: number;
  drain: number;
  json?: boolean;
  quiet?: boolean;
  sweep?: number;
}

const choice =
  <T extends string>(flag: string, allowed: readonly T[]) =>
  (raw: string): T => {
    if (!(allowed as readonly string[]).includes(raw))
      throw new InvalidArgumentError(`${flag} must be one of ${allowed.join(", ")}; got "${raw}".`);
    return raw as T;
  };

function loadProfile(name: string): Profile {
  const builtIn = builtInProfile(name);
  if (builtIn) return builtIn;
  if (!name.endsWith(".json"))
    throw new UsageError(`--profile: no profile "${name}". Built in: ${PROFILE_NAMES.join(", ")}; or give a .json file.`);
  let text: string;
  try {
    text = fs.readFileSync(name, "utf8");
  } catch {
    throw new UsageError(`--profile: cannot read ${name}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`--profile: ${name} is not valid JSON.`);
  }
  try {
    return parseCustomProfile(json, path.basename(name));
  } catch (err) {
    throw new UsageError(`--profile: ${(err as Error).message}`);
  }
}

/** Reads a whole trace before the run starts: a bad line stops the command before anything is sent. */
async function loadTrace(file: string, format?: TraceFormat, limit?: number) {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(`--trace: no such file ${file}.`);
  try {
    const trace = await readTrace(file, { format, name: path.basename(file) });
    const requests: TraceRequest[] = [];
    for await (const r of trace.requests) {
      requests.push(r);
      if (limit !== undefined && requests.length >= limit) break;
    }
    return { requests, hasTimestamps: trace.hasTimestamps, format: trace.format, name: path.basename(file), notes: trace.notes };
  } catch (err) {
    if (err instanceof TraceFormatError) throw new UsageError(`--trace: ${err.message}`);
    throw err;
  }
}

const ms = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? `${v.toFixed(1)} ms` : "-");

/** The summary printed at the end of a run. */
export function formatHarnessSummary(file: Awaited<ReturnType<typeof runHarness>>["file"]): string {
  const a = file.assay as AssaySection;
  const m = a.metrics;
  const lines: string[] = [];
  const errors = Object.entries(m.errors).filter(([, n]) => n > 0);
  lines.push(
    `${file.records.length} sent: ${m.successful} ok, ${m.failed} failed` +
      `${errors.length ? ` (${errors.map(([c, n]) => `${c} ${n}`).join(", ")})` : ""}, ${m.inFlight} still in flight at the end` +
      `${a.notSent ? `, ${a.notSent} never sent` : ""}.`,
  );
  if (a.targetRate !== null) {
    lines.push(`Rate: ${Number(a.achievedRate ?? 0).toFixed(1)} requests/s achieved of ${Number(a.targetRate).toFixed(1)} scheduled.`);
    lines.push(`Schedule lag: p50 ${ms(a.scheduleLagMs.p50)}, p99 ${ms(a.scheduleLagMs.p99)}; slot wait p99 ${ms(a.slotWaitMs.p99)}.`);
  }
  lines.push(`Client CPU: ${Math.round(Number(a.clientCpuCores) * 100)}% of one core.`);
  const v = file.metrics;
  lines.push(
    "",
    "metric\tp50\tp99",
    `TTFT\t${ms(v.ttft_p50_ms)}\t${ms(v.ttft_p99_ms)}`,
    `TPOT\t${ms(v.tpot_p50_ms)}\t${ms(v.tpot_p99_ms)}`,
    `latency\t${ms(v.latency_p50_ms)}\t${ms(v.latency_p99_ms)}`,
    "",
    `Throughput (varcas's definition): ${v.throughput_rps.toFixed(2)} requests/s, ${v.throughput_tok_s.toFixed(1)} tokens/s.`,
  );
  if (a.flags.includes("CLIENT_BOUND")) {
    lines.push(
      "",
      `CLIENT_BOUND: ${a.flagReasons.join("; ")}. This machine, not the server, limited the run: its latencies are not the server's.`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The sweep's table and its throughput-latency curve, as text. */
export function formatSweep(result: SweepResult): string {
  const f = (v: number | null, d = 1) => (v === null ? "-" : v.toFixed(d));
  const lines = ["step\tsent/s\tthroughput/s\ttokens/s\tTTFT p50\tTTFT p99\tlatency p50\tlatency p99\tfailed"];
  for (const s of result.steps)
    lines.push(
      [
        s.name,
        f(s.sentRps, 2),
        f(s.throughputRps, 2),
        f(s.outputTokensPerS, 0),
        f(s.ttftP50Ms),
        f(s.ttftP99Ms),
        f(s.e2eP50Ms),
        f(s.e2eP99Ms),
        s.failed,
      ].join("\t") + (s.saturated ? `\tOVER-SATURATED: ${s.reason}` : ""),
    );
  if (result.failedReason) lines.push(`Stopped early: ${result.failedReason}.`);
  if (result.skippedRates.length)
    lines.push(`Not run (an earlier step was over-saturated): ${result.skippedRates.map((r) => `${r.toFixed(1)}/s`).join(", ")}.`);
  // The curve: latency p50 against throughput, one row per step, bars scaled to the slowest.
  const worst = Math.max(...result.steps.map((s) => s.e2eP50Ms ?? 0), 1);
  lines.push("", "Throughput-latency curve (median latency by throughput):");
  for (const s of [...result.steps].sort((a, b) => a.throughputRps - b.throughputRps))
    lines.push(
      `${f(s.throughputRps, 1).padStart(9)}/s ${"#".repeat(Math.max(1, Math.round(((s.e2eP50Ms ?? 0) / worst) * 40)))} ${f(s.e2eP50Ms, 0)} ms`,
    );
  return `${lines.join("\n")}\n`;
}

async function sweep(options: HarnessOptions, flags: HarnessFlags): Promise<void> {
  const result = await runSweep({ ...options, durationS: flags.duration! }, flags.sweep!, {
    onStep: (s) => {
      if (!flags.quiet && !flags.json)
        process.stderr.write(`step ${s.name}: ${s.throughputRps.toFixed(2)}/s, latency p50 ${s.e2eP50Ms ?? "-"} ms\n`);
    },
  });
  if (flags.output) {
    const tmp = `${flags.output}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify({ sweep: result.steps, skippedRates: result.skippedRates, runs: result.files }, null, 2));
    fs.renameSync(tmp, flags.output);
  }
  if (flags.json) process.stdout.write(`${JSON.stringify({ sweep: result.steps, skippedRates: result.skippedRates }, null, 2)}\n`);
  else process.stdout.write(formatSweep(result));
}

/** Registers `assay harness`. */
export function registerHarness(program: Command): void {
  program
    .command("harness")
    .description("Load-test an OpenAI-compatible server (vLLM, Llama API, Ollama, the simulator), varcas-compatible")
    .requiredOption("--url <url>", "the server's root, e.g. http://localhost:8000 (as varcas's --url)")
    .option("--model <name>", "the model to ask for (default: the first that /v1/models lists)")
    .option("--api-key <key>", "the server's API key (default: $ASSAY_HARNESS_API_KEY); never printed or saved")
    .option(
      "--endpoint <kind>",
      "completions (/v1/completions) or chat (/v1/chat/completions)",
      choice("--endpoint", ["completions", "chat"] as const),
      "completions",
    )
    .option("--profile <name|file.json>", `a workload profile: ${PROFILE_NAMES.join(", ")}, or a JSON file (default chat_medium)`)
    .option(
      "--duration <seconds>",
      "stop sending after this long (default: the profile's, 60 s)",
      parseNumberFlag("--duration", { min: 0.001, max: 86_400 }),
    )
    .option("--num-prompts <n>", "send this many requests", parseNumberFlag("--num-prompts", { min: 1, max: 10_000_000, integer: true }))
    .option(
      "--request-rate <r>",
      "open loop at this many requests/s (default: the profile's)",
      parseNumberFlag("--request-rate", { min: 0.001, max: 100_000 }),
    )
    .option(
      "--concurrent-users <n>",
      "closed loop: this many users, each sending when its last answer ends",
      parseNumberFlag("--concurrent-users", { min: 1, max: 100_000, integer: true }),
    )
    .option("--arrival <process>", "arrival process: poisson, constant or gamma", choice("--arrival", ARRIVAL_PROCESSES))
    .option(
      "--burstiness <b>",
      "gamma shape: 1 is Poisson, below 1 burstier (vLLM's --burstiness)",
      parseNumberFlag("--burstiness", { min: 0.001, max: 100 }),
    )
    .option(
      "--seed <n>",
      "seed for prompts and arrivals (the same seed gives the same run)",
      parseNumberFlag("--seed", { min: 0, max: 0xffffffff, integer: true }),
      42,
    )
    .option("--trace <file>", "replay a trace: varcas trace or results, Azure, BurstGPT, Mooncake, ShareGPT, CSV or JSONL")
    .option("--trace-format <format>", `force the trace's format: ${TRACE_FORMATS.join(", ")}`, choice("--trace-format", TRACE_FORMATS))
    .option(
      "--time-scale <x>",
      "replay a trace's timestamps this many times faster",
      parseNumberFlag("--time-scale", { min: 0.001, max: 10_000 }),
      1,
    )
    .option("--save-trace <file>", "write the requests sent as a varcas trace, to replay them later")
    .option("--output <file>", "write the results (varcas's format, with Assay's section)")
    .option(
      "--max-context <tokens>",
      "the model's context: prompts and answers are fitted into it",
      parseNumberFlag("--max-context", { min: 2, max: 10_000_000, integer: true }),
    )
    .option(
      "--context-margin <tokens>",
      "tokens kept free below --max-context",
      parseNumberFlag("--context-margin", { min: 0, max: 1_000_000, integer: true }),
      50,
    )
    .option("--temperature <t>", "overrides the trace's temperature", parseNumberFlag("--temperature", { min: 0, max: 2 }))
    .option(
      "--max-tokens <n>",
      "overrides every request's max_tokens",
      parseNumberFlag("--max-tokens", { min: 1, max: 1_000_000, integer: true }),
    )
    .option("--ignore-eos", "ask the server to generate max_tokens whatever it would stop at (vLLM)")
    .option(
      "--max-concurrency <n>",
      "at most this many requests in flight; the wait for a slot is measured",
      parseNumberFlag("--max-concurrency", { min: 1, max: 100_000, integer: true }),
    )
    .option("--goodput <slo...>", "SLOs for goodput in ms, e.g. ttft:200 tpot:50 e2el:5000")
    .option("--metric-percentiles <list>", "percentiles to report, e.g. 50,95,99")
    .option(
      "--timeout <seconds>",
      "longest silence allowed from the server, per request",
      parseNumberFlag("--timeout", { min: 0.1, max: 3600 }),
      60,
    )
    .option(
      "--warmup <seconds>",
      "leave requests of the first seconds out of Assay's metrics",
      parseNumberFlag("--warmup", { min: 0, max: 86_400 }),
      0,
    )
    .option(
      "--cooldown <seconds>",
      "leave requests of the last seconds out of Assay's metrics",
      parseNumberFlag("--cooldown", { min: 0, max: 86_400 }),
      0,
    )
    .option(
      "--drain <seconds>",
      "after the last send, wait this long for answers (the rest are in flight)",
      parseNumberFlag("--drain", { min: 0, max: 86_400 }),
      60,
    )
    .option(
      "--sweep <steps>",
      "a sweep of this many steps, each --duration long: synchronous, throughput, then rates between (stops when over-saturated)",
      parseNumberFlag("--sweep", { min: 3, max: 50, integer: true }),
    )
    .option("--json", "print the results' metrics and Assay's section as JSON instead of the summary")
    .option("--quiet", "no progress bar")
    .action(async (flags: HarnessFlags) => {
      if (flags.trace && flags.profile) throw new UsageError("give --profile or --trace, not both.");
      if (flags.requestRate && flags.concurrentUsers)
        throw new UsageError("give --request-rate (open loop) or --concurrent-users (closed loop), not both.");
      try {
        new URL(flags.url);
      } catch {
        throw new UsageError(`--url must be a URL such as http://localhost:8000, got "${flags.url}".`);
      }
      if (flags.output && fs.existsSync(flags.output) && fs.statSync(flags.output).isDirectory())
        throw new UsageError(`--output ${flags.output} is a folder.`);
      const profile = flags.trace ? undefined : loadProfile(flags.profile ?? "chat_medium");
      const trace = flags.trace ? await loadTrace(flags.trace, flags.traceFormat) : undefined;
      const apiKey = flags.apiKey ?? process.env.ASSAY_HARNESS_API_KEY ?? null;
      const options: HarnessOptions = {
        url: flags.url,
        apiKey,
        model: "",
        endpoint: flags.endpoint,
        profile,
        trace,
        durationS: flags.duration ?? null,
        numPrompts: flags.numPrompts ?? null,
        requestRate: flags.requestRate ?? null,
        concurrentUsers: flags.concurrentUsers ?? null,
        arrival: flags.arrival ?? null,
        burstiness: flags.burstiness ?? null,
        seed: flags.seed,
        timeScale: flags.timeScale,
        maxConcurrency: flags.maxConcurrency ?? null,
        context: flags.maxContext ? { maxContext: flags.maxContext, margin: flags.contextMargin } : null,
        overrides: { temperature: flags.temperature, maxTokens: flags.maxTokens, ignoreEos: flags.ignoreEos ? true : undefined },
        timeoutMs: flags.timeout * 1000,
        warmupS: flags.warmup,
        cooldownS: flags.cooldown,
        drainS: flags.drain,
        slo: flags.goodput ? parseGoodput(flags.goodput) : null,
        percentiles: flags.metricPercentiles ? parsePercentiles(flags.metricPercentiles) : undefined,
      };
      if (flags.sweep) {
        if (!flags.duration) throw new UsageError("--sweep needs --duration: how long each step runs.");
        if (flags.requestRate || flags.concurrentUsers || flags.numPrompts)
          throw new UsageError("--sweep picks the rates itself: leave out --request-rate, --concurrent-users and --num-prompts.");
      }
      try {
        options.model = flags.model ?? (await firstModel(flags.url, apiKey));
        if (flags.sweep) return await sweep(options, flags);
        const bar =
          flags.quiet || !process.stderr.isTTY
            ? null
            : new cliProgress.SingleBar(
                {
                  format: "{bar} {value}/{total} sent | {done} done | {failed} failed | {rate}/s | p50 {p50}",
                  stream: process.stderr,
                },
                cliProgress.Presets.shades_classic,
              );
        const controller = new AbortController();
        const onSigint = () => controller.abort();
        process.once("SIGINT", onSigint);
        let result: Awaited<ReturnType<typeof runHarness>>;
        try {
          result = await runHarness({
            ...options,
            signal: controller.signal,
            onPlan: (p) => bar?.start(p.total, 0, { done: 0, failed: 0, rate: "0", p50: "-" }),
            onProgress: (p) =>
              bar?.update(p.sent, {
                done: p.done,
                failed: p.failed,
                rate: p.currentRate.toFixed(0),
                p50: p.p50Ms === null ? "-" : `${p.p50Ms.toFixed(0)} ms`,
              }),
          });
        } finally {
          bar?.stop();
          process.off("SIGINT", onSigint);
        }
        if (flags.saveTrace) {
          await writeVarcasTrace(flags.saveTrace, result.plan.requests, {
            source: "varcas_load_harness",
            total_requests: result.plan.requests.length,
            profile: result.plan.profileName,
            original_duration_seconds: Math.round((result.run.scheduleEndMs - result.run.startedAtMs) / 1000),
            exported_at: result.file.end_time,
          });
        }
        if (flags.output) {
          const tmp = `${flags.output}.tmp-${process.pid}`;
          fs.writeFileSync(tmp, JSON.stringify(result.file, null, 2));
          fs.renameSync(tmp, flags.output);
        }
        if (flags.json)
          process.stdout.write(`${JSON.stringify({ varcas: result.file.metrics, assay: { ...result.file.assay } }, null, 2)}\n`);
        else process.stdout.write(formatHarnessSummary(result.file));
        if (result.run.aborted) throw new ExitWith(130, "Stopped by Ctrl-C: requests still running are recorded as in flight.");
      } catch (err) {
        if (err instanceof HarnessError) throw new UsageError(err.message);
        throw err;
      }
    });
}
