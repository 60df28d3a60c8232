import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { AppError } from "../errors";
import { planCompletion, type CompletionPlan } from "./completion";
import { drawInjectedFault, drawStall } from "./faults";
import {
  chatChunk,
  chatCompletion,
  errorBody,
  modelList,
  textChunk,
  textCompletion,
  usageChunk,
  type ResponseIdentity,
} from "./openaiShapes";
import { resolveSimulatorOptions, type SimulatorOptions } from "./options";
import { ConcurrencyQueue } from "./queue";
import { mulberry32, requestRandom } from "./random";
import { parseChatRequest, parseCompletionRequest, type SimulatedRequest } from "./requests";
import { tokenDelays } from "./timing";

/** Largest request body accepted; bigger ones get 413. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Past this many bytes an oversized body is no longer drained; the connection is dropped. */
const MAX_DRAIN_BYTES = 64 * MAX_BODY_BYTES;

/** Counters since start; active/queued are current values. */
export interface SimulatorStats {
  /** HTTP requests received, any path. */
  requests: number;
  /** Generations answered in full. */
  completed: number;
  /** Injected 429s. */
  rateLimited: number;
  /** Injected 500s. */
  serverErrors: number;
  /** Requests accepted and never answered (--stall-rate). */
  stalled: number;
  /** 4xx answers to bad requests. */
  rejected: number;
  /** Generations abandoned because the client went away or the simulator closed. */
  cancelled: number;
  /** Generations holding a concurrency slot now. */
  active: number;
  /** Generations waiting for a slot now. */
  queued: number;
  peakActive: number;
  peakQueued: number;
  promptTokens: number;
  completionTokens: number;
}

/** A running simulator. `url` has no trailing slash; the OpenAI base URL is `${url}/v1`. */
export interface RunningSimulator {
  url: string;
  host: string;
  port: number;
  options: SimulatorOptions;
  /** Stops listening, aborts every generation in flight and resolves when the server is closed. */
  close(): Promise<void>;
  stats(): SimulatorStats;
}

const ROUTES: Record<string, { method: "GET" | "POST"; name: "health" | "models" | "chat" | "completions" }> = {
  "/health": { method: "GET", name: "health" },
  "/v1/models": { method: "GET", name: "models" },
  "/v1/chat/completions": { method: "POST", name: "chat" },
  "/v1/completions": { method: "POST", name: "completions" },
};

/** Default OpenAI error type and code for each AppError code the simulator raises. */
const ERROR_TYPE: Partial<Record<AppError["code"], { type: string; code: string | null }>> = {
  VALIDATION: { type: "invalid_request_error", code: "invalid_value" },
  BAD_JSON: { type: "invalid_request_error", code: "invalid_json" },
  NOT_FOUND: { type: "invalid_request_error", code: "not_found" },
  METHOD_NOT_ALLOWED: { type: "invalid_request_error", code: "method_not_allowed" },
  PAYLOAD_TOO_LARGE: { type: "invalid_request_error", code: "payload_too_large" },
};

function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendAppError(res: ServerResponse, err: AppError, headers: Record<string, string> = {}): void {
  const details = (err.details ?? {}) as { param?: string; code?: string };
  const defaults = ERROR_TYPE[err.code] ?? { type: "invalid_request_error", code: null };
  sendJson(res, err.status, errorBody(err.message, defaults.type, details.param ?? null, details.code ?? defaults.code), headers);
}

/** Reads the body as UTF-8; over MAX_BODY_BYTES it drains the rest and throws PAYLOAD_TOO_LARGE. */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const tooLarge = () => new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than ${MAX_BODY_BYTES} bytes (1 MB).`);
    const declared = Number(req.headers["content-length"]);
    let oversized = Number.isFinite(declared) && declared > MAX_BODY_BYTES;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) oversized = true;
      if (size > MAX_DRAIN_BYTES) {
        req.destroy();
        reject(tooLarge());
        return;
      }
      if (!oversized) chunks.push(chunk);
    });
    req.on("end", () => (oversized ? reject(tooLarge()) : resolve(Buffer.concat(chunks).toString("utf8"))));
    req.on("error", reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("BAD_JSON", "The request body is not valid JSON.");
  }
}

/** Waits until performance.now() reaches `due`, or throws if `signal` aborts first. */
async function waitUntil(due: number, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  const ms = due - performance.now();
  if (ms > 0) await sleep(ms, undefined, { signal });
}

/**
 * Starts the OpenAI-compatible simulator on node:http. `port: 0` (the default) picks a free port. Rejects with a clear
 * Error when the port is in use or the options are out of range.
 */
export async function startSimulator(opts: Partial<SimulatorOptions> & { port?: number } = {}): Promise<RunningSimulator> {
  const { port: requestedPort = 0, ...rest } = opts;
  const options = resolveSimulatorOptions(rest);
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new Error(`Invalid simulator option port: must be an integer from 0 to 65535, got ${requestedPort}.`);
  }
  const queue = new ConcurrencyQueue(options.maxConcurrency);
  // Timing jitter and injected faults follow arrival order; output text does not (see requestRandom).
  const serverRandom = mulberry32(options.seed ^ 0x5eed5eed);
  const stallRandom = mulberry32(options.seed ^ 0x57a11ed);
  const shutdown = new AbortController();
  const startedAt = Math.floor(Date.now() / 1000);
  const counters = {
    requests: 0,
    completed: 0,
    rateLimited: 0,
    serverErrors: 0,
    stalled: 0,
    rejected: 0,
    cancelled: 0,
    peakActive: 0,
    peakQueued: 0,
    promptTokens: 0,
    completionTokens: 0,
  };

  async function generate(res: ServerResponse, request: SimulatedRequest, signal: AbortSignal): Promise<void> {
    const fault = drawInjectedFault(serverRandom, options.errorRate);
    if (fault === "rate_limit") {
      counters.rateLimited++;
      sendJson(
        res,
        429,
        errorBody("Rate limit reached for requests (injected by the Assay simulator).", "requests", null, "rate_limit_exceeded"),
        {
          "retry-after": "1",
        },
      );
      return;
    }
    if (fault === "server_error") {
      counters.serverErrors++;
      sendJson(
        res,
        500,
        errorBody(
          "The server had an error while processing your request (injected by the Assay simulator).",
          "server_error",
          null,
          "server_error",
        ),
      );
      return;
    }
    if (drawStall(stallRandom, options.stallRate)) {
      // Accepted and never answered: a streaming client gets its headers and then nothing, until it gives up.
      counters.stalled++;
      if (request.stream) {
        res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" });
        res.flushHeaders();
      }
      await new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));
    }
    const plan = planCompletion(request, requestRandom(options.seed, request.contentKey));
    const delays = tokenDelays(serverRandom, plan.tokens.length, options);
    const identity: ResponseIdentity = {
      id: `${request.endpoint === "chat" ? "chatcmpl" : "cmpl"}-${randomUUID().replace(/-/g, "")}`,
      created: Math.floor(Date.now() / 1000),
      model: request.model,
    };
    if (request.stream) {
      res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" });
      res.flushHeaders();
    }
    const slot = queue.acquire(signal);
    counters.peakQueued = Math.max(counters.peakQueued, queue.waitingCount);
    const release = await slot;
    try {
      counters.peakActive = Math.max(counters.peakActive, queue.activeCount);
      if (request.stream) await streamPlan(res, request, plan, delays, identity, signal);
      else {
        await waitUntil(performance.now() + delays.reduce((sum, delay) => sum + delay, 0), signal);
        sendJson(res, 200, request.endpoint === "chat" ? chatCompletion(identity, plan) : textCompletion(identity, plan));
      }
      counters.completed++;
      counters.promptTokens += plan.promptTokens;
      counters.completionTokens += plan.completionTokens;
    } finally {
      release();
    }
  }

  async function streamPlan(
    res: ServerResponse,
    request: SimulatedRequest,
    plan: CompletionPlan,
    delays: number[],
    identity: ResponseIdentity,
    signal: AbortSignal,
  ): Promise<void> {
    const send = (chunk: unknown) => res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    const chat = request.endpoint === "chat";
    let due = performance.now();
    for (let i = 0; i < plan.tokens.length; i++) {
      due += delays[i];
      await waitUntil(due, signal);
      if (chat && i === 0) send(chatChunk(identity, { role: "assistant", content: "" }, null, request.includeUsage));
      const token = plan.tokens[i];
      send(
        chat ? chatChunk(identity, { content: token }, null, request.includeUsage) : textChunk(identity, token, null, request.includeUsage),
      );
    }
    send(
      chat
        ? chatChunk(identity, {}, plan.finishReason, request.includeUsage)
        : textChunk(identity, "", plan.finishReason, request.includeUsage),
    );
    if (request.includeUsage) send(usageChunk(identity, chat ? "chat.completion.chunk" : "text_completion", plan));
    res.end("data: [DONE]\n\n");
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    counters.requests++;
    const path = new URL(req.url ?? "/", "http://simulator").pathname;
    const route = ROUTES[path];
    if (!route)
      throw new AppError("NOT_FOUND", `No route for ${path}. Served: ${Object.keys(ROUTES).join(", ")}.`, { code: "unknown_url" });
    if (req.method !== route.method) {
      throw new AppError("METHOD_NOT_ALLOWED", `${req.method} is not allowed on ${path}; use ${route.method}.`, { allow: route.method });
    }
    if (route.name === "health") return sendJson(res, 200, { status: "ok" });
    if (route.name === "models") return sendJson(res, 200, modelList(options.models, startedAt));
    const body = parseJson(await readBody(req));
    const request = route.name === "chat" ? parseChatRequest(body, options.models) : parseCompletionRequest(body, options.models);
    const clientGone = new AbortController();
    res.on("close", () => {
      if (!res.writableEnded) clientGone.abort(new Error("client closed the connection"));
    });
    await generate(res, request, AbortSignal.any([shutdown.signal, clientGone.signal]));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof AppError) {
        counters.rejected++;
        const allow = (err.details as { allow?: string } | undefined)?.allow;
        sendAppError(res, err, allow ? { allow } : {});
        return;
      }
      if (shutdown.signal.aborted || res.destroyed || (err instanceof Error && err.name === "AbortError")) {
        counters.cancelled++;
        res.destroy();
        return;
      }
      process.stderr.write(`assay simulator: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, errorBody("Internal simulator error.", "server_error", null, "internal_error"));
    });
  });

  const host = options.host;
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      if (err.code === "EADDRINUSE") reject(new Error(`Cannot listen on ${host}:${requestedPort}: the port is already in use.`));
      else if (err.code === "EACCES") reject(new Error(`Cannot listen on ${host}:${requestedPort}: permission denied.`));
      else if (err.code === "EADDRNOTAVAIL" || err.code === "ENOTFOUND")
        reject(new Error(`Cannot listen on ${host}: no such local address.`));
      else reject(new Error(`Cannot listen on ${host}:${requestedPort}: ${err.message}`));
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen({ port: requestedPort, host, backlog: 4096 });
  });

  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${port}`,
    host,
    port,
    options,
    close() {
      closing ??= new Promise<void>((resolve) => {
        shutdown.abort(new Error("simulator closed"));
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
    stats: () => ({ ...counters, active: queue.activeCount, queued: queue.waitingCount }),
  };
}
