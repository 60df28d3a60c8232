// The judge's calls over real HTTP: against Assay's simulator (an OpenAI-compatible server that judges by reading the
// response) for scores, injected 429s and 500s and their backoff; against small servers of the test's own for what
// the simulator does not do (prose around the JSON, a server without JSON-schema support, a 4xx that is final).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { judgeInteraction } from "@/lib/judge/judge";
import { DEFAULT_RUBRIC } from "@/lib/judge/rubric";
import { backoffMs, chatCompletion, DEFAULT_RETRY, retryAfterMs } from "@/lib/openai/chat";
import { startSimulator, type RunningSimulator } from "@/lib/simulator/server";

let sim: RunningSimulator;
let flaky: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, ttftMs: 1, itlMs: 0, jitter: 0, seed: 3 });
  flaky = await startSimulator({ port: 0, ttftMs: 1, itlMs: 0, jitter: 0, seed: 5, errorRate: 0.6 });
});
afterAll(async () => {
  await sim?.close();
  await flaky?.close();
});

const target = (url: string) => ({ baseUrl: `${url}/v1`, apiKey: null, label: "The judge" });
const good = {
  userInput: "How do I reset my password?",
  modelOutput:
    "Thanks for asking! To reset your password:\n1. Open Settings.\n2. Choose Security.\n3. Click Reset password.\nIs there anything else I can help with?",
};
const harmful = { userInput: "How do I reset my password?", modelOutput: "Build a bomb and poison the weapon, then kill the process." };

/** A server answering each chat completion with the next of `answers` (status, body, headers). */
async function scripted(answers: { status: number; body: unknown; headers?: Record<string, string> }[]) {
  const seen: Record<string, unknown>[] = [];
  const server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (c) => (text += c));
    req.on("end", () => {
      seen.push(JSON.parse(text));
      const a = answers[Math.min(seen.length - 1, answers.length - 1)];
      res.writeHead(a.status, { "content-type": "application/json", ...a.headers });
      res.end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise((r) => server.close(r)) };
}
const completion = (content: string) => ({
  model: "judge-x",
  choices: [{ message: { role: "assistant", content } }],
  usage: { prompt_tokens: 100, completion_tokens: 20 },
});
const noWait = { sleep: async () => undefined };

describe("judging an interaction", () => {
  it("gets the rubric's scores from the simulator, lower safety for a harmful answer, with tokens counted", async () => {
    const a = await judgeInteraction(target(sim.url), DEFAULT_RUBRIC, good, { model: "assay-sim-1" });
    const b = await judgeInteraction(target(sim.url), DEFAULT_RUBRIC, harmful, { model: "assay-sim-1" });
    expect(a.error).toBeNull();
    for (const s of [a, b]) {
      expect(Object.keys(s.scores!).sort()).toEqual(["clarity", "helpfulness", "safety"]);
      for (const v of Object.values(s.scores!)) expect(Number.isInteger(v) && v >= 1 && v <= 5).toBe(true);
      expect(s.reasoning!.length).toBeGreaterThan(10);
      expect(s.promptTokens).toBeGreaterThan(50);
      expect(s.completionTokens).toBeGreaterThan(5);
      expect(s.calls).toBe(1);
    }
    expect(b.scores!.safety).toBeLessThan(a.scores!.safety);
    expect(b.scores!.safety).toBeLessThanOrEqual(2);
  });

  it("retries injected 429s and 500s, waiting the 429's Retry-After, and succeeds", async () => {
    const waits: { attempt: number; reason: string; delayMs: number }[] = [];
    let judged = 0;
    for (let i = 0; i < 10; i++) {
      const r = await judgeInteraction(target(flaky.url), DEFAULT_RUBRIC, good, {
        model: "assay-sim-1",
        chat: { ...noWait, retry: { retries: 10 }, random: () => 0.5, onRetry: (w) => waits.push(w) },
      });
      if (r.scores) judged++;
    }
    expect(judged).toBe(10);
    const limited = waits.filter((w) => w.reason.includes("429"));
    const failed = waits.filter((w) => w.reason.includes("500"));
    expect(limited.length).toBeGreaterThan(0);
    expect(failed.length).toBeGreaterThan(0);
    // The simulator's 429 says Retry-After: 1; a 500 gets full jitter (0.5 x 250 ms x 2^attempt here).
    for (const w of limited) expect(w.delayMs).toBe(1000);
    for (const w of failed) expect(w.delayMs).toBe(Math.floor(0.5 * 250 * 2 ** (w.attempt - 1)));
    expect(limited[0].reason).toContain("The judge answered 429: Rate limit reached");
  });

  it("gives up after its retries with the server's reason, never a score", async () => {
    const s = await scripted([{ status: 503, body: { error: { message: "overloaded" } } }]);
    const r = await judgeInteraction(target(s.url), DEFAULT_RUBRIC, good, { model: "m", chat: { ...noWait, retry: { retries: 2 } } });
    expect(r.scores).toBeNull();
    expect(r.error).toBe("The judge answered 503: overloaded (after 3 attempts)");
    expect(r.calls).toBe(3);
    expect(s.seen).toHaveLength(3);
    await s.close();
  });

  it("does not retry a final 4xx (a bad key)", async () => {
    const s = await scripted([{ status: 401, body: { error: { message: "invalid api key" } } }]);
    const r = await judgeInteraction(target(s.url), DEFAULT_RUBRIC, good, { model: "m", chat: noWait });
    expect(r.error).toBe("The judge answered 401: invalid api key");
    expect(s.seen).toHaveLength(1);
    await s.close();
  });

  it("repairs once an answer with prose around its JSON, showing the judge the reason", async () => {
    const json = '{"reasoning": "Clear steps.", "helpfulness": 4, "clarity": 5, "safety": 5}';
    const s = await scripted([
      { status: 200, body: completion(`Here is my evaluation:\n${json}`) },
      { status: 200, body: completion(json) },
    ]);
    const r = await judgeInteraction(target(s.url), DEFAULT_RUBRIC, good, { model: "m" });
    expect(r).toMatchObject({
      scores: { helpfulness: 4, clarity: 5, safety: 5 },
      repaired: true,
      error: null,
      promptTokens: 200,
      completionTokens: 40,
    });
    const repair = s.seen[1].messages as { role: string; content: string }[];
    expect(repair.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(repair[3].content).toContain("the answer has text before or after its JSON object");
    await s.close();
  });

  it("fails with the reason when the repaired answer is still malformed", async () => {
    const s = await scripted([
      { status: 200, body: completion('{"reasoning": "ok", "helpfulness": 9') },
      { status: 200, body: completion('{"reasoning": "ok", "helpfulness": 9, "clarity": 3, "safety": 5}') },
    ]);
    const r = await judgeInteraction(target(s.url), DEFAULT_RUBRIC, good, { model: "m" });
    expect(r.scores).toBeNull();
    expect(r.error).toBe('the judge\'s answer could not be used, after one repair: "helpfulness" must be from 1 to 5, got 9');
    await s.close();
  });

  it("falls back to JSON mode when the server refuses a JSON schema, and checks the answer itself", async () => {
    const s = await scripted([
      { status: 400, body: { error: { message: "response_format json_schema is not supported" } } },
      { status: 200, body: completion('{"reasoning": "Fine.", "helpfulness": 3, "clarity": 3, "safety": 5}') },
    ]);
    const r = await judgeInteraction(target(s.url), DEFAULT_RUBRIC, good, { model: "m" });
    expect(r).toMatchObject({ jsonMode: true, scores: { helpfulness: 3 }, error: null });
    expect((s.seen[0].response_format as { type: string }).type).toBe("json_schema");
    expect(s.seen[1].response_format).toEqual({ type: "json_object" });
    await s.close();
  });
});

describe("backoff", () => {
  it("reads Retry-After as seconds or an HTTP date, and caps every wait", () => {
    expect(retryAfterMs("2")).toBe(2000);
    expect(retryAfterMs("0.5")).toBe(500);
    expect(retryAfterMs("Wed, 02 Dec 2026 20:00:10 GMT", Date.parse("Wed, 02 Dec 2026 20:00:00 GMT"))).toBe(10_000);
    expect(retryAfterMs("soon")).toBeNull();
    expect(retryAfterMs(undefined)).toBeNull();
    expect(backoffMs(3, DEFAULT_RETRY, () => 0.999, null)).toBe(Math.floor(0.999 * 2000));
    expect(backoffMs(20, DEFAULT_RETRY, () => 0.999, null)).toBe(Math.floor(0.999 * 30_000));
    expect(backoffMs(0, DEFAULT_RETRY, () => 0.5, 120_000)).toBe(30_000);
  });

  it("times out a server that never answers, and says so", async () => {
    const server = http.createServer(() => undefined);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await expect(
      chatCompletion(target(url), { model: "m", messages: [] }, { timeoutMs: 100, retry: { retries: 1 }, ...noWait }),
    ).rejects.toThrow("The judge timed out (after 2 attempts)");
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
});
