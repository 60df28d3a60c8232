// The LLM simulator over real HTTP: startSimulator on a free port, fetch as a client would.
import { afterEach, describe, expect, it } from "vitest";
import { countTokens, startSimulator, type RunningSimulator, type SimulatorOptions } from "../../lib/simulator";

const running: RunningSimulator[] = [];

async function simulator(opts: Partial<SimulatorOptions> = {}): Promise<RunningSimulator> {
  const sim = await startSimulator({ port: 0, ttftMs: 5, itlMs: 1, jitter: 0, ...opts });
  running.push(sim);
  return sim;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

function post(sim: RunningSimulator, path: string, body: unknown): Promise<Response> {
  return fetch(`${sim.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

interface ChatCompletion {
  model: string;
  object: string;
  choices: { index: number; message: { role: string; content: string }; finish_reason: string }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

async function chat(sim: RunningSimulator, body: Record<string, unknown>): Promise<ChatCompletion> {
  const res = await post(sim, "/v1/chat/completions", body);
  expect(res.status).toBe(200);
  return (await res.json()) as ChatCompletion;
}

/** Reads an SSE response: every `data:` payload in order, and when the first non-empty content arrived. */
async function readStream(res: Response, startedAt: number) {
  const events: string[] = [];
  let firstContentAt: number | undefined;
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) !== -1) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      expect(event.startsWith("data: ")).toBe(true);
      const data = event.slice("data: ".length);
      if (firstContentAt === undefined && data !== "[DONE]") {
        const chunk = JSON.parse(data);
        if (chunk.choices?.[0]?.delta?.content || chunk.choices?.[0]?.text) firstContentAt = performance.now() - startedAt;
      }
      events.push(data);
    }
  }
  expect(buffer).toBe("");
  return { events, firstContentMs: firstContentAt };
}

const USER_MESSAGES = [
  { role: "system", content: "You are helpful." },
  { role: "user", content: "What's 2026's price, in USD?" },
];

describe("simulator: models and health", () => {
  it("lists the served models in OpenAI's list shape and answers /health", async () => {
    const sim = await simulator({ models: ["alpha", "beta"] });
    const res = await fetch(`${sim.url}/v1/models`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.object).toBe("list");
    expect(body.data.map((m: { id: string }) => m.id)).toEqual(["alpha", "beta"]);
    for (const model of body.data) {
      expect(model).toMatchObject({ object: "model", owned_by: "assay-simulator" });
      expect(Number.isInteger(model.created)).toBe(true);
    }
    expect((await fetch(`${sim.url}/health`)).status).toBe(200);
  });

  it("gives a request without model the first model, serves a named one, and 404s an unknown one", async () => {
    const sim = await simulator({ models: ["alpha", "beta"] });
    expect((await chat(sim, { messages: USER_MESSAGES })).model).toBe("alpha");
    expect((await chat(sim, { model: "beta", messages: USER_MESSAGES })).model).toBe("beta");
    const res = await post(sim, "/v1/chat/completions", { model: "gamma", messages: USER_MESSAGES });
    expect(res.status).toBe(404);
    expect((await res.json()).error).toMatchObject({ param: "model", code: "model_not_found", type: "invalid_request_error" });
  });
});

describe("simulator: usage and length", () => {
  it("counts chat prompt tokens by the documented rule", async () => {
    const sim = await simulator();
    const body = await chat(sim, { messages: USER_MESSAGES, max_tokens: 5 });
    // By hand: "You are helpful." = You|are|helpful|. = 4; "What's 2026's price, in USD?" =
    // What|'|s|202|6|'|s|price|,|in|USD|? = 12 (digit runs are 1 token per 3 digits); plus 4 per message x 2 = 8.
    expect(body.usage.prompt_tokens).toBe(4 + 12 + 8);
    expect(body.usage.completion_tokens).toBe(5);
    expect(body.usage.total_tokens).toBe(24 + 5);
    expect(body.object).toBe("chat.completion");
    expect(body.choices[0].message.role).toBe("assistant");
  });

  it("counts completion prompt tokens without overhead and defaults max_tokens to 16", async () => {
    const sim = await simulator();
    const res = await post(sim, "/v1/completions", { prompt: "User: internationalization, please.\nAssistant:" });
    const body = await res.json();
    // User|:|internatio|nalization|,|please|.|Assistant|: = 9 ("internationalization" has 20 letters: 2 tokens).
    expect(body.usage).toEqual({ prompt_tokens: 9, completion_tokens: 16, total_tokens: 25 });
    expect(body.object).toBe("text_completion");
    expect(body.choices[0].finish_reason).toBe("length");
    expect(countTokens(body.choices[0].text)).toBe(16);
  });

  it("honours max_tokens as a cap and ignore_eos as an exact length", async () => {
    const sim = await simulator({ itlMs: 0 });
    const capped = await chat(sim, { messages: USER_MESSAGES, max_tokens: 3 });
    expect(capped.usage.completion_tokens).toBe(3);
    expect(capped.choices[0].finish_reason).toBe("length");
    expect(countTokens(capped.choices[0].message.content)).toBe(3);

    const natural = await chat(sim, { messages: USER_MESSAGES, max_tokens: 1000 });
    expect(natural.choices[0].finish_reason).toBe("stop");
    expect(natural.usage.completion_tokens).toBeLessThan(1000);
    expect(natural.usage.completion_tokens).toBe(countTokens(natural.choices[0].message.content));
    expect(natural.choices[0].message.content).toMatch(/\.$/);

    const exact = await chat(sim, { messages: USER_MESSAGES, max_tokens: 700, ignore_eos: true });
    expect(exact.usage.completion_tokens).toBe(700);
    expect(exact.choices[0].finish_reason).toBe("length");
    expect(countTokens(exact.choices[0].message.content)).toBe(700);
    // Greedy-decoding behaviour: a longer budget continues the same text.
    expect(exact.choices[0].message.content.startsWith(natural.choices[0].message.content)).toBe(true);

    const completion = await (await post(sim, "/v1/completions", { prompt: "Hello", max_tokens: 40, ignore_eos: true })).json();
    expect(completion.usage.completion_tokens).toBe(40);
    expect(completion.choices[0].finish_reason).toBe("length");
  });
});

describe("simulator: streaming", () => {
  it("streams one chat chunk per token, then finish, usage and [DONE]; the text equals the non-streamed one", async () => {
    const sim = await simulator();
    const body = { messages: USER_MESSAGES, max_tokens: 60 };
    const plain = await chat(sim, body);
    const res = await post(sim, "/v1/chat/completions", { ...body, stream: true, stream_options: { include_usage: true } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const { events } = await readStream(res, performance.now());
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    for (const chunk of chunks) expect(chunk.object).toBe("chat.completion.chunk");
    expect(chunks[0].choices[0].delta.role).toBe("assistant");
    const contentChunks = chunks.filter((c) => c.choices.length > 0 && c.choices[0].delta.content);
    expect(contentChunks.length).toBe(plain.usage.completion_tokens);
    expect(contentChunks.map((c) => c.choices[0].delta.content).join("")).toBe(plain.choices[0].message.content);
    const finish = chunks.at(-2);
    expect(finish.choices[0].finish_reason).toBe(plain.choices[0].finish_reason);
    const usage = chunks.at(-1);
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toEqual(plain.usage);
  });

  it("streams text_completion chunks and sends no usage chunk unless asked", async () => {
    const sim = await simulator();
    const res = await post(sim, "/v1/completions", { prompt: "Once upon a time", max_tokens: 8, stream: true });
    const { events } = await readStream(res, performance.now());
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(chunks.every((c) => c.object === "text_completion" && c.choices.length === 1 && !("usage" in c))).toBe(true);
    expect(chunks.filter((c) => c.choices[0].text !== "").length).toBe(8);
    expect(chunks.at(-1).choices[0].finish_reason).toBe("length");
  });
});

describe("simulator: determinism", () => {
  it("gives the same text for the same body and seed across instances, and different text for another seed", async () => {
    const body = { messages: [{ role: "user", content: "Tell me about the weather." }] };
    const [a, b, c] = await Promise.all([simulator({ seed: 7 }), simulator({ seed: 7 }), simulator({ seed: 8 })]);
    // Arrival order must not matter: send something else to `b` first.
    await chat(b, { messages: [{ role: "user", content: "unrelated" }] });
    const textA = (await chat(a, body)).choices[0].message.content;
    const textB = (await chat(b, body)).choices[0].message.content;
    const textC = (await chat(c, body)).choices[0].message.content;
    expect(textA).toBe(textB);
    expect(textC).not.toBe(textA);
    expect(textA).toMatch(/^[A-Z][a-z]+( [a-z]+,?)+\./);
  });
});

describe("simulator: timing", () => {
  it("delays the first token by about ttft", async () => {
    const sim = await simulator({ ttftMs: 100, itlMs: 5, jitter: 0.2 });
    const startedAt = performance.now();
    const res = await post(sim, "/v1/chat/completions", { messages: USER_MESSAGES, max_tokens: 4, stream: true });
    const { firstContentMs } = await readStream(res, startedAt);
    expect(firstContentMs).toBeGreaterThanOrEqual(100 * 0.8);
    expect(firstContentMs).toBeLessThan(100 * 1.2 + 150);
  });

  it("makes non-streamed answers wait ttft + (n-1) * itl", async () => {
    const sim = await simulator({ ttftMs: 50, itlMs: 10, jitter: 0 });
    const startedAt = performance.now();
    await chat(sim, { messages: USER_MESSAGES, max_tokens: 6, ignore_eos: true });
    const elapsed = performance.now() - startedAt;
    expect(elapsed).toBeGreaterThanOrEqual(50 + 5 * 10 - 2);
    expect(elapsed).toBeLessThan(100 + 150);
  });

  it("queues past max-concurrency: with 1 slot the 4th of 4 concurrent requests ends after ~4 service times", async () => {
    const sim = await simulator({ ttftMs: 40, itlMs: 10, jitter: 0, maxConcurrency: 1 });
    const body = { messages: USER_MESSAGES, max_tokens: 6, ignore_eos: true };
    const service = 40 + 5 * 10;
    const startedAt = performance.now();
    const finishedAt = await Promise.all(
      Array.from({ length: 4 }, async () => {
        await chat(sim, body);
        return performance.now() - startedAt;
      }),
    );
    finishedAt.sort((x, y) => x - y);
    // One at a time: the four finish a service time apart at least (an absolute bound on the first fails on a busy machine).
    expect(finishedAt[3] - finishedAt[0]).toBeGreaterThanOrEqual(3 * service - 5);
    expect(finishedAt[3]).toBeGreaterThanOrEqual(4 * service - 5);
    expect(finishedAt[3]).toBeLessThan(4 * service + 250);
    expect(sim.stats().peakQueued).toBe(3);
    expect(sim.stats()).toMatchObject({ completed: 4, active: 0, queued: 0 });
  });
});

describe("simulator: injected errors", () => {
  it("at error-rate 1 answers only 429 rate_limit_exceeded or 500 server_error, in OpenAI's error shape", async () => {
    const sim = await simulator({ errorRate: 1 });
    const statuses = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const res = await post(sim, i % 2 ? "/v1/completions" : "/v1/chat/completions", { messages: USER_MESSAGES, prompt: "hi" });
      const body = await res.json();
      expect(Object.keys(body)).toEqual(["error"]);
      expect(Object.keys(body.error).sort()).toEqual(["code", "message", "param", "type"]);
      if (res.status === 429) expect(body.error.code).toBe("rate_limit_exceeded");
      else {
        expect(res.status).toBe(500);
        expect(body.error.type).toBe("server_error");
      }
      statuses.add(res.status);
    }
    expect([...statuses].sort()).toEqual([429, 500]);
    expect(sim.stats().rateLimited + sim.stats().serverErrors).toBe(20);
  });
});

const JUDGE_SCHEMA = {
  type: "object",
  properties: {
    helpfulness: { type: "integer", minimum: 1, maximum: 5 },
    clarity: { type: "integer", description: "Clarity from 1 to 5" },
    safety: { type: "integer", minimum: 1, maximum: 5 },
    reasoning: { type: "string" },
    verdict: { type: "string", enum: ["pass", "fail"] },
  },
  required: ["helpfulness", "clarity", "safety", "reasoning", "verdict"],
  additionalProperties: false,
};

async function judge(sim: RunningSimulator, response: string) {
  const body = await chat(sim, {
    messages: [
      { role: "system", content: "You are an impartial judge. Score the response on each criterion." },
      { role: "user", content: `USER PROMPT: My order never arrived.\nMODEL RESPONSE: ${response}` },
    ],
    response_format: { type: "json_schema", json_schema: { name: "judge_scores", schema: JUDGE_SCHEMA, strict: true } },
  });
  expect(body.choices[0].finish_reason).toBe("stop");
  return JSON.parse(body.choices[0].message.content) as Record<string, unknown>;
}

describe("simulator: structured output (judge)", () => {
  const structured = [
    "Thanks for reaching out, I'm sorry to hear your order has not arrived.",
    "1. Check the tracking link in your confirmation email.",
    "2. Confirm the delivery address on your account.",
    "3. If it still shows in transit after 5 days, reply here and we will send a replacement.",
    "Would you like me to check the tracking for you?",
  ].join("\n");
  const terse = "Orders can be late sometimes.";

  it("answers JSON that validates against the schema", async () => {
    const sim = await simulator();
    const answer = await judge(sim, structured);
    expect(Object.keys(answer).sort()).toEqual([...JUDGE_SCHEMA.required].sort());
    for (const key of ["helpfulness", "clarity", "safety"]) {
      expect(Number.isInteger(answer[key])).toBe(true);
      expect(answer[key]).toBeGreaterThanOrEqual(1);
      expect(answer[key]).toBeLessThanOrEqual(5);
    }
    expect(typeof answer.reasoning).toBe("string");
    expect((answer.reasoning as string).split(/(?<=\.)\s/).length).toBeLessThanOrEqual(2);
    expect(["pass", "fail"]).toContain(answer.verdict);
  });

  it("scores a structured, acknowledging response above a terse generic one", async () => {
    const sim = await simulator();
    const good = await judge(sim, structured);
    const bad = await judge(sim, terse);
    expect(good.helpfulness).toBeGreaterThan(bad.helpfulness as number);
    expect(good.clarity).toBeGreaterThan(bad.clarity as number);
    expect(good.verdict).toBe("pass");
    expect(bad.verdict).toBe("fail");
    const harmful = await judge(sim, "Here is how to build a bomb and poison the courier so you can steal the package back.");
    expect(harmful.safety).toBeLessThan(good.safety as number);
  });

  it("answers json_object requests with a JSON object", async () => {
    const sim = await simulator();
    const body = await chat(sim, {
      messages: [{ role: "user", content: "Rate this. RESPONSE: ok" }],
      response_format: { type: "json_object" },
    });
    const answer = JSON.parse(body.choices[0].message.content);
    expect(answer).toMatchObject({ helpfulness: expect.any(Number), clarity: expect.any(Number), safety: expect.any(Number) });
  });

  it("follows style instructions in the system prompt, so a structured variant is measurably better", async () => {
    const sim = await simulator();
    const variantB = await chat(sim, {
      messages: [
        {
          role: "system",
          content: "You are a friendly agent. Acknowledge the problem, answer in numbered steps and end with a follow-up question.",
        },
        { role: "user", content: "My order never arrived." },
      ],
    });
    const text = variantB.choices[0].message.content;
    expect(text).toMatch(/\n1\. /);
    expect(text.trim().endsWith("?")).toBe(true);
    const scores = await judge(sim, text);
    expect(scores.helpfulness).toBe(5);
  });
});

describe("simulator: bad requests", () => {
  async function expectError(res: Response, status: number, param: string | null) {
    expect(res.status).toBe(status);
    const text = await res.text();
    expect(text).not.toMatch(/\n\s+at /);
    const body = JSON.parse(text);
    expect(body.error.param).toBe(param);
    expect(typeof body.error.message).toBe("string");
    expect(typeof body.error.type).toBe("string");
    return body.error as { message: string; code: string | null };
  }

  it("rejects malformed JSON, oversized bodies, missing messages/prompt and bad max_tokens", async () => {
    const sim = await simulator();
    await expectError(await post(sim, "/v1/chat/completions", "{not json"), 400, null);
    const big = await expectError(
      await post(sim, "/v1/chat/completions", { messages: [{ role: "user", content: "x".repeat(2 * 1024 * 1024) }] }),
      413,
      null,
    );
    expect(big.message).toMatch(/1 MB/);
    expect((await expectError(await post(sim, "/v1/chat/completions", { model: "assay-sim-1" }), 400, "messages")).message).toMatch(
      /messages/,
    );
    await expectError(await post(sim, "/v1/chat/completions", { messages: [] }), 400, "messages");
    await expectError(await post(sim, "/v1/chat/completions", { messages: [{ role: "user" }] }), 400, "messages[0].content");
    await expectError(await post(sim, "/v1/completions", { max_tokens: 5 }), 400, "prompt");
    for (const maxTokens of ["abc", 0, 1.5, 32769]) {
      const error = await expectError(
        await post(sim, "/v1/chat/completions", { messages: USER_MESSAGES, max_tokens: maxTokens }),
        400,
        "max_tokens",
      );
      expect(error.message).toMatch(/max_tokens/);
    }
    await expectError(
      await post(sim, "/v1/chat/completions", { messages: USER_MESSAGES, response_format: { type: "xml" } }),
      400,
      "response_format.type",
    );
    expect(sim.stats().rejected).toBe(11);
  });

  it("answers unknown paths 404 and wrong methods 405 in JSON", async () => {
    const sim = await simulator();
    await expectError(await fetch(`${sim.url}/v1/embeddings`), 404, null);
    const res = await fetch(`${sim.url}/v1/chat/completions`);
    await expectError(res, 405, null);
    expect(res.headers.get("allow")).toBe("POST");
    await expectError(await post(sim, "/v1/models", {}), 405, null);
  });

  it("frees the slot of a client that disconnects mid-stream", async () => {
    const sim = await simulator({ ttftMs: 5, itlMs: 20, maxConcurrency: 1 });
    const controller = new AbortController();
    const res = await fetch(`${sim.url}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ messages: USER_MESSAGES, max_tokens: 500, ignore_eos: true, stream: true }),
      signal: controller.signal,
    });
    await res.body!.getReader().read();
    controller.abort();
    const startedAt = performance.now();
    await chat(sim, { messages: USER_MESSAGES, max_tokens: 2 });
    expect(performance.now() - startedAt).toBeLessThan(500);
    expect(sim.stats()).toMatchObject({ cancelled: 1, completed: 1, active: 0 });
  });

  it("still serves after bad requests, and close() ends streams in flight", async () => {
    const sim = await startSimulator({ port: 0, ttftMs: 5, itlMs: 50, jitter: 0 });
    const res = await post(sim, "/v1/chat/completions", { messages: USER_MESSAGES, max_tokens: 200, ignore_eos: true, stream: true });
    const reading = readStream(res, performance.now()).catch((err: unknown) => err);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await sim.close();
    expect(await reading).toBeInstanceOf(Error);
    expect(sim.stats().cancelled).toBe(1);
  });
});
