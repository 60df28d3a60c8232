// Synthetic requests from a profile, reproducible from a seed: request i draws its workload, its lengths and its words
// from an RNG seeded with (seed, i) alone, so the same seed gives the same prompts whatever the run's order or shards.
// Prompts read like varcas's ("User: ... .\nAssistant:" for chat), from a fixed vocabulary of words that are one token
// each in common tokenizers, so a prompt of N words is close to N tokens; the server's usage gives the true count.
import { hashString, mulberry32, type Random } from "@/lib/simulator/random";
import type { Profile, WorkloadSpec } from "./profiles";
import type { TraceRequest } from "./types";

const VOCABULARY = (
  "the of and to in is you that it he was for on are as with his they at be this have from or one had by word but not " +
  "what all were we when your can said there use an each which she do how their if will up other about out many then " +
  "them these so some her would make like him into time has look two more write go see number no way could people my " +
  "than first water been call who oil its now find long down day did get come made may part over new sound take only " +
  "little work know place year live me back give most very after thing our just name good sentence man think say great " +
  "where help through much before line right too mean old any same tell boy follow came want show also around form three " +
  "small set put end does another well large must big even such because turn here why ask went men read need land " +
  "different home us move try kind hand picture again change off play spell air away animal house point page letter " +
  "mother answer found study still learn should world high every near add food between own below country plant last " +
  "school father keep tree never start city earth eye light thought head under story saw left few while along might " +
  "close something seem next hard open example begin life always those both paper together got group often run"
).split(" ");

const CODE_TASKS = [
  "Write a function that",
  "Refactor this code so that it",
  "Add tests for a module that",
  "Explain and fix a bug in a function that",
];

/** A log-normal length with the spec's mean (see profiles.ts), clipped to [min, max]. */
export function drawLength(random: Random, spec: { mean: number; sigma: number; min: number; max: number }): number {
  // Box-Muller from exactly two uniforms, so every length costs the stream the same two draws.
  const u1 = Math.max(random(), Number.MIN_VALUE);
  const u2 = random();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  const value = Math.round(spec.mean * Math.exp(spec.sigma * z - (spec.sigma * spec.sigma) / 2));
  return Math.min(spec.max, Math.max(spec.min, value));
}

function words(random: Random, count: number): string {
  const out: string[] = new Array(Math.max(1, count));
  for (let i = 0; i < out.length; i++) out[i] = VOCABULARY[Math.floor(random() * VOCABULARY.length)];
  return out.join(" ");
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A prompt of about `tokens` tokens for a workload type (the template's own words are counted in). */
export function synthesisePrompt(random: Random, type: WorkloadSpec["type"] | string, tokens: number): string {
  if (type === "rag") {
    const question = Math.min(20, Math.max(3, Math.round(tokens * 0.05)));
    const context = Math.max(1, tokens - question - 8);
    return `Context: ${capitalised(words(random, context))}.\n\nQuestion: ${capitalised(words(random, question))}?\nAnswer:`;
  }
  if (type === "code") {
    const task = CODE_TASKS[Math.floor(random() * CODE_TASKS.length)];
    const taskTokens = task.split(" ").length;
    return `User: ${task} ${words(random, Math.max(1, tokens - taskTokens - 4))}.\nAssistant:`;
  }
  // "User:" and ".\nAssistant:" cost about four tokens.
  return `User: ${capitalised(words(random, Math.max(1, tokens - 4)))}.\nAssistant:`;
}

/** Request i's RNG: depends on (seed, i) only. */
export function requestRng(seed: number, index: number): Random {
  return mulberry32(hashString(`assay-harness:${seed}:${index}`));
}

export interface ContextLimit {
  /** The model's context window in tokens (varcas's --max-context). */
  maxContext: number;
  /** Tokens kept free below it (varcas's --context-margin). */
  margin: number;
}

/** Input and output lengths fitted into the context: the prompt is cut first to leave room for at least 1 answer token, then the answer. */
export function fitContext(input: number, output: number, limit: ContextLimit | null): { input: number; output: number } {
  if (!limit) return { input, output };
  const room = Math.max(2, limit.maxContext - limit.margin);
  const fittedInput = Math.min(input, room - 1);
  return { input: fittedInput, output: Math.max(1, Math.min(output, room - fittedInput)) };
}

/** The profile's request i at offset `timestamp` (seconds). */
export function synthesiseRequest(
  profile: Profile,
  seed: number,
  index: number,
  timestamp: number,
  limit: ContextLimit | null = null,
): TraceRequest {
  const random = requestRng(seed, index);
  const total = profile.workloads.reduce((sum, w) => sum + w.weight, 0);
  let pick = random() * total;
  let workload = profile.workloads[profile.workloads.length - 1];
  for (const w of profile.workloads) {
    pick -= w.weight;
    if (pick < 0) {
      workload = w;
      break;
    }
  }
  const lengths = fitContext(drawLength(random, workload.input), drawLength(random, workload.output), limit);
  return {
    timestamp,
    prompt: synthesisePrompt(random, workload.type, lengths.input),
    maxTokens: lengths.output,
    workloadType: workload.name,
    inputTokens: lengths.input,
    outputTokens: lengths.output,
  };
}

/** A prompt for a trace request that gives only lengths (Azure, BurstGPT, Mooncake), reproducible from (seed, index). */
export function promptForLengths(seed: number, index: number, inputTokens: number, type = "chat"): string {
  return synthesisePrompt(requestRng(seed, index), type, Math.max(1, inputTokens));
}
