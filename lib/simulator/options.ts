import { z } from "zod";

/** The model served when none is configured. */
export const DEFAULT_SIMULATOR_MODEL = "assay-sim-1";

/** Simulator settings, one per `assay simulate` flag; the comments give each flag's default. */
export const simulatorOptionsSchema = z.object({
  /** --host: interface to listen on. */
  host: z.string().min(1).default("127.0.0.1"),
  /** --ttft-ms: time to first token, after any queue wait. */
  ttftMs: z.number().min(0).max(600_000).default(40),
  /** --itl-ms: time between later tokens. */
  itlMs: z.number().min(0).max(60_000).default(15),
  /** --jitter: every delay is multiplied by a factor uniform in [1 - jitter, 1 + jitter]. */
  jitter: z.number().min(0).max(1).default(0.2),
  /** --max-concurrency: requests generating at once; later ones wait in a FIFO queue. */
  maxConcurrency: z.number().int().min(1).max(1_000_000).default(64),
  /** --error-rate: probability a request gets an injected error (half 429, half 500). */
  errorRate: z.number().min(0).max(1).default(0),
  /** --stall-rate: probability a request is accepted and then never answered (headers sent, no tokens) until the client gives up. */
  stallRate: z.number().min(0).max(1).default(0),
  /** --seed: makes output text, timing jitter and injected errors reproducible. */
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  /** --model: served model names; the first is used when a request names none. */
  models: z.array(z.string().trim().min(1)).min(1).default([DEFAULT_SIMULATOR_MODEL]),
});

export type SimulatorOptions = z.infer<typeof simulatorOptionsSchema>;

/** Fills defaults and checks ranges; throws an Error naming the first bad option. */
export function resolveSimulatorOptions(input: Partial<SimulatorOptions>): SimulatorOptions {
  const defined = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  const parsed = simulatorOptionsSchema.safeParse(defined);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid simulator option ${issue.path.join(".") || "(options)"}: ${issue.message}`);
  }
  return { ...parsed.data, models: [...new Set(parsed.data.models)] };
}
