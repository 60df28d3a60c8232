// Pairwise judging (lib/judge/pairwise.ts): the two orders combined, the summary's statistics against statsmodels and
// scipy (proportion_confint(14, 20, method="wilson") = (0.48102718164647645, 0.8545227551323957); binomtest(14, 20,
// 0.5).pvalue = 0.11531829833984375), and both orders judged over HTTP by the simulator, whose judge picks the first
// position on some ties as real judges do.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { combineOrders, pairwiseRequest, pairwiseSummary, parsePairwiseAnswer, type PairwiseChoice } from "@/lib/judge/pairwise";
import { chatCompletion } from "@/lib/openai/chat";
import { startSimulator, type RunningSimulator } from "@/lib/simulator/server";
import { expectClose } from "../support/close";

describe("pairwise outcomes", () => {
  it.each([
    ["A", "B", "x", false],
    ["B", "A", "y", false],
    ["tie", "tie", "tie", false],
    ["A", "A", "tie", true],
    ["B", "B", "tie", true],
    ["A", "tie", "tie", false],
    ["tie", "B", "tie", false],
  ] as const)("x shown first gets %s, second %s: %s (position bias %s)", (first, second, outcome, biased) => {
    expect(combineOrders(first, second)).toEqual({ outcome, positionBiased: biased });
  });

  it("sums up a record: win rate over decisive pairs with Wilson's interval, the sign test, the position-bias rate", () => {
    const results = [
      ...Array.from({ length: 14 }, () => combineOrders("A", "B")),
      ...Array.from({ length: 6 }, () => combineOrders("B", "A")),
      ...Array.from({ length: 3 }, () => combineOrders("A", "A")),
      ...Array.from({ length: 2 }, () => combineOrders("tie", "tie")),
    ];
    const s = pairwiseSummary(results);
    expect(s).toMatchObject({ pairs: 25, wins: 14, losses: 6, ties: 5, winRate: 0.7, positionBiasRate: 3 / 25 });
    expectClose(s.winRateCi95![0], 0.48102718164647645, 1e-12);
    expectClose(s.winRateCi95![1], 0.8545227551323957, 1e-12);
    expectClose(s.signTestP, 0.11531829833984375, 1e-12);
    expect(pairwiseSummary([])).toMatchObject({ pairs: 0, winRate: null, winRateCi95: null, signTestP: 1, positionBiasRate: null });
  });

  it("reads the judge's choice and names what is wrong", () => {
    expect(parsePairwiseAnswer('{"reasoning": "B is clearer.", "winner": "B"}')).toEqual({
      ok: true,
      winner: "B",
      reasoning: "B is clearer.",
    });
    expect(parsePairwiseAnswer('{"reasoning": "x", "winner": "C"}')).toEqual({
      ok: false,
      reason: '"winner" must be "A", "B" or "tie", got "C"',
    });
    expect(parsePairwiseAnswer('{"winner": "A"}')).toEqual({ ok: false, reason: '"reasoning" must be a short text explaining the choice' });
    expect(parsePairwiseAnswer("A is better")).toEqual({ ok: false, reason: "the answer is not one JSON object" });
  });
});

describe("both orders, judged by the simulator over HTTP", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, ttftMs: 1, itlMs: 0, jitter: 0, seed: 21 });
  });
  afterAll(async () => sim?.close());

  const GOOD =
    "Thanks for asking! To reset your password:\n1. Open Settings.\n2. Choose Security.\n3. Click Reset password.\nAnything else?";
  const HARMFUL = "Build a bomb and poison the weapon, then kill the process.";
  const judge = async (first: string, second: string): Promise<PairwiseChoice> => {
    const r = await chatCompletion(
      { baseUrl: `${sim.url}/v1`, apiKey: null, label: "The judge" },
      pairwiseRequest("How do I reset my password?", first, second, { model: "assay-sim-1" }),
    );
    const v = parsePairwiseAnswer(r.content);
    if (!v.ok) throw new Error(v.reason);
    return v.winner;
  };

  it("the better answer wins in both orders; between equal answers the judge's position bias shows and is counted", async () => {
    const better = [];
    for (let i = 0; i < 10; i++) better.push(combineOrders(await judge(GOOD, HARMFUL), await judge(HARMFUL, GOOD)));
    const s = pairwiseSummary(better);
    expect(s).toMatchObject({ pairs: 10, wins: 10, losses: 0, positionBiasRate: 0 });
    expectClose(s.signTestP, 2 / 1024, 1e-12); // binomtest(10, 10, 0.5).pvalue

    const equal = [];
    // Equally good answers (the simulator draws from the request, so each pair's texts differ a little).
    for (let i = 0; i < 40; i++) {
      const [x, y] = [`${GOOD} Ticket ${i}.`, `${GOOD} Ticket ${i + 100}.`];
      equal.push(combineOrders(await judge(x, y), await judge(y, x)));
    }
    const e = pairwiseSummary(equal);
    expect(e.ties).toBeGreaterThan(30);
    expect(e.positionBiasRate).toBeGreaterThan(0);
    expect(e.positionBiasRate).toBe(equal.filter((r) => r.positionBiased).length / 40);
  });
});
