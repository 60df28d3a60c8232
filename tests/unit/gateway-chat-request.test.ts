// What the gateway sends a variant's endpoint (lib/gateway/chatRequest.ts), rule by rule, and how it reads answers
// (lib/gateway/chatStream.ts, lib/openai/sse.ts) and endpoint errors (lib/gateway/openaiErrors.ts).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chatSettingsOf, lastUserInput, upstreamChatRequest } from "@/lib/gateway/chatRequest";
import { ChatAnswer } from "@/lib/gateway/chatStream";
import { eventData, SseEventSplitter } from "@/lib/openai/sse";
import { redactSecret, unreachableAnswer, upstreamErrorAnswer } from "@/lib/gateway/openaiErrors";
import { gatewayChatRequestSchema, type GatewayChatRequest } from "@/lib/validation/gateway";

const request = (over: Record<string, unknown> = {}): GatewayChatRequest =>
  gatewayChatRequestSchema.parse({
    model: "caller-model",
    messages: [
      { role: "system", content: "Caller's system prompt" },
      { role: "developer", content: "Caller's developer note" },
      { role: "user", content: "First question" },
      { role: "assistant", content: "First answer" },
      { role: "user", content: "How do I reset my password?" },
    ],
    temperature: 1.2,
    top_p: 0.5,
    max_completion_tokens: 900,
    seed: 7,
    tools: [{ type: "function", function: { name: "lookup" } }],
    ...over,
  });

describe("the upstream request", () => {
  it("applies the variant's model, system prompt and parameters over the caller's, and keeps every other field", () => {
    const out = upstreamChatRequest(
      request(),
      chatSettingsOf({
        model: "llama-4-scout",
        systemPrompt: "You are Acme's support expert.",
        temperature: 0.2,
        topP: 0.9,
        maxTokens: 256,
      }),
      "endpoint-default",
    );
    expect(out.body).toEqual({
      model: "llama-4-scout",
      messages: [
        { role: "system", content: "You are Acme's support expert." },
        { role: "user", content: "First question" },
        { role: "assistant", content: "First answer" },
        { role: "user", content: "How do I reset my password?" },
      ],
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 256,
      seed: 7,
      tools: [{ type: "function", function: { name: "lookup" } }],
    });
    expect(out).toMatchObject({ model: "llama-4-scout", stream: false, callerWantsUsage: false });
  });

  it("where the variant sets nothing, the caller's messages and parameters go as sent; the model falls back to the caller's, then the endpoint's default", () => {
    const out = upstreamChatRequest(request(), chatSettingsOf({}), "endpoint-default");
    expect(out.body).toEqual({ ...request() });
    expect(upstreamChatRequest(request({ model: undefined }), chatSettingsOf({}), "endpoint-default").body.model).toBe("endpoint-default");
    expect("model" in upstreamChatRequest(request({ model: undefined }), chatSettingsOf({}), null).body).toBe(false);
  });

  it("a streamed request always asks the endpoint for usage; the caller gets the usage chunk only if it asked", () => {
    const quiet = upstreamChatRequest(request({ stream: true }), {}, null);
    expect(quiet.body.stream_options).toEqual({ include_usage: true });
    expect(quiet).toMatchObject({ stream: true, callerWantsUsage: false });
    const asked = upstreamChatRequest(request({ stream: true, stream_options: { include_usage: true } }), {}, null);
    expect(asked).toMatchObject({ stream: true, callerWantsUsage: true });
    expect("stream_options" in upstreamChatRequest(request(), {}, null).body).toBe(false);
  });

  it("ignores configuration values of the wrong type (a hand-edited row), and logs the last user message's text", () => {
    expect(chatSettingsOf({ model: "", temperature: "hot", maxTokens: Number.NaN, systemPrompt: "  " })).toEqual({
      model: undefined,
      systemPrompt: undefined,
      temperature: undefined,
      topP: undefined,
      maxTokens: undefined,
    });
    expect(lastUserInput(request())).toBe("How do I reset my password?");
    const parts = request({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Look at" },
            { type: "image_url", image_url: { url: "x" } },
            { type: "text", text: "this" },
          ],
        },
      ],
    });
    expect(lastUserInput(parts)).toBe("Look at\nthis");
  });
});

describe("the request body's checks name the field", () => {
  it.each([
    [{}, "messages", "messages must be a list of chat messages"],
    [{ messages: "hi" }, "messages", "messages must be a list of chat messages"],
    [{ messages: [] }, "messages", "messages must hold at least one message"],
    [
      { messages: [{ role: "boss", content: "x" }] },
      "messages.0.role",
      "role must be one of system, developer, user, assistant, tool, function",
    ],
    [{ messages: [{ role: "user", content: 5 }] }, "messages.0.content", "content must be text or a list of content parts"],
    [{ messages: [{ role: "user", content: "x" }], stream: "yes" }, "stream", "stream must be true or false"],
    [{ messages: [{ role: "user", content: "x" }], temperature: "hot" }, "temperature", "temperature must be a number"],
    [{ messages: [{ role: "user", content: "x" }], max_tokens: 1.5 }, "max_tokens", "max_tokens must be a whole number"],
    [{ messages: [{ role: "user", content: "x" }], user: 42 }, "user", "user must be text"],
  ])("%j -> %s", (body, field, message) => {
    const parsed = gatewayChatRequestSchema.safeParse(body);
    expect(parsed.success).toBe(false);
    const issue = parsed.error!.issues[0];
    expect(issue.path.join(".")).toBe(field);
    expect(issue.message).toContain(message);
  });
});

describe("reading a streamed answer", () => {
  const events = [
    'data: {"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""}}],"usage":null}',
    'data: {"model":"m","choices":[{"index":0,"delta":{"content":"Héllo"}}],"usage":null}',
    'data: {"model":"m","choices":[{"index":0,"delta":{"content":" wörld"}}],"usage":null}',
    ": keep-alive comment",
    'data: {"model":"m","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14}}',
    "data: [DONE]",
  ];
  const text = events.map((e) => `${e}\n\n`).join("");

  it("cuts any split of the bytes into the same whole events, in order", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 12 }), (cuts) => {
        const points = [...new Set([0, ...cuts.sort((a, b) => a - b), text.length])];
        const splitter = new SseEventSplitter();
        const seen: string[] = [];
        for (let i = 1; i < points.length; i++) seen.push(...splitter.push(text.slice(points[i - 1], points[i])));
        expect(seen).toEqual(events);
        expect(splitter.rest()).toBe("");
      }),
    );
    expect(new SseEventSplitter().push("data: a\r\n\r\ndata: b\n\n")).toEqual(["data: a", "data: b"]);
  });

  it("collects the output, usage and model, and tells content, usage and [DONE] apart", () => {
    const answer = new ChatAnswer();
    const kinds = events.map((e) => {
      const data = eventData(e);
      return data === null ? "none" : answer.observeChunk(data).kind;
    });
    expect(kinds).toEqual(["other", "content", "content", "none", "usage", "done"]);
    expect(answer).toMatchObject({ output: "Héllo wörld", model: "m", usage: { promptTokens: 12, completionTokens: 2 } });
    expect(eventData("event: x\ndata: one\ndata:two")).toBe("one\ntwo");
    expect(new ChatAnswer().observeChunk('{"error":{"message":"overloaded"}}')).toEqual({ kind: "error", message: "overloaded" });
  });

  it("reads a whole chat.completion", () => {
    const answer = new ChatAnswer();
    answer.observeCompletion(
      JSON.stringify({
        model: "m2",
        choices: [{ index: 0, message: { content: "Hi" } }],
        usage: { prompt_tokens: 3, completion_tokens: 1 },
      }),
    );
    expect(answer).toMatchObject({ output: "Hi", model: "m2", usage: { promptTokens: 3, completionTokens: 1 } });
  });
});

describe("endpoint errors, in OpenAI's shape", () => {
  const label = 'The model endpoint "sim"';

  it("passes an endpoint's status and OpenAI error through, prefixed with who answered", () => {
    const body = JSON.stringify({ error: { message: "Rate limit reached", type: "requests", param: null, code: "rate_limit_exceeded" } });
    expect(upstreamErrorAnswer(429, body, label, null)).toEqual({
      status: 429,
      body: {
        error: {
          message: 'The model endpoint "sim" answered 429: Rate limit reached',
          type: "requests",
          param: null,
          code: "rate_limit_exceeded",
        },
      },
      logged: "endpoint answered 429: Rate limit reached",
    });
    // vLLM's shape, FastAPI's, and plain text.
    expect(
      upstreamErrorAnswer(400, '{"object":"error","message":"bad max_tokens","type":"BadRequestError","code":400}', label, null).body.error,
    ).toEqual({
      message: 'The model endpoint "sim" answered 400: bad max_tokens',
      type: "BadRequestError",
      param: null,
      code: "400",
    });
    expect(upstreamErrorAnswer(422, '{"detail":"field required"}', label, null).body.error.message).toBe(
      'The model endpoint "sim" answered 422: field required',
    );
    expect(upstreamErrorAnswer(500, "Internal Server Error", label, null).body.error).toEqual({
      message: 'The model endpoint "sim" answered 500: Internal Server Error',
      type: "server_error",
      param: null,
      code: null,
    });
  });

  it("an endpoint refusing Assay's own key is a 502 that says to check the key, with the key redacted from what the endpoint echoed", () => {
    const secret = "sk-SECRET-123456";
    const failed = upstreamErrorAnswer(401, JSON.stringify({ error: { message: `Incorrect API key provided: ${secret}` } }), label, secret);
    expect(failed.status).toBe(502);
    expect(failed.body.error.code).toBe("upstream_auth_failed");
    expect(failed.body.error.message).toBe(
      "The model endpoint \"sim\" refused Assay's credentials (401: Incorrect API key provided: [redacted]). Check the endpoint's API key in Settings > Endpoints.",
    );
    expect(JSON.stringify(failed)).not.toContain(secret);
    expect(redactSecret(`a ${secret} b ${secret}`, secret)).toBe("a [redacted] b [redacted]");
  });

  it("a refused connection is 502 and a timeout 504, naming the endpoint, never its URL", () => {
    expect(unreachableAnswer("connection", "ECONNREFUSED", label, 1000)).toEqual({
      status: 502,
      body: {
        error: {
          message: 'The model endpoint "sim" refused the connection (is the server running?).',
          type: "server_error",
          param: null,
          code: "upstream_unreachable",
        },
      },
      logged: 'The model endpoint "sim" refused the connection (is the server running?). [ECONNREFUSED]',
    });
    expect(unreachableAnswer("timeout", undefined, label, 1500).body.error).toEqual({
      message: 'The model endpoint "sim" did not answer within 1.5 s (ASSAY_GATEWAY_TIMEOUT_MS).',
      type: "server_error",
      param: null,
      code: "upstream_timeout",
    });
  });
});
