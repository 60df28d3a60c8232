// Pairwise judging of two variants over the same inputs, as the CLI (`assay pairwise`) and the API
// (POST /api/v1/experiments/{key}/pairwise) run it: each pair is sent to the judge in both orders (x shown as A, then y
// shown as A), the two verdicts combined (lib/judge/pairwise.ts), and x's record against y summarised with Wilson's
// interval and the sign test. A pair whose judgment fails (after the client's retries) is counted and left out.
import type { UpstreamTarget } from "@/lib/openai/transport";
import { chatCompletion } from "@/lib/openai/chat";
import type { RateGate } from "./rateGate";
import { combineOrders, pairwiseRequest, pairwiseSummary, parsePairwiseAnswer, type PairwiseSummary, type PairOutcome } from "./pairwise";

export interface Pair {
  input: string;
  /** x's and y's outputs for the input, and where they came from (request ids). */
  x: string;
  y: string;
  xId?: string;
  yId?: string;
}

export interface PairVerdict {
  input: string;
  xId?: string;
  yId?: string;
  outcome: PairOutcome | null;
  positionBiased: boolean;
  /** The judge's reasoning of each order. */
  reasoning: [string, string] | null;
  error: string | null;
}

export interface PairwiseReport extends PairwiseSummary {
  /** Pairs whose judgment failed (in either order): not in the counts above. */
  failed: number;
  promptTokens: number;
  completionTokens: number;
}

/** A user input as pairs are matched on it: trimmed, runs of white space as one, case ignored. */
export function inputKey(text: string): string {
  return text.trim().replace(/\s+/g, " ").toLowerCase();
}

/** Pairs x's and y's interactions on the same input (one pair per distinct input, the first of each side). */
export function pairByInput(
  rows: readonly { input: string; output: string; variant: string; id?: string }[],
  x: string,
  y: string,
): Pair[] {
  const xs = new Map<string, { input: string; output: string; id?: string }>();
  const ys = new Map<string, { output: string; id?: string }>();
  for (const r of rows) {
    const k = inputKey(r.input);
    if (r.variant === x && !xs.has(k)) xs.set(k, r);
    else if (r.variant === y && !ys.has(k)) ys.set(k, r);
  }
  const pairs: Pair[] = [];
  for (const [k, a] of xs) {
    const b = ys.get(k);
    if (b) pairs.push({ input: a.input, x: a.output, y: b.output, xId: a.id, yId: b.id });
  }
  return pairs;
}

/** Judges each pair in both orders, `concurrency` pairs at a time; `progress(done, total)` after each pair. */
export async function judgePairs(
  target: UpstreamTarget,
  pairs: readonly Pair[],
  opts: {
    model: string;
    criterion?: string;
    concurrency?: number;
    timeoutMs?: number;
    /** Paces the judge requests (each pair is two). */
    gate?: RateGate | null;
    progress?: (done: number, total: number) => void;
  },
): Promise<{ report: PairwiseReport; verdicts: PairVerdict[] }> {
  const verdicts: PairVerdict[] = new Array(pairs.length);
  let promptTokens = 0;
  let completionTokens = 0;
  const ask = async (input: string, first: string, second: string) => {
    await opts.gate?.take();
    const r = await chatCompletion(target, pairwiseRequest(input, first, second, { model: opts.model, criterion: opts.criterion }), {
      timeoutMs: opts.timeoutMs ?? 60_000,
    });
    promptTokens += r.promptTokens ?? 0;
    completionTokens += r.completionTokens ?? 0;
    const parsed = parsePairwiseAnswer(r.content);
    if (!parsed.ok) throw new Error(`the judge's answer could not be used: ${parsed.reason}`);
    return parsed;
  };
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < pairs.length) {
      const i = next++;
      const p = pairs[i];
      try {
        const [a, b] = await Promise.all([ask(p.input, p.x, p.y), ask(p.input, p.y, p.x)]);
        const { outcome, positionBiased } = combineOrders(a.winner, b.winner);
        verdicts[i] = {
          input: p.input,
          xId: p.xId,
          yId: p.yId,
          outcome,
          positionBiased,
          reasoning: [a.reasoning, b.reasoning],
          error: null,
        };
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        verdicts[i] = { input: p.input, xId: p.xId, yId: p.yId, outcome: null, positionBiased: false, reasoning: null, error: message };
      }
      opts.progress?.(++done, pairs.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 8, pairs.length) }, worker));
  const judged = verdicts.filter((v) => v.outcome !== null) as (PairVerdict & { outcome: PairOutcome })[];
  return {
    report: { ...pairwiseSummary(judged), failed: verdicts.length - judged.length, promptTokens, completionTokens },
    verdicts,
  };
}

/** "B wins 34 of 40 decisive pairs (85%, 95% CI 71% to 93%; sign test p < 0.001); 6 ties; ..." */
export function pairwiseSentence(x: string, y: string, r: PairwiseReport): string {
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  const p = r.signTestP < 0.001 ? "p < 0.001" : `p = ${r.signTestP.toFixed(3)}`;
  const decisive = r.wins + r.losses;
  const head =
    r.winRate === null || !r.winRateCi95
      ? `No pair of ${x} and ${y} was decided: every one was a tie or the two orders disagreed`
      : `${x} wins ${r.wins} of ${decisive} decisive pairs against ${y} (${pct(r.winRate)}, 95% CI ${pct(r.winRateCi95[0])} to ${pct(r.winRateCi95[1])}; sign test ${p})`;
  const tail = [
    `${r.ties} tie${r.ties === 1 ? "" : "s"}`,
    r.positionBiasRate === null ? null : `the judge picked the same position in both orders in ${pct(r.positionBiasRate)} of pairs`,
    r.failed ? `${r.failed} pair${r.failed === 1 ? "" : "s"} could not be judged` : null,
  ].filter(Boolean);
  return `${head}; ${tail.join("; ")}.`;
}
