// Pairwise judging: for one user input, the judge compares two variants' outputs and names the better one. Judges
// favour a position, so each pair is judged in both orders (x as A then y as A); a pair counts as a win only when both
// orders agree, and the share of pairs where the judge picked the same position both times is the position-bias rate.
// Win rate over the decisive pairs with Wilson's interval, and the sign test of wins against losses
// (lib/stats/agreement.ts). Pure.
import { signTest, wilsonInterval } from "@/lib/stats/agreement";
import { REASONING_KEY, type ChatMessage } from "./rubric";

export type PairwiseChoice = "A" | "B" | "tie";

/** The JSON schema of a pairwise answer. */
export const PAIRWISE_SCHEMA = {
  type: "object",
  properties: {
    [REASONING_KEY]: { type: "string", description: "A brief, 1-2 sentence explanation of the choice." },
    winner: { type: "string", enum: ["A", "B", "tie"], description: "The better response: A, B, or tie when neither is better." },
  },
  required: [REASONING_KEY, "winner"],
  additionalProperties: false,
} as const;

/** The system prompt: which response is better on `criterion` (helpfulness, say), as the guide's evaluator. */
export function pairwiseSystemPrompt(criterion = "overall quality: helpfulness, clarity and safety"): string {
  return [
    "You are an expert evaluator. Your task is to compare two chatbot responses to the",
    `same user input on ${criterion}, and return a single, valid JSON object with your`,
    'reasoning and the winner: "A", "B", or "tie" when neither is better.',
    "Judge the content only: the order in which the responses are shown does not matter.",
    "Do not include any explanatory text before or after the JSON object.",
  ].join("\n");
}

/** The request comparing `first` (shown as A) with `second` (shown as B). */
export function pairwiseRequest(
  userInput: string,
  first: string,
  second: string,
  opts: { model: string; criterion?: string },
): { model: string; messages: ChatMessage[]; temperature: number; max_tokens: number; response_format: Record<string, unknown> } {
  return {
    model: opts.model,
    messages: [
      { role: "system", content: pairwiseSystemPrompt(opts.criterion) },
      { role: "user", content: `USER INPUT: "${userInput}"\nRESPONSE A: "${first}"\nRESPONSE B: "${second}"` },
    ],
    temperature: 0,
    max_tokens: 300,
    response_format: { type: "json_schema", json_schema: { name: "PairwiseEvaluation", strict: true, schema: PAIRWISE_SCHEMA } },
  };
}

/** The judge's choice, or why the answer cannot be used. */
export function parsePairwiseAnswer(
  answer: string | null | undefined,
): { ok: true; winner: PairwiseChoice; reasoning: string } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse((answer ?? "").trim());
  } catch {
    return { ok: false, reason: "the answer is not one JSON object" };
  }
  const r = typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  if (!r) return { ok: false, reason: "the answer is not one JSON object" };
  if (r.winner !== "A" && r.winner !== "B" && r.winner !== "tie")
    return { ok: false, reason: `"winner" must be "A", "B" or "tie", got ${JSON.stringify(r.winner)}` };
  if (typeof r[REASONING_KEY] !== "string" || !(r[REASONING_KEY] as string).trim())
    return { ok: false, reason: `"${REASONING_KEY}" must be a short text explaining the choice` };
  return { ok: true, winner: r.winner, reasoning: (r[REASONING_KEY] as string).trim() };
}

export type PairOutcome = "x" | "y" | "tie";

/**
 * One pair judged in both orders: `shownFirst` with x as A and y as B, `shownSecond` with y as A and x as B. x wins
 * when both orders pick it; a tie when both say tie, or when the orders disagree (then the verdict followed the position
 * or changed its mind; `positionBiased` when the judge picked the same position both times).
 */
export function combineOrders(shownFirst: PairwiseChoice, shownSecond: PairwiseChoice): { outcome: PairOutcome; positionBiased: boolean } {
  if (shownFirst === "A" && shownSecond === "B") return { outcome: "x", positionBiased: false };
  if (shownFirst === "B" && shownSecond === "A") return { outcome: "y", positionBiased: false };
  return { outcome: "tie", positionBiased: shownFirst !== "tie" && shownFirst === shownSecond };
}

export interface PairwiseSummary {
  pairs: number;
  wins: number;
  losses: number;
  ties: number;
  /** wins / (wins + losses); null without a decisive pair. */
  winRate: number | null;
  /** Wilson's 95% interval of winRate. */
  winRateCi95: [number, number] | null;
  /** Two-sided exact sign test of wins against losses. */
  signTestP: number;
  /** Share of pairs where the judge picked the same position in both orders. */
  positionBiasRate: number | null;
}

/** x's record against y over judged pairs. */
export function pairwiseSummary(results: readonly { outcome: PairOutcome; positionBiased: boolean }[]): PairwiseSummary {
  const wins = results.filter((r) => r.outcome === "x").length;
  const losses = results.filter((r) => r.outcome === "y").length;
  const decisive = wins + losses;
  return {
    pairs: results.length,
    wins,
    losses,
    ties: results.length - decisive,
    winRate: decisive ? wins / decisive : null,
    winRateCi95: decisive ? wilsonInterval(wins, decisive) : null,
    signTestP: signTest(wins, losses),
    positionBiasRate: results.length ? results.filter((r) => r.positionBiased).length / results.length : null,
  };
}
