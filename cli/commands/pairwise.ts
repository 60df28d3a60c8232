// `assay pairwise INPUT --url URL --model M --a X --b Y`: the judge compares variant X's and variant Y's outputs for the
// same user inputs (INPUT in the ingestion format: request_id, variant_id, user_input, model_output; pairs are matched on
// the user input, one per distinct input), each pair in both orders to cancel the judge's position bias. Prints X's win
// rate against Y with Wilson's 95% interval, the sign test, ties, the position-bias rate and the failed pairs
// (lib/judge/pairwiseRun.ts); `--json` prints the same as one object.
import cliProgress from "cli-progress";
import fs from "node:fs";
import type { Command } from "commander";
import { judgePairs, pairByInput, pairwiseSentence } from "../../lib/judge/pairwiseRun";
import { RateGate } from "../../lib/judge/rateGate";
import { UsageError, parseNumberFlag } from "../usage";
import { fileItems, judgeBaseUrl } from "./judge";

export interface PairwiseFlags {
  url: string;
  model: string;
  a: string;
  b: string;
  criterion?: string;
  concurrency?: number;
  perMinute?: number;
  maxPairs?: number;
  apiKeyEnv?: string;
  timeout?: number;
  json?: boolean;
  quiet?: boolean;
}

export async function runPairwise(file: string, flags: PairwiseFlags, progress?: (done: number, total: number) => void) {
  if (flags.a === flags.b) throw new UsageError(`--a and --b must name two different variants, got "${flags.a}" twice.`);
  const rows: { input: string; output: string; variant: string; id: string }[] = [];
  const variants = new Set<string>();
  for await (const item of fileItems(file)) {
    if (item.variantId) variants.add(item.variantId);
    if (item.variantId === flags.a || item.variantId === flags.b)
      rows.push({ input: item.userInput, output: item.modelOutput, variant: item.variantId, id: item.requestId });
  }
  for (const v of [flags.a, flags.b])
    if (!variants.has(v))
      throw new UsageError(`${file}: no interaction has variant_id "${v}" (the file has ${[...variants].sort().join(", ") || "none"}).`);
  const pairs = pairByInput(rows, flags.a, flags.b).slice(0, flags.maxPairs ?? Infinity);
  if (pairs.length === 0)
    throw new UsageError(`${file}: no user input was answered by both ${flags.a} and ${flags.b}; pairs need the same input on both sides.`);
  const apiKey = process.env[flags.apiKeyEnv ?? "ASSAY_JUDGE_API_KEY"] || null;
  const target = { baseUrl: judgeBaseUrl(flags.url), apiKey, label: "The judge's server" };
  const { report } = await judgePairs(target, pairs, {
    model: flags.model,
    criterion: flags.criterion,
    concurrency: flags.concurrency ?? 8,
    gate: flags.perMinute ? new RateGate(flags.perMinute) : null,
    timeoutMs: (flags.timeout ?? 60) * 1000,
    progress,
  });
  return { a: flags.a, b: flags.b, ...report };
}

/** Registers `assay pairwise`. */
export function registerPairwise(program: Command): void {
  program
    .command("pairwise <input>")
    .description("Compare two variants' answers to the same inputs with an LLM judge, in both orders: win rate, sign test, position bias")
    .requiredOption("--url <url>", "the judge server's root, e.g. http://localhost:8000 (vLLM), or the simulator's")
    .requiredOption("--model <name>", "the judge model, e.g. Llama-4-Maverick-17B-128E-Instruct-FP8")
    .requiredOption("--a <variant>", "the variant whose win rate is reported (its variant_id)")
    .requiredOption("--b <variant>", "the variant it is compared with (often the control)")
    .option("--criterion <text>", 'what "better" means (default: overall quality: helpfulness, clarity and safety)')
    .option(
      "--concurrency <n>",
      "pairs at once, two requests each (default 8)",
      parseNumberFlag("--concurrency", { min: 1, max: 512, integer: true }),
    )
    .option(
      "--per-minute <n>",
      "at most this many judge requests a minute, evenly spaced (a provider's rate limit)",
      parseNumberFlag("--per-minute", { min: 1, max: 1_000_000, integer: true }),
    )
    .option("--max-pairs <n>", "judge at most this many pairs", parseNumberFlag("--max-pairs", { min: 1, max: 1_000_000, integer: true }))
    .option("--api-key-env <name>", "the environment variable holding the server's API key (default ASSAY_JUDGE_API_KEY)")
    .option("--timeout <seconds>", "per request (default 60)", parseNumberFlag("--timeout", { min: 1, max: 3600 }))
    .option("--json", "print the result as one JSON object")
    .option("--quiet", "no progress bar")
    .action(async (input: string, flags: PairwiseFlags) => {
      if (!fs.existsSync(input) || !fs.statSync(input).isFile()) throw new UsageError(`${input}: no such file.`);
      judgeBaseUrl(flags.url);
      const bar =
        flags.quiet || !process.stderr.isTTY
          ? null
          : new cliProgress.SingleBar(
              { format: "{bar} {value}/{total} pairs | {eta_formatted} left", stream: process.stderr },
              cliProgress.Presets.shades_classic,
            );
      let started = false;
      try {
        const result = await runPairwise(input, flags, (done, total) => {
          if (!started) bar?.start(total, 0);
          started = true;
          bar?.update(done);
        });
        bar?.stop();
        process.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : `${pairwiseSentence(flags.a, flags.b, result)}\n`);
      } finally {
        bar?.stop();
      }
    });
}
