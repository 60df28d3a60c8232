// The gateway (POST /api/v1/gateway/{experimentKey}/chat/completions) against the real stack, with Assay's LLM simulator
// as the model server over HTTP and, for the failures a healthy simulator never shows, a small scripted endpoint. The
// official OpenAI client is pointed at the gateway and used unchanged.
import http from "node:http";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { countChatPromptTokens, startSimulator, type RunningSimulator } from "@/lib/simulator";
import { api, baseUrl } from "../support/http";
import { freePort } from "../support/ports";
import { demoCredentials } from "../support/roles";
import { minimalExperimentBody } from "../support/experiments";
import { sql } from "../support/interactionRows";

const run = Date.now().toString(36);
const SIM_KEY = `sk-gateway-sim-${run}-SECRET`;
const STUB_KEY = `sk-gateway-stub-${run}-SECRET`;
const STUB_KEY_2 = `sk-gateway-stub-${run}-ROTATED`;
const SECRETS = [SIM_KEY, STUB_KEY, STUB_KEY_2];
const main = `gw-${run}`;
const stubbed = `gw-stub-${run}`;
const refused = `gw-refused-${run}`;
const noGateway = `gw-off-${run}`;
const PROMPT_A = "You are a helpful customer support agent.";
const PROMPT_B = "You are a customer support expert for Acme Inc. Answer in numbered steps.";

let creds: Awaited<ReturnType<typeof demoCredentials>>;
let sim: RunningSimulator;
let stub: http.Server;
let stubUrl: string;
let stubEndpointId: string;
let slowClosed = false;
const stubRequests: { headers: http.IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
/** Every answer the gateway and the API gave in this file (bodies and headers), searched for endpoint keys at the end. */
const answers: string[] = [];

const recordingFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const copy = res.clone();
  answers.push(JSON.stringify([...res.headers]));
  void copy.text().then((t) => answers.push(t));
  return res;
};

/** The OpenAI client pointed at the gateway for one experiment, with an Assay API key (ENGINEER unless told). */
function gatewayClient(experiment: string, key = creds.ENGINEER.key, headers: Record<string, string> = {}) {
  return new OpenAI({
    baseURL: `${baseUrl()}/api/v1/gateway/${experiment}`,
    apiKey: key,
    maxRetries: 0,
    defaultHeaders: headers,
    fetch: recordingFetch,
  });
}

/** A raw POST to the gateway (for what the client cannot send: bad bodies, odd headers). */
async function post(experiment: string, body: unknown, headers: Record<string, string> = {}, key: string | null = creds.ENGINEER.key) {
  const res = await fetch(`${baseUrl()}/api/v1/gateway/${experiment}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  answers.push(text, JSON.stringify([...res.headers]));
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, json, text, headers: res.headers };
}

/** The stored interaction of a gateway request, once the log has written it. */
async function interaction(requestId: string) {
  let rows: Record<string, any>[] = [];
  await expect
    .poll(
      async () => {
        rows = await sql(
          `SELECT i.*, v.key AS variant, i.cost::text AS cost_text FROM "Interaction" i JOIN "Variant" v ON v.id = i."variantId" WHERE i."requestId" = $1`,
          [requestId],
        );
        return rows.length;
      },
      { timeout: 10_000 },
    )
    .toBe(1);
  return rows[0];
}

/** The simulator's own answer for what the gateway should send for variant A or B (its model and system prompt replace the caller's). */
async function directAnswer(variant: "A" | "B", userText: string) {
  const client = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: "unused", maxRetries: 0 });
  return client.chat.completions.create({
    model: "llama-4-scout",
    messages: [
      { role: "system", content: variant === "A" ? PROMPT_A : PROMPT_B },
      { role: "user", content: userText },
    ],
    max_tokens: 24,
  });
}

async function createStarted(key: string, configs: [Record<string, unknown>, Record<string, unknown>], gatewayEnabled = true) {
  const body = { ...minimalExperimentBody(key), gatewayEnabled };
  body.variants[0].config = { ...body.variants[0].config, ...configs[0] } as (typeof body.variants)[0]["config"];
  body.variants[1].config = { ...body.variants[1].config, ...configs[1] } as (typeof body.variants)[1]["config"];
  const made = await api("/api/v1/experiments", { key: creds.PM.key, body });
  if (made.status !== 201) throw new Error(made.text);
  const started = await api(`/api/v1/experiments/${key}/start`, { method: "POST", key: creds.PM.key });
  if (started.status !== 200) throw new Error(started.text);
}

async function createEndpoint(body: Record<string, unknown>): Promise<string> {
  const res = await api("/api/v1/endpoints", { key: creds.ENGINEER.key, body });
  answers.push(res.text);
  if (res.status !== 201) throw new Error(res.text);
  return res.json.endpoint.id;
}

/** A misbehaving model server, scripted by the last user message: "500", "429", "401", "drop" (mid-stream), else a small answer. */
function stubHandler(req: http.IncomingMessage, res: http.ServerResponse) {
  let raw = "";
  req.on("data", (c) => (raw += c));
  req.on("end", () => {
    const body = JSON.parse(raw) as { messages: { role: string; content: string }[]; stream?: boolean };
    stubRequests.push({ headers: req.headers, body });
    const said = body.messages.at(-1)!.content;
    const json = (status: number, payload: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(payload));
    if (said === "500") return json(500, { error: { message: "The server had an error", type: "server_error", param: null, code: null } });
    if (said === "429")
      return json(
        429,
        { error: { message: "Rate limit reached", type: "requests", param: null, code: "rate_limit_exceeded" } },
        { "retry-after": "7" },
      );
    if (said === "401")
      return json(401, {
        error: { message: `Incorrect API key provided: ${req.headers.authorization?.slice(7)}`, code: "invalid_api_key" },
      });
    if (said === "slow") {
      // Starts an answer and then waits, as a long generation does; notes when the gateway hangs up.
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(`data: ${JSON.stringify({ model: "stub", choices: [{ index: 0, delta: { content: "Thinking" } }] })}\n\n`);
      res.on("close", () => (slowClosed = true));
      return;
    }
    if (said === "drop") {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(`data: ${JSON.stringify({ model: "stub", choices: [{ index: 0, delta: { content: "Half an ans" } }] })}\n\n`);
      setTimeout(() => res.socket?.destroy(), 50);
      return;
    }
    json(200, {
      id: "chatcmpl-stub",
      object: "chat.completion",
      created: 1,
      model: "stub-model",
      choices: [{ index: 0, message: { role: "assistant", content: "stub answer" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    });
  });
}

beforeAll(async () => {
  creds = await demoCredentials();
  sim = await startSimulator({ port: 0, ttftMs: 3, itlMs: 1, jitter: 0, seed: 11, models: ["llama-4-scout"] });
  stub = http.createServer(stubHandler);
  await new Promise<void>((resolve) => stub.listen(0, "127.0.0.1", resolve));
  stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}/v1`;

  const simEndpoint = await createEndpoint({ name: `sim-${run}`, baseUrl: `${sim.url}/v1`, apiKey: SIM_KEY });
  stubEndpointId = await createEndpoint({ name: `stub-${run}`, baseUrl: stubUrl, apiKey: STUB_KEY });
  const common = { model: "llama-4-scout", maxTokens: 24, pricePer1MInput: 0.2, pricePer1MOutput: 0.6 };
  // A is served by a managed endpoint (with a key), B by its configuration's base URL (no key).
  await createStarted(main, [
    { ...common, endpointId: simEndpoint, systemPrompt: PROMPT_A, systemPromptVersion: "v1-generic" },
    { ...common, endpoint: `${sim.url}/v1`, systemPrompt: PROMPT_B, systemPromptVersion: "v2-steps" },
  ]);
  await createStarted(stubbed, [
    { ...common, endpointId: stubEndpointId, systemPrompt: PROMPT_A },
    { ...common, endpointId: stubEndpointId, systemPrompt: PROMPT_B },
  ]);
  const closed = `http://127.0.0.1:${await freePort()}/v1`;
  await createStarted(refused, [
    { ...common, endpoint: closed, systemPrompt: PROMPT_A },
    { ...common, endpoint: closed, systemPrompt: PROMPT_B },
  ]);
  await createStarted(noGateway, [{ systemPrompt: PROMPT_A }, { systemPrompt: PROMPT_B }], false);
});

afterAll(async () => {
  await sim?.close();
  stub?.closeAllConnections();
  await new Promise((resolve) => stub?.close(resolve));
});

const users = Array.from({ length: 16 }, (_, i) => `gw-user-${run}-${i}`);
const question = "How do I reset my password?";

describe("the OpenAI client through the gateway", () => {
  it("not streaming: each user gets the simulator's answer for their variant's model and system prompt, and X-Assay-Variant is what the assign API says", async () => {
    const client = gatewayClient(main);
    const variants = new Set<string>();
    for (const user of users) {
      const { data, response } = await client.chat.completions
        .create({
          model: "gpt-4o",
          temperature: 1.5,
          user,
          messages: [
            { role: "system", content: "The caller's own system prompt, replaced by the variant's." },
            { role: "user", content: question },
          ],
        })
        .withResponse();
      const variant = response.headers.get("x-assay-variant") as "A" | "B";
      expect(["A", "B"]).toContain(variant);
      variants.add(variant);
      expect(response.headers.get("x-assay-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      const assigned = await api("/api/v1/assign", { key: creds.ENGINEER.key, body: { experiment: main, userId: user } });
      expect(assigned.json).toMatchObject({ variant, inExperiment: true, reason: "sticky" });
      const direct = await directAnswer(variant, question);
      expect(data.choices[0].message.content).toBe(direct.choices[0].message.content);
      expect(data.usage).toEqual(direct.usage);
      expect(data.model).toBe("llama-4-scout");
    }
    expect(variants).toEqual(new Set(["A", "B"]));
  });

  it("streaming: chunks arrive as the simulator sends them, the text is the simulator's, and the usage chunk comes only when asked for", async () => {
    const client = gatewayClient(main);
    for (const includeUsage of [false, true]) {
      const user = users[includeUsage ? 1 : 0];
      const { data: stream, response } = await client.chat.completions
        .create({
          model: "gpt-4o",
          user,
          stream: true,
          ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
          messages: [{ role: "user", content: question }],
        })
        .withResponse();
      expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
      const variant = response.headers.get("x-assay-variant") as "A" | "B";
      let text = "";
      let contentChunks = 0;
      let usage: OpenAI.CompletionUsage | undefined;
      let emptyChoices = 0;
      for await (const chunk of stream) {
        if (chunk.choices.length === 0) emptyChoices++;
        const delta = chunk.choices[0]?.delta?.content;
        if (delta) {
          text += delta;
          contentChunks++;
        }
        if (chunk.usage) usage = chunk.usage;
      }
      const direct = await directAnswer(variant, question);
      expect(text).toBe(direct.choices[0].message.content);
      // The simulator streams one token per chunk: the gateway passed every chunk on, none merged.
      expect(contentChunks).toBe(direct.usage!.completion_tokens);
      if (includeUsage) expect(usage).toEqual(direct.usage);
      else {
        expect(usage).toBeUndefined();
        expect(emptyChoices).toBe(0);
      }
    }
  });

  const conversation = [
    { role: "user" as const, content: "First question" },
    { role: "assistant" as const, content: "First answer" },
    { role: "user" as const, content: question },
  ];

  it("the interaction lands with latency, TTFT, tokens, cost from the variant's prices, the last user message and the output", async () => {
    const client = gatewayClient(main);
    const user = users[2];
    const { data: stream, response } = await client.chat.completions
      .create({ model: "gpt-4o", user, stream: true, messages: conversation })
      .withResponse();
    let text = "";
    let contentChunks = 0;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta?.content;
      if (delta) {
        text += delta;
        contentChunks++;
      }
    }
    const requestId = response.headers.get("x-assay-request-id")!;
    const variant = response.headers.get("x-assay-variant")!;
    const row = await interaction(requestId);
    // The simulator's documented token rule over what the gateway sent: the variant's prompt, then the caller's turns.
    const promptTokens = countChatPromptTokens([variant === "A" ? PROMPT_A : PROMPT_B, ...conversation.map((m) => m.content)]);
    expect(row).toMatchObject({
      userId: user,
      variant,
      source: "GATEWAY",
      error: null,
      modelName: "llama-4-scout",
      systemPromptVersion: variant === "A" ? "v1-generic" : "v2-steps",
      promptTokens,
      completionTokens: contentChunks,
      userInput: question,
      modelOutput: text,
    });
    expect(row.latencyMs).toBeGreaterThan(0);
    expect(row.ttftMs).toBeGreaterThan(0);
    expect(row.ttftMs).toBeLessThanOrEqual(row.latencyMs);
    const cost = (promptTokens * 0.2 + contentChunks * 0.6) / 1e6;
    expect(row.cost_text).toBe(cost.toFixed(8));

    // Not streamed: no first token to time, the rest the same.
    const plain = await client.chat.completions
      .create({ model: "gpt-4o", user, messages: [{ role: "user", content: question }] })
      .withResponse();
    const plainRow = await interaction(plain.response.headers.get("x-assay-request-id")!);
    expect(plainRow).toMatchObject({
      ttftMs: null,
      error: null,
      modelOutput: plain.data.choices[0].message.content,
      promptTokens: plain.data.usage!.prompt_tokens,
    });
  });

  it("takes the user from an X-Assay-User header when the body has none", async () => {
    const client = gatewayClient(main, creds.ENGINEER.key, { "X-Assay-User": users[3] });
    const { response } = await client.chat.completions
      .create({ model: "gpt-4o", messages: [{ role: "user", content: question }] })
      .withResponse();
    const assigned = await api("/api/v1/assign", { key: creds.ENGINEER.key, body: { experiment: main, userId: users[3] } });
    expect(response.headers.get("x-assay-variant")).toBe(assigned.json.variant);
    const row = await interaction(response.headers.get("x-assay-request-id")!);
    expect(row.userId).toBe(users[3]);
  });
});

describe("who is logged", () => {
  it("a user forced into a variant for QA is served by it, with its exposure recorded, but not logged as an interaction", async () => {
    const qa = `qa-${run}`;
    const forced = await api(`/api/v1/experiments/${main}/traffic`, {
      method: "PATCH",
      key: creds.PM.key,
      body: { forcedVariants: { [qa]: "B" } },
    });
    expect(forced.status, forced.text).toBe(200);
    const res = await post(main, { user: qa, messages: [{ role: "user", content: question }] });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-assay-variant")).toBe("B");
    // An assigned user's interaction, sent after it, is stored: by then the QA one would have been too.
    const assigned = await post(main, { user: users[4], messages: [{ role: "user", content: question }] });
    await interaction(assigned.headers.get("x-assay-request-id")!);
    expect(await sql(`SELECT 1 FROM "Interaction" WHERE "requestId" = $1`, [res.headers.get("x-assay-request-id")])).toEqual([]);
    await expect
      .poll(async () =>
        sql(
          `SELECT x.reason, x.source, x."inExperiment" FROM "Exposure" x JOIN "Experiment" e ON e.id = x."experimentId" WHERE e.key = $1 AND x."userId" = $2`,
          [main, qa],
        ),
      )
      .toEqual([{ reason: "forced", source: "GATEWAY", inExperiment: false }]);
  });
});

describe("refusals, in OpenAI's error shape", () => {
  it("no user: 400 naming it (the client raises BadRequestError with the message)", async () => {
    const err = await gatewayClient(main)
      .chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: question }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    const e = err as InstanceType<typeof OpenAI.BadRequestError>;
    expect(e.message).toContain(
      "Invalid input: user: send the end user's id in the body's `user` field or in an X-Assay-User header: it decides the variant.",
    );
    expect(e.param).toBe("user");
    expect(e.type).toBe("invalid_request_error");
  });

  it.each([
    [{ user: "u" }, "messages", "messages must be a list of chat messages"],
    [{ user: "u", messages: "hello" }, "messages", "messages must be a list of chat messages"],
    [{ user: "u", messages: [] }, "messages", "messages must hold at least one message"],
    [{ user: "u", messages: [{ role: "wizard", content: "x" }] }, "messages.0.role", "role must be one of"],
    [
      { user: "u", messages: [{ role: "user", content: { text: "x" } }] },
      "messages.0.content",
      "content must be text or a list of content parts",
    ],
    [{ user: "u", messages: [{ role: "user", content: "x" }], stream: "yes" }, "stream", "stream must be true or false"],
    [{ user: "u", messages: [{ role: "user", content: "x" }], max_tokens: -3 }, "max_tokens", "max_tokens must be at least 1"],
    [{ user: 7, messages: [{ role: "user", content: "x" }] }, "user", "user must be text"],
    [{ user: "a\u0000b", messages: [{ role: "user", content: "x" }] }, "user", "user must not contain control characters"],
    [[{ role: "user", content: "x" }], "(body)", "must be a JSON object"],
  ])("%j -> 400 naming %s", async (body, field, message) => {
    const res = await post(main, body);
    expect(res.status, res.text).toBe(400);
    expect(res.json.error).toMatchObject({ type: "invalid_request_error", param: field, code: "VALIDATION" });
    expect(res.json.error.message).toContain(message);
    expect(res.headers.get("x-assay-request-id")).toBe(res.json.error.requestId);
  });

  it("a bad header user, broken JSON and a body that is not JSON say what to fix", async () => {
    const header = await post(main, { messages: [{ role: "user", content: "x" }] }, { "x-assay-user": " " });
    expect(header.status).toBe(400);
    expect(header.json.error).toMatchObject({
      param: "X-Assay-User",
      message: "Invalid input: X-Assay-User: X-Assay-User must not be empty.",
    });
    const broken = await post(main, '{"messages": [}');
    expect(broken.status).toBe(400);
    expect(broken.json.error.message).toMatch(/^Request body is not valid JSON near line 1, column 15/);
    const text = await post(main, "hello", { "content-type": "text/plain" });
    expect(text.status).toBe(415);
    expect(text.json.error.message).toBe("Send the body as JSON with `Content-Type: application/json`.");
  });

  it("REVIEWER key 403, a session cookie or no key 401, an unknown experiment 404, one the gateway does not serve 409", async () => {
    const body = { model: "gpt-4o", user: "u", messages: [{ role: "user" as const, content: "x" }] };
    const reviewer = await gatewayClient(main, creds.REVIEWER.key)
      .chat.completions.create(body)
      .catch((e: unknown) => e);
    expect(reviewer).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((reviewer as Error).message).toContain("Your role (REVIEWER) may not do this (traffic:assign).");
    for (const role of ["ADMIN", "PM", "ENGINEER"] as const) expect((await post(main, body, {}, creds[role].key)).status).toBe(200);
    const cookie = await post(main, body, { cookie: creds.ENGINEER.cookie }, null);
    expect(cookie.status).toBe(401);
    expect(cookie.json.error).toMatchObject({ type: "invalid_request_error", code: "UNAUTHENTICATED" });
    expect((await post(main, body, {}, null)).status).toBe(401);
    const unknown = await post(`gw-none-${run}`, body);
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.message).toBe(`No experiment has the key "gw-none-${run}". Check the key on the experiment's page.`);
    const off = await post(noGateway, body);
    expect(off.status).toBe(409);
    expect(off.json.error.message).toContain(`The gateway does not serve ${noGateway}`);
  });
});

describe("endpoint failures pass through in OpenAI's shape and are logged as failed", () => {
  it.each([
    ["500", 500, { type: "server_error", code: null }, `The model endpoint "stub-${run}" answered 500: The server had an error`],
    ["429", 429, { type: "requests", code: "rate_limit_exceeded" }, `The model endpoint "stub-${run}" answered 429: Rate limit reached`],
  ])("an endpoint %s: the same status, its error, a failed interaction", async (said, status, shape, message) => {
    const res = await post(stubbed, { user: `fail-${said}`, messages: [{ role: "user", content: said }] });
    expect(res.status).toBe(status);
    expect(res.json.error).toMatchObject({ ...shape, message, param: null, requestId: res.headers.get("x-assay-request-id") });
    if (status === 429) expect(res.headers.get("retry-after")).toBe("7");
    expect(["A", "B"]).toContain(res.headers.get("x-assay-variant"));
    const row = await interaction(res.headers.get("x-assay-request-id")!);
    expect(row).toMatchObject({
      source: "GATEWAY",
      error: message.replace(`The model endpoint "stub-${run}" answered`, "endpoint answered"),
      modelOutput: null,
    });
    expect(row.latencyMs).toBeGreaterThan(0);
    // The OpenAI client sees the same error class it would from the endpoint itself.
    const err = await gatewayClient(stubbed)
      .chat.completions.create({ model: "gpt-4o", user: `fail-${said}`, messages: [{ role: "user", content: said }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(status === 429 ? OpenAI.RateLimitError : OpenAI.InternalServerError);
  });

  it("an endpoint refusing Assay's key: 502 saying to check the key in Settings, the key it echoed redacted", async () => {
    const res = await post(stubbed, { user: "fail-401", messages: [{ role: "user", content: "401" }] });
    expect(res.status).toBe(502);
    expect(res.json.error).toMatchObject({
      code: "upstream_auth_failed",
      message: `The model endpoint "stub-${run}" refused Assay's credentials (401: Incorrect API key provided: [redacted]). Check the endpoint's API key in Settings > Endpoints.`,
    });
    const row = await interaction(res.headers.get("x-assay-request-id")!);
    expect(row.error).toBe("endpoint answered 401: Incorrect API key provided: [redacted]");
  });

  it("a refused connection: 502 naming no URL, logged as failed", async () => {
    const res = await post(refused, { user: "fail-refused", messages: [{ role: "user", content: question }] });
    expect(res.status).toBe(502);
    expect(res.json.error).toMatchObject({
      type: "server_error",
      code: "upstream_unreachable",
      message: expect.stringMatching(/^The model endpoint of variant [AB] refused the connection \(is the server running\?\)\.$/),
    });
    expect(res.text).not.toContain("127.0.0.1");
    const row = await interaction(res.headers.get("x-assay-request-id")!);
    expect(row.error).toMatch(/refused the connection .*\[ECONNREFUSED\]$/);
  });

  it("a stream the endpoint drops midway ends with an error event the client raises, and is logged as failed with what arrived", async () => {
    const { data: stream, response } = await gatewayClient(stubbed)
      .chat.completions.create({ model: "gpt-4o", user: "fail-drop", stream: true, messages: [{ role: "user", content: "drop" }] })
      .withResponse();
    let text = "";
    const err = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    })().catch((e: unknown) => e);
    expect(text).toBe("Half an ans");
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as Error).message).toContain(`The model endpoint "stub-${run}" closed the connection.`);
    const row = await interaction(response.headers.get("x-assay-request-id")!);
    expect(row.modelOutput).toBe("Half an ans");
    expect(row.error).toBe(`The model endpoint "stub-${run}" closed the connection. [ECONNRESET] (after the answer began)`);
  });
});

describe("a caller that goes away", () => {
  it("hangs up the endpoint's stream too, and the interaction is logged as cut short by the caller", async () => {
    const abort = new AbortController();
    const res = await fetch(`${baseUrl()}/api/v1/gateway/${stubbed}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${creds.ENGINEER.key}` },
      body: JSON.stringify({ model: "gpt-4o", user: "leaver", stream: true, messages: [{ role: "user", content: "slow" }] }),
      signal: abort.signal,
    });
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain("Thinking");
    abort.abort();
    await expect.poll(() => slowClosed).toBe(true);
    const row = await interaction(res.headers.get("x-assay-request-id")!);
    expect(row).toMatchObject({ error: "the caller closed the connection before the answer ended", modelOutput: "Thinking" });
  });
});

describe("what reaches the endpoint", () => {
  it("only Assay's own headers: the endpoint's key as the bearer, never the caller's Assay key or hop-by-hop headers", async () => {
    const before = stubRequests.length;
    const target = new URL(`${baseUrl()}/api/v1/gateway/${stubbed}/chat/completions`);
    const payload = JSON.stringify({ user: "headers", messages: [{ role: "user", content: "hello" }] });
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        target,
        {
          method: "POST",
          headers: {
            authorization: `Bearer ${creds.ENGINEER.key}`,
            "content-type": "application/json",
            connection: "keep-alive, x-hop-secret",
            "x-hop-secret": "must-not-travel",
            "keep-alive": "timeout=5",
            "proxy-authorization": "Basic must-not-travel",
            te: "trailers",
            cookie: "next-auth.session-token=must-not-travel",
            "x-forwarded-for": "203.0.113.9",
            "openai-organization": "org-must-not-travel",
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
    expect(status).toBe(200);
    const seen = stubRequests[before];
    expect(Object.keys(seen.headers).sort()).toEqual([
      "accept",
      "authorization",
      "connection",
      "content-length",
      "content-type",
      "host",
      "x-request-id",
    ]);
    expect(seen.headers.authorization).toBe(`Bearer ${STUB_KEY}`);
    expect(JSON.stringify(seen.headers)).not.toContain("must-not-travel");
    expect(JSON.stringify(seen.headers)).not.toContain(creds.ENGINEER.key);
    // The variant's system prompt first; the caller's user message as sent; usage is not asked for a request that is not streamed.
    expect(seen.body).toMatchObject({ model: "llama-4-scout", max_tokens: 24, user: "headers" });
    expect((seen.body.messages as { role: string }[])[0].role).toBe("system");
  });

  it("a replaced endpoint key is used from the very next request", async () => {
    const res = await api(`/api/v1/endpoints/${stubEndpointId}`, {
      method: "PATCH",
      key: creds.ENGINEER.key,
      body: { apiKey: STUB_KEY_2 },
    });
    answers.push(res.text);
    expect(res.status).toBe(200);
    const before = stubRequests.length;
    expect((await post(stubbed, { user: "rotated", messages: [{ role: "user", content: "hello" }] })).status).toBe(200);
    expect(stubRequests[before].headers.authorization).toBe(`Bearer ${STUB_KEY_2}`);
  });
});

describe("endpoint keys are never shown", () => {
  it("no answer, design, client config, audit record or line of the stack's log holds one", async () => {
    for (const path of [
      `/api/v1/endpoints`,
      `/api/v1/experiments/${main}`,
      `/api/v1/experiments/${stubbed}`,
      `/api/v1/experiments/${main}/config`,
    ]) {
      const res = await api(path, { key: creds.ADMIN.key });
      expect(res.status).toBe(200);
      answers.push(res.text);
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(answers.length).toBeGreaterThan(60);
    const audit = await sql<{ details: unknown }>(`SELECT details FROM "AuditEvent" WHERE "entityType" = 'Endpoint'`);
    const interactions = await sql<{ error: string | null }>(`SELECT error FROM "Interaction" WHERE error IS NOT NULL`);
    const log = fs.readFileSync(inject("stackLog"), "utf8");
    for (const secret of SECRETS) {
      for (const text of answers) expect(text).not.toContain(secret);
      expect(JSON.stringify(audit)).not.toContain(secret);
      expect(JSON.stringify(interactions)).not.toContain(secret);
      expect(log).not.toContain(secret);
    }
  });
});
