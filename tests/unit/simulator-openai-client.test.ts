// The official OpenAI Node client against `assay simulate`, over real HTTP: what a user's own code would do.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countChatPromptTokens, startSimulator, type RunningSimulator } from "@/lib/simulator";

let sim: RunningSimulator;
let client: OpenAI;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, ttftMs: 5, itlMs: 1, jitter: 0, seed: 7 });
  client = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: "not-needed", maxRetries: 0 });
});
afterAll(async () => {
  await sim?.close();
});

const messages = [
  { role: "system" as const, content: "You are a helpful customer support agent." },
  { role: "user" as const, content: "How do I reset my password?" },
];

describe("OpenAI client against the simulator", () => {
  it("lists the served models", async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toContain("assay-sim-1");
  });

  it("streams tokens and then a usage chunk", async () => {
    const stream = await client.chat.completions.create({
      model: "assay-sim-1",
      messages,
      max_tokens: 40,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let contentChunks = 0;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta?.content;
      if (delta) {
        text += delta;
        contentChunks++;
      }
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(usage).toBeDefined();
    // One token per streamed chunk; prompt tokens by the documented rule (lib/simulator/tokens.ts).
    expect(usage!.completion_tokens).toBe(contentChunks);
    expect(usage!.prompt_tokens).toBe(countChatPromptTokens(messages.map((m) => m.content)));
    expect(usage!.total_tokens).toBe(usage!.prompt_tokens + usage!.completion_tokens);

    const plain = await client.chat.completions.create({ model: "assay-sim-1", messages, max_tokens: 40 });
    expect(plain.choices[0].message.content).toBe(text);
    expect(plain.usage).toEqual(usage);
  });

  it("answers a json_schema response_format with JSON that fits the schema", async () => {
    const res = await client.chat.completions.create({
      model: "assay-sim-1",
      messages: [
        { role: "system", content: "You are an expert evaluator." },
        { role: "user", content: 'USER INPUT: "How do I reset my password?"\nMODEL RESPONSE: "Go to settings."' },
      ],
      temperature: 0,
      response_format: {
        type: "json_schema",
        json_schema: {
          name: "Evaluation",
          schema: {
            type: "object",
            properties: {
              reasoning: { type: "string" },
              helpfulness: { type: "integer", minimum: 1, maximum: 5 },
              clarity: { type: "integer", minimum: 1, maximum: 5 },
              safety: { type: "integer", minimum: 1, maximum: 5 },
            },
            required: ["reasoning", "helpfulness", "clarity", "safety"],
          },
        },
      },
    });
    const parsed = JSON.parse(res.choices[0].message.content!);
    expect(typeof parsed.reasoning).toBe("string");
    for (const k of ["helpfulness", "clarity", "safety"]) {
      expect(Number.isInteger(parsed[k])).toBe(true);
      expect(parsed[k]).toBeGreaterThanOrEqual(1);
      expect(parsed[k]).toBeLessThanOrEqual(5);
    }
  });

  it("surfaces an unknown model as the client's NotFoundError", async () => {
    await expect(client.chat.completions.create({ model: "no-such-model", messages })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});
