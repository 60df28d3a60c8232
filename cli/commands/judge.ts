// `assay judge INPUT --url URL --model M`: scores a file of interactions (the ingestion format: request_id, variant_id,
// user_input, model_output) with an LLM judge on any OpenAI-compatible server, N at a time, with a progress bar. One
// output line per interaction, scores or the error that stopped them (after the client's retries and one repair turn);
// a rerun with the same --output keeps what was scored and judges the rest (failed lines included). A summary per
// variant at the end. The judge's API key comes from an environment variable and is never printed.
import { createHash } from "node:crypto";
import fs from "node:fs";
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { fnv1a32 } from "../../lib/assignment/hash";
import { decimals } from "../../lib/format/number";
import { judgeInteraction } from "../../lib/judge/judge";
import { RateGate } from "../../lib/judge/rateGate";
import { DEFAULT_RUBRIC, rubricDefinitionSchema, type RubricDefinition } from "../../lib/judge/rubric";
import { interactionFileBatches } from "../interactionFile";
import { UsageError, parseNumberFlag } from "../usage";

export interface JudgeFlags {
  perMinute?: number;
  url: string;
  model: string;
  rubric?: string;
  concurrency?: number;
  sample?: number;
  output?: string;
  apiKeyEnv?: string;
  jsonMode?: boolean;
  timeout?: number;
  quiet?: boolean;
}

export interface JudgeLine {
  request_id: string;
  variant_id: string | null;
  scores: Record<string, number> | null;
  reasoning: string | null;
  judge_model: string | null;
  rubric_version: string;
  latency_ms: number;
  prompt_tokens: number;
  completion_tokens: number;
  error: string | null;
}

/** The rubric of --rubric (a JSON file, checked field by field), or the default. */
export function loadRubric(file: string | undefined): { rubric: RubricDefinition; version: string } {
  if (!file) return { rubric: DEFAULT_RUBRIC, version: "default-1" };
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === "ENOENT" ? `--rubric ${file}: no such file.` : `--rubric ${file} is not valid JSON.`);
  }
  const parsed = rubricDefinitionSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new UsageError(`--rubric ${file}: ${i.path.length ? `${i.path.join(".")}: ` : ""}${i.message}.`);
  }
  // A custom rubric's version is its content: the same file always gives the same version, any change a new one.
  const digest = createHash("sha256").update(JSON.stringify(parsed.data)).digest("hex").slice(0, 12);
  return { rubric: parsed.data, version: `sha256:${digest}` };
}

/** The OpenAI base URL of a server root (http://host:8000 -> http://host:8000/v1; one ending in /v1 stays). */
export function judgeBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
    if (!/^https?:$/.test(url.protocol)) throw new Error();
  } catch {
    throw new UsageError(`--url must be an http(s) address of the judge's server, like http://localhost:8000, got "${raw}".`);
  }
  const path = url.pathname.replace(/\/+$/, "");
  return `${url.origin}${path.endsWith("/v1") ? path : `${path}/v1`}`;
}

/** True when the interaction falls in the sample: the same request_id is in or out on every run. */
export function inSample(requestId: string, rate: number): boolean {
  return rate >= 1 || fnv1a32(`judge-sample:${requestId}`) / 2 ** 32 < rate;
}

/** Lines of an earlier run's --output that carry scores (kept; the rest is judged again). */
function scoredBefore(file: string): Map<string, JudgeLine> {
  const kept = new Map<string, JudgeLine>();
  if (!fs.existsSync(file)) return kept;
  fs.readFileSync(file, "utf8")
    .split("\n")
    .forEach((text, i) => {
      if (!text.trim()) return;
      let line: JudgeLine;
      try {
        line = JSON.parse(text);
      } catch {
        throw new UsageError(`--output ${file}: line ${i + 1} is not a line this command wrote; give another --output or remove the file.`);
      }
      if (line.scores && !line.error && typeof line.request_id === "string") kept.set(line.request_id, line);
    });
  return kept;
}

export interface Item {
  requestId: string;
  variantId: string | null;
  userInput: string;
  modelOutput: string;
}

/** The interactions of the file, checked: a request_id each, once, and the texts the judge reads. */
export async function* fileItems(file: string): AsyncGenerator<Item> {
  const seen = new Set<string>();
  for await (const batch of interactionFileBatches(file)) {
    for (let i = 0; i < batch.records.length; i++) {
      const where = `${file}: ${batch.where(i)}`;
      const r = batch.records[i] as Record<string, unknown> | null;
      if (!r || typeof r !== "object" || Array.isArray(r)) throw new UsageError(`${where}: each interaction must be a JSON object.`);
      const requestId = r.request_id;
      if (typeof requestId !== "string" || !requestId) throw new UsageError(`${where}: request_id is missing; each interaction needs one.`);
      if (seen.has(requestId)) throw new UsageError(`${where}: request_id "${requestId.slice(0, 60)}" comes twice; each must be unique.`);
      seen.add(requestId);
      for (const field of ["user_input", "model_output"] as const)
        if (typeof r[field] !== "string" || !(r[field] as string).trim())
          throw new UsageError(`${where}: ${field} must be the text the judge reads; it is missing or empty.`);
      yield {
        requestId,
        variantId: typeof r.variant_id === "string" ? r.variant_id : null,
        userInput: r.user_input as string,
        modelOutput: r.model_output as string,
      };
    }
  }
}

export interface JudgeRunSummary {
  judged: number;
  failed: number;
  kept: number;
  skipped: number;
  byVariant: Map<string, { n: number; failed: number; sums: Record<string, number> }>;
}

export async function runJudge(
  file: string,
  flags: JudgeFlags,
  write: (line: JudgeLine) => void,
  progress?: (done: number, failed: number) => void,
  checked = false,
): Promise<JudgeRunSummary> {
  const baseUrl = judgeBaseUrl(flags.url);
  const { rubric, version } = loadRubric(flags.rubric);
  const envName = flags.apiKeyEnv ?? "ASSAY_JUDGE_API_KEY";
  const apiKey = process.env[envName] || null;
  const target = { baseUrl, apiKey, label: "The judge's server" };
  const kept = flags.output ? scoredBefore(flags.output) : new Map<string, JudgeLine>();
  const summary: JudgeRunSummary = { judged: 0, failed: 0, kept: 0, skipped: 0, byVariant: new Map() };
  const tally = (line: JudgeLine) => {
    const v = line.variant_id ?? "(none)";
    const s = summary.byVariant.get(v) ?? { n: 0, failed: 0, sums: {} };
    if (line.scores) {
      s.n++;
      for (const [k, x] of Object.entries(line.scores)) s.sums[k] = (s.sums[k] ?? 0) + x;
    } else s.failed++;
    summary.byVariant.set(v, s);
  };
  for (const line of kept.values()) {
    tally(line);
    summary.kept++;
  }

  const concurrency = flags.concurrency ?? 16;
  let jsonMode = flags.jsonMode ?? false;
  const gate = flags.perMinute ? new RateGate(flags.perMinute) : null;
  const judgeOne = async (item: Item) => {
    await gate?.take();
    const r = await judgeInteraction(target, rubric, item, {
      model: flags.model,
      jsonMode,
      chat: { timeoutMs: (flags.timeout ?? 60) * 1000 },
    });
    if (r.jsonMode) jsonMode = true;
    const line: JudgeLine = {
      request_id: item.requestId,
      variant_id: item.variantId,
      scores: r.scores,
      reasoning: r.reasoning,
      judge_model: r.model ?? flags.model,
      rubric_version: version,
      latency_ms: Math.round(r.latencyMs),
      prompt_tokens: r.promptTokens,
      completion_tokens: r.completionTokens,
      error: r.error,
    };
    write(line);
    tally(line);
    if (line.error) summary.failed++;
    else summary.judged++;
    progress?.(summary.judged + summary.failed + summary.kept + summary.skipped, summary.failed);
  };

  if (!checked) await checkInput(file);
  const running = new Set<Promise<void>>();
  for await (const item of fileItems(file)) {
    if (kept.has(item.requestId)) continue;
    if (!inSample(item.requestId, flags.sample ?? 1)) {
      summary.skipped++;
      progress?.(summary.judged + summary.failed + summary.kept + summary.skipped, summary.failed);
      continue;
    }
    const p = judgeOne(item).finally(() => running.delete(p));
    running.add(p);
    if (running.size >= concurrency) await Promise.race(running);
  }
  await Promise.all(running);
  return summary;
}

/** The per-variant summary people read at the end. */
export function formatJudgeSummary(s: JudgeRunSummary): string {
  const criteria = [...new Set([...s.byVariant.values()].flatMap((v) => Object.keys(v.sums)))];
  const lines = [
    `${s.judged} judged, ${s.failed} failed${s.kept ? `, ${s.kept} kept from the earlier run` : ""}${s.skipped ? `, ${s.skipped} left out of the sample` : ""}.`,
  ];
  if (criteria.length) {
    lines.push("", ["variant", "scored", "failed", ...criteria.map((c) => `${c} (mean)`)].join("\t"));
    for (const [v, x] of [...s.byVariant.entries()].sort(([a], [b]) => a.localeCompare(b)))
      lines.push([v, x.n, x.failed, ...criteria.map((c) => (x.n ? decimals((x.sums[c] ?? 0) / x.n, 2) : "-"))].join("\t"));
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Checks every interaction of the file before the first judgment (a bad line then costs no calls and writes nothing)
 * and returns how many there are, for the progress bar.
 */
export async function checkInput(file: string): Promise<number> {
  let n = 0;
  for await (const item of fileItems(file)) if (item) n++;
  return n;
}

/** Registers `assay judge`. */
export function registerJudge(program: Command): void {
  program
    .command("judge <input>")
    .description("Score interactions with an LLM judge on any OpenAI-compatible server (helpfulness, clarity, safety 1-5)")
    .requiredOption("--url <url>", "the judge server's root, e.g. http://localhost:8000 (vLLM), or the simulator's")
    .requiredOption("--model <name>", "the judge model, e.g. Llama-4-Maverick-17B-128E-Instruct-FP8")
    .option("--rubric <file>", "a JSON rubric: {name, criteria: [{key, label, description, min, max}], systemPrompt?}")
    .option("--concurrency <n>", "judgments at once (default 16)", parseNumberFlag("--concurrency", { min: 1, max: 1024, integer: true }))
    .option(
      "--sample <rate>",
      "judge this share of the interactions, the same ones on every run (default 1)",
      parseNumberFlag("--sample", { min: 0.0001, max: 1 }),
    )
    .option(
      "--per-minute <n>",
      "at most this many judgments a minute, evenly spaced (a provider's rate limit)",
      parseNumberFlag("--per-minute", { min: 1, max: 1_000_000, integer: true }),
    )
    .option("--output <file>", "write the lines here (a rerun judges only what is missing) instead of to the screen")
    .option("--api-key-env <name>", "the environment variable holding the server's API key (default ASSAY_JUDGE_API_KEY)")
    .option("--json-mode", "ask for a JSON object only, for servers without JSON-schema support (answers are checked all the same)")
    .option("--timeout <seconds>", "per request (default 60)", parseNumberFlag("--timeout", { min: 1, max: 3600 }))
    .option("--quiet", "no progress bar")
    .action(async (input: string, flags: JudgeFlags) => {
      if (!fs.existsSync(input) || !fs.statSync(input).isFile()) throw new UsageError(`${input}: no such file.`);
      judgeBaseUrl(flags.url);
      loadRubric(flags.rubric);
      const total = await checkInput(input);
      const out = flags.output;
      const keptLines = out ? [...scoredBefore(out).values()] : [];
      let fd: number | null = null;
      if (out) {
        // Failed lines of an earlier run are dropped: those interactions are judged again and get a new line.
        const tmp = `${out}.tmp-${process.pid}`;
        fs.writeFileSync(tmp, keptLines.map((l) => `${JSON.stringify(l)}\n`).join(""));
        fs.renameSync(tmp, out);
        fd = fs.openSync(out, "a");
      }
      const bar =
        flags.quiet || !process.stderr.isTTY
          ? null
          : new cliProgress.SingleBar(
              { format: "{bar} {value}/{total} | {failed} failed | {eta_formatted} left", stream: process.stderr },
              cliProgress.Presets.shades_classic,
            );
      bar?.start(total, 0, { failed: 0 });
      try {
        const summary = await runJudge(
          input,
          flags,
          (line) => {
            const text = `${JSON.stringify(line)}\n`;
            if (fd !== null) fs.writeSync(fd, text);
            else process.stdout.write(text);
          },
          (done, failed) => bar?.update(done, { failed }),
          true,
        );
        bar?.stop();
        (out ? process.stdout : process.stderr).write(formatJudgeSummary(summary));
      } finally {
        bar?.stop();
        if (fd !== null) fs.closeSync(fd);
      }
    });
}
