// Scoring one interaction with the judge: the rubric's request (strict JSON schema, temperature 0), the answer read
// against the rubric, one repair turn when it is malformed, and JSON mode when the server does not take a schema (the
// answer is then checked here all the same). The outcome is scores or a failure with its reason, never a default score.
import type { UpstreamTarget } from "@/lib/openai/transport";
import { ChatCallError, chatCompletion, type ChatCallOptions, type ChatResult } from "@/lib/openai/chat";
import { parseJudgeAnswer, repairMessages } from "./parse";
import { judgeRequest, type RubricDefinition } from "./rubric";

export interface JudgeOutcome {
  scores: Record<string, number> | null;
  reasoning: string | null;
  /** Why there are no scores (the server's error after retries, or the answer's fault after the repair turn). */
  error: string | null;
  /** The judge's model as the server named it. */
  model: string | null;
  /** Summed over every call this judgment made (a repair turn is a second call). */
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  /** Calls made, retries included. */
  calls: number;
  repaired: boolean;
  /** True when the server refused a JSON schema and JSON mode was used instead (a caller may keep to it). */
  jsonMode: boolean;
  /** When the failure was the server's, not its answer's: its HTTP status, or why it gave none (timeout, connection). */
  upstream: { status: number | null; unreachable: "timeout" | "connection" | null } | null;
}

/** A server's refusal of response_format json_schema (vLLM without guided decoding, older Ollama, some providers). */
function refusesSchema(err: unknown): boolean {
  return err instanceof ChatCallError && err.status === 400 && /response_format|json_schema|structured|schema/i.test(err.message);
}

export async function judgeInteraction(
  target: UpstreamTarget,
  rubric: RubricDefinition,
  interaction: { userInput: string; modelOutput: string },
  opts: { model: string; jsonMode?: boolean; maxTokens?: number; chat?: ChatCallOptions },
): Promise<JudgeOutcome> {
  let jsonMode = opts.jsonMode ?? false;
  const outcome: JudgeOutcome = {
    scores: null,
    reasoning: null,
    error: null,
    model: null,
    promptTokens: 0,
    completionTokens: 0,
    latencyMs: 0,
    calls: 0,
    repaired: false,
    jsonMode,
    upstream: null,
  };
  const add = (r: ChatResult) => {
    outcome.model = r.model ?? outcome.model;
    outcome.promptTokens += r.promptTokens ?? 0;
    outcome.completionTokens += r.completionTokens ?? 0;
    outcome.latencyMs += r.latencyMs;
    outcome.calls += r.attempts;
  };
  const request = () => judgeRequest(rubric, interaction, { model: opts.model, jsonMode, maxTokens: opts.maxTokens });
  let first: ChatResult;
  try {
    try {
      first = await chatCompletion(target, request(), opts.chat);
    } catch (err) {
      if (jsonMode || !refusesSchema(err)) throw err;
      outcome.calls += (err as ChatCallError).attempts;
      jsonMode = outcome.jsonMode = true;
      first = await chatCompletion(target, request(), opts.chat);
    }
    add(first);
    const verdict = parseJudgeAnswer(rubric, first.content);
    if (verdict.ok) return { ...outcome, scores: verdict.scores, reasoning: verdict.reasoning };
    const body = { ...request(), messages: repairMessages(rubric, request().messages, first.content ?? "", verdict.reason) };
    const second = await chatCompletion(target, body, opts.chat);
    add(second);
    outcome.repaired = true;
    const again = parseJudgeAnswer(rubric, second.content);
    if (again.ok) return { ...outcome, scores: again.scores, reasoning: again.reasoning };
    return { ...outcome, error: `the judge's answer could not be used, after one repair: ${again.reason}` };
  } catch (err) {
    if (err instanceof ChatCallError) {
      outcome.calls += err.attempts;
      outcome.upstream = { status: err.status, unreachable: err.unreachable };
    }
    return { ...outcome, error: err instanceof Error ? err.message : String(err) };
  }
}
