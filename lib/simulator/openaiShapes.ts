import type { CompletionPlan, FinishReason } from "./completion";

/** OpenAI's usage object. */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** OpenAI's error body: {"error": {message, type, param, code}}. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** Identity shared by every object of one response. */
export interface ResponseIdentity {
  id: string;
  created: number;
  model: string;
}

/** usage from a plan: total_tokens = prompt_tokens + completion_tokens. */
export function usageOf(plan: CompletionPlan): Usage {
  return {
    prompt_tokens: plan.promptTokens,
    completion_tokens: plan.completionTokens,
    total_tokens: plan.promptTokens + plan.completionTokens,
  };
}

/** OpenAI's error shape. */
export function errorBody(message: string, type: string, param: string | null = null, code: string | null = null): OpenAIErrorBody {
  return { error: { message, type, param, code } };
}

/** GET /v1/models: {object: "list", data: [{id, object: "model", created, owned_by}]}. */
export function modelList(models: readonly string[], created: number) {
  return { object: "list", data: models.map((id) => ({ id, object: "model", created, owned_by: "assay-simulator" })) };
}

/** A non-streamed chat.completion. */
export function chatCompletion(identity: ResponseIdentity, plan: CompletionPlan) {
  return {
    ...identity,
    object: "chat.completion",
    choices: [
      { index: 0, message: { role: "assistant", content: plan.text, refusal: null }, logprobs: null, finish_reason: plan.finishReason },
    ],
    usage: usageOf(plan),
  };
}

/** A non-streamed text_completion. */
export function textCompletion(identity: ResponseIdentity, plan: CompletionPlan) {
  return {
    ...identity,
    object: "text_completion",
    choices: [{ index: 0, text: plan.text, logprobs: null, finish_reason: plan.finishReason }],
    usage: usageOf(plan),
  };
}

/** One chat.completion.chunk; with include_usage every chunk carries "usage": null, as OpenAI sends. */
export function chatChunk(
  identity: ResponseIdentity,
  delta: { role?: "assistant"; content?: string },
  finishReason: FinishReason | null,
  includeUsage: boolean,
) {
  return {
    ...identity,
    object: "chat.completion.chunk",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  };
}

/** One streamed text_completion chunk. */
export function textChunk(identity: ResponseIdentity, text: string, finishReason: FinishReason | null, includeUsage: boolean) {
  return {
    ...identity,
    object: "text_completion",
    choices: [{ index: 0, text, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  };
}

/** The last chunk when stream_options.include_usage is true: empty choices and the usage. */
export function usageChunk(identity: ResponseIdentity, object: "chat.completion.chunk" | "text_completion", plan: CompletionPlan) {
  return { ...identity, object, choices: [], usage: usageOf(plan) };
}
