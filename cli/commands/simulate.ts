import { InvalidArgumentError, type Command } from "commander";
import { DEFAULT_SIMULATOR_MODEL, startSimulator, type RunningSimulator } from "../../lib/simulator";
import { parseNumberFlag, UsageError } from "../usage";

interface SimulateFlags {
  port: number;
  host: string;
  ttftMs: number;
  itlMs: number;
  jitter: number;
  maxConcurrency: number;
  errorRate: number;
  stallRate: number;
  seed: number;
  model?: string[];
}

/** Commander parser for --model: each use may be a comma list; names are trimmed and must be non-empty. */
function collectModels(raw: string, previous: string[] | undefined): string[] {
  const names = raw.split(",").map((name) => name.trim());
  if (names.some((name) => name === "")) {
    throw new InvalidArgumentError(`--model needs non-empty model names, got "${raw}".`);
  }
  return [...(previous ?? []), ...names];
}

/** Resolves with the first SIGINT or SIGTERM, then stops listening for them. */
function waitForStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

function describe(sim: RunningSimulator): string {
  const o = sim.options;
  return [
    `Assay simulator listening on ${sim.url}`,
    `  OpenAI base URL: ${sim.url}/v1`,
    `  models: ${o.models.join(", ")} (requests without "model" get ${o.models[0]})`,
    `  ttft ${o.ttftMs} ms, itl ${o.itlMs} ms, jitter ±${Math.round(o.jitter * 1000) / 10}%, max concurrency ${o.maxConcurrency}, error rate ${o.errorRate}${o.stallRate ? `, stall rate ${o.stallRate}` : ""}, seed ${o.seed}`,
    "Press Ctrl+C to stop.",
    "",
  ].join("\n");
}

/** `assay simulate`: serves an OpenAI-compatible simulated LLM until SIGINT/SIGTERM, then closes and exits 0. */
export function registerSimulate(program: Command): void {
  program
    .command("simulate")
    .description("Serve a simulated OpenAI-compatible LLM API (chat, completions, streaming, judge JSON) for demos and tests")
    .option("--port <n>", "port to listen on (0 picks a free one)", parseNumberFlag("--port", { min: 0, max: 65535, integer: true }), 8000)
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option("--ttft-ms <ms>", "time to first token, after any queue wait", parseNumberFlag("--ttft-ms", { min: 0, max: 600_000 }), 40)
    .option("--itl-ms <ms>", "time between later tokens", parseNumberFlag("--itl-ms", { min: 0, max: 60_000 }), 15)
    .option(
      "--jitter <fraction>",
      "each delay is multiplied by a factor uniform in [1-j, 1+j]",
      parseNumberFlag("--jitter", { min: 0, max: 1 }),
      0.2,
    )
    .option(
      "--max-concurrency <n>",
      "requests generating at once; the rest wait in a FIFO queue",
      parseNumberFlag("--max-concurrency", { min: 1, max: 1_000_000, integer: true }),
      64,
    )
    .option(
      "--error-rate <p>",
      "probability of an injected error (half 429, half 500)",
      parseNumberFlag("--error-rate", { min: 0, max: 1 }),
      0,
    )
    .option(
      "--stall-rate <p>",
      "probability a request is accepted and never answered (to test client timeouts)",
      parseNumberFlag("--stall-rate", { min: 0, max: 1 }),
      0,
    )
    .option(
      "--seed <n>",
      "seed for output text, jitter and injected errors",
      parseNumberFlag("--seed", { min: 0, max: 0xffffffff, integer: true }),
      1,
    )
    .option(
      "--model <name>",
      `served model name; repeat or comma-separate for several (default "${DEFAULT_SIMULATOR_MODEL}")`,
      collectModels,
    )
    .action(async (flags: SimulateFlags) => {
      if (flags.host.trim() === "") throw new UsageError("--host must not be empty.");
      let sim: RunningSimulator;
      try {
        sim = await startSimulator({
          port: flags.port,
          host: flags.host,
          ttftMs: flags.ttftMs,
          itlMs: flags.itlMs,
          jitter: flags.jitter,
          maxConcurrency: flags.maxConcurrency,
          errorRate: flags.errorRate,
          stallRate: flags.stallRate,
          seed: flags.seed,
          models: flags.model ?? [DEFAULT_SIMULATOR_MODEL],
        });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        throw new Error(message.includes("already in use") ? `${message} Pick another with --port.` : message);
      }
      process.stdout.write(describe(sim));
      const signal = await waitForStopSignal();
      await sim.close();
      const stats = sim.stats();
      process.stdout.write(
        `Stopped on ${signal} after ${stats.requests} requests (${stats.completed} completed, ${stats.rateLimited + stats.serverErrors} injected errors).\n`,
      );
    });
}
