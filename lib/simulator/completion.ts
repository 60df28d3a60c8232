import { extractJudgedText, extractPair, pairwiseVerdict } from "./judge";
import type { Random } from "./random";
import type { Endpoint, SimulatedRequest } from "./requests";
import { structuredAnswer } from "./structured";
import { composeAnswer, extendWithSentences, naturalLengthTarget, randomSentence } from "./text";
import { splitTokens } from "./tokens";

/** max_tokens when the client sets none: 16 for /v1/completions (as OpenAI), 1024 for chat (only ignore_eos reaches it). */
export const DEFAULT_MAX_TOKENS: Record<Endpoint, number> = { completions: 16, chat: 1024 };

export type FinishReason = "stop" | "length";

/** What the simulated model answers: the text, its tokens (one streamed chunk each) and the usage numbers. */
export interface CompletionPlan {
  text: string;
  tokens: string[];
  finishReason: FinishReason;
  promptTokens: number;
  completionTokens: number;
}

/** A judge-like prompt asks to score, rate, grade, judge or evaluate. */
export function looksLikeJudgePrompt(prompt: string): boolean {
  return /\b(scor|rate|rating|grad|judg|evaluat)\w*/i.test(prompt);
}

/** A pairwise schema: a "winner" property whose values include A and B. */
function asksForWinner(schema: { [keyword: string]: unknown }): boolean {
  const winner = (schema.properties as Record<string, { enum?: unknown[] }> | undefined)?.winner;
  return Array.isArray(winner?.enum) && winner.enum.includes("A") && winner.enum.includes("B");
}

/** The JSON answer text for a json_object / json_schema request (see structuredAnswer). */
function structuredText(request: SimulatedRequest, random: Random): string {
  const format = request.responseFormat;
  const judged = extractJudgedText(request.judgedSource);
  const pair = format.type === "json_schema" && asksForWinner(format.schema) ? extractPair(request.judgedSource) : null;
  if (pair) return JSON.stringify(pairwiseVerdict(pair.a, pair.b, random));
  if (format.type === "json_schema") return JSON.stringify(structuredAnswer(format.schema, judged, random));
  if (looksLikeJudgePrompt(request.judgedSource)) return JSON.stringify(structuredAnswer(undefined, judged, random));
  return JSON.stringify({ answer: randomSentence(random) });
}

/**
 * Plans one completion from the request's RNG. Text: composeAnswer at naturalLengthTarget tokens (completions start with
 * a space, as a continuation). The cap is max_tokens, else DEFAULT_MAX_TOKENS. Without ignore_eos the answer is cut at
 * the cap; with ignore_eos sentences continue until exactly cap tokens. finish_reason is "length" when the cap was hit,
 * else "stop". Structured answers are JSON, cut at the cap like text but never padded (ignore_eos does not apply).
 * completion_tokens = number of tokens = countTokens(text).
 */
export function planCompletion(request: SimulatedRequest, random: Random): CompletionPlan {
  const cap = request.maxTokens ?? DEFAULT_MAX_TOKENS[request.endpoint];
  let tokens: string[];
  if (request.responseFormat.type !== "text") {
    tokens = splitTokens(structuredText(request, random));
  } else {
    const target = naturalLengthTarget(random, request.promptTokens, request.style.concise);
    let text = composeAnswer(random, request.style, target);
    if (request.endpoint === "completions") text = ` ${text}`;
    tokens = splitTokens(text);
    if (request.ignoreEos && tokens.length < cap) tokens = splitTokens(extendWithSentences(random, text, cap));
  }
  const finishReason: FinishReason = tokens.length >= cap ? "length" : "stop";
  tokens = tokens.slice(0, cap);
  return {
    text: tokens.join(""),
    tokens,
    finishReason,
    promptTokens: request.promptTokens,
    completionTokens: tokens.length,
  };
}
