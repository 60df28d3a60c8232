// "Try it": one interaction pasted by a user judged with a rubric (a saved version, or a definition not saved yet) on a
// model endpoint, answered at once and stored nowhere. A judge's answer that cannot be used is part of the answer (its
// reason); an endpoint that cannot be reached, times out or refuses the call is a 502/504 naming the endpoint.
import { judgeEndpoint } from "./endpoint";
import { AppError } from "@/lib/errors";
import type { TryRubricInput } from "@/lib/validation/rubrics";
import { judgeInteraction } from "./judge";
import { resolveRubricVersion, rubricDefinitionOf } from "./rubrics";

export interface TryJudgment {
  rubric: { name: string; version: number | null };
  endpoint: string;
  model: string;
  /** Each criterion's scale, in the rubric's order, to read the scores on. */
  criteria: { name: string; label: string; min: number; max: number }[];
  scores: Record<string, number> | null;
  reasoning: string | null;
  /** Why there are no scores: the judge's answer could not be used, even after one repair turn. */
  error: string | null;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  /** Calls made, retries and the repair turn included. */
  calls: number;
  repaired: boolean;
}

/** Judges one pasted interaction with the chosen rubric on the named endpoint. */
export async function tryRubric(input: TryRubricInput): Promise<TryJudgment> {
  const choice = input.rubric;
  let rubric;
  let version: number | null = null;
  if (choice.kind === "saved") {
    const row = await resolveRubricVersion(choice.name, choice.version, { name: "rubric.name", version: "rubric.version" });
    rubric = rubricDefinitionOf(row);
    version = row.version;
  } else rubric = choice.definition;
  const { endpoint, model, target } = await judgeEndpoint(input.endpoint, input.model);
  const label = `The model endpoint "${endpoint.name}"`;
  const outcome = await judgeInteraction(
    { ...target, label },
    rubric,
    { userInput: input.userInput, modelOutput: input.modelOutput },
    // One retry, not the runs' four: someone is waiting for this answer.
    { model, chat: { timeoutMs: input.timeoutSeconds * 1000, retry: { retries: 1, maxDelayMs: 2_000 } } },
  );
  if (outcome.upstream) {
    const why = outcome.error ?? `${label} failed`;
    if (outcome.upstream.unreachable === "timeout")
      throw new AppError(
        "UPSTREAM_TIMEOUT",
        `${label} did not answer within ${input.timeoutSeconds} s. Check that its server is up and not overloaded, or allow longer (timeoutSeconds, at most 120).`,
        { endpoint: endpoint.name, reason: why },
      );
    if (outcome.upstream.unreachable === "connection")
      throw new AppError(
        "UPSTREAM_UNREACHABLE",
        `${label} could not be reached. Check its base URL in Settings > Endpoints and that its server is running. (${why})`,
        { endpoint: endpoint.name, reason: why },
      );
    const auth = outcome.upstream.status === 401 || outcome.upstream.status === 403;
    throw new AppError(
      "UPSTREAM_FAILED",
      auth
        ? `${label} refused Assay's credentials (${outcome.upstream.status}). Check its API key in Settings > Endpoints.`
        : `The judge's call failed: ${why}. Check the model name and the endpoint in Settings > Endpoints.`,
      { endpoint: endpoint.name, status: outcome.upstream.status, reason: why },
    );
  }
  return {
    rubric: { name: rubric.name, version },
    endpoint: endpoint.name,
    model: outcome.model ?? model,
    criteria: rubric.criteria.map((c) => ({ name: c.key, label: c.label, min: c.min, max: c.max })),
    scores: outcome.scores,
    reasoning: outcome.reasoning,
    error: outcome.error,
    latencyMs: Math.round(outcome.latencyMs),
    promptTokens: outcome.promptTokens,
    completionTokens: outcome.completionTokens,
    calls: outcome.calls,
    repaired: outcome.repaired,
  };
}
