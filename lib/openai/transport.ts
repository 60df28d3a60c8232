// The transport of Assay's one OpenAI-compatible client (vLLM, Llama API, Ollama, the simulator): node:http(s) with
// keep-alive agents (no per-request connection set-up), its own headers only (a caller's, its Assay key and hop-by-hop
// headers included, are never passed on), and one timeout that covers both waiting for the answer and every gap while
// it streams. Three callers share it: the gateway (lib/dataPlane/gateway.ts passes streams on), the judge
// (lib/openai/chat.ts, whole answers with retries) and the load harness (lib/openai/stream.ts, timed streams).
// node:http rather than fetch: fetch refuses some ports (6000, for one) that model servers do listen on.
import http from "node:http";
import https from "node:https";

const sharedAgents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: 1024, scheduling: "lifo" }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: 1024, scheduling: "lifo" }),
};

/** Where calls go. `apiKey` goes to this base URL only. */
export interface UpstreamTarget {
  /** OpenAI's base URL: it ends where `/chat/completions` begins (http://vllm:8000/v1). */
  baseUrl: string;
  apiKey: string | null;
  /** How errors name it to the caller: `The model endpoint "vllm-prod"` (never its URL or key). */
  label: string;
}

/** The server could not be reached, or went quiet for longer than the timeout. */
export class UpstreamFailure extends Error {
  constructor(
    readonly kind: "timeout" | "connection",
    readonly code?: string,
  ) {
    super(kind === "timeout" ? "the model endpoint timed out" : `the model endpoint could not be reached${code ? ` (${code})` : ""}`);
    this.name = "UpstreamFailure";
  }
}

export interface UpstreamCall {
  /** The server's answer once its status and headers arrive; rejects with UpstreamFailure. */
  response: Promise<http.IncomingMessage>;
  /** Why the call failed after its answer began (a timeout or a dropped connection mid-stream), else null. */
  failure(): UpstreamFailure | null;
  /** Drops the call (the caller went away). */
  abort(): void;
}

/** OpenAI's base URL from a server root (http://host:8000, as varcas and vLLM bench take it) or a base (…/v1). */
export function openaiBase(url: string): string {
  const base = url.replace(/\/+$/, "");
  return /\/v1$/.test(base) ? base : `${base}/v1`;
}

/** `${baseUrl}/${path}` for an OpenAI base URL (http://vllm:8000/v1 + chat/completions). */
export function openaiUrl(baseUrl: string, path: "chat/completions" | "completions" | "models"): URL {
  return new URL(`${baseUrl.replace(/\/+$/, "")}/${path}`);
}

/** A keep-alive agent of the caller's own, with no socket cap (a load run caps itself, so no wait hides in the agent). */
export function ownAgent(url: string): http.Agent {
  const options = { keepAlive: true, maxSockets: Infinity, maxFreeSockets: 4096, scheduling: "lifo" as const };
  return url.startsWith("https:") ? new https.Agent(options) : new http.Agent(options);
}

export interface SendOptions {
  method?: "GET" | "POST";
  body?: Buffer;
  apiKey: string | null;
  accept?: string;
  timeoutMs: number;
  requestId?: string;
  /** The caller's agent (default: one shared keep-alive agent per protocol). */
  agent?: http.Agent;
  /** Send once more when a kept-alive connection turns out closed before any answer (default true). */
  retryStale?: boolean;
  /** Called just before the request is written (each attempt). */
  onSend?: () => void;
}

/** Sends one request; the answer, or why there is none, comes through the returned call. */
export function send(url: URL, opts: SendOptions): UpstreamCall {
  const transport = url.protocol === "https:" ? https : http;
  const headers: http.OutgoingHttpHeaders = { accept: opts.accept ?? "application/json" };
  if (opts.body) {
    headers["content-type"] = "application/json";
    headers["content-length"] = opts.body.length;
  }
  if (opts.requestId) headers["x-request-id"] = opts.requestId;
  if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`;
  const agent = opts.agent ?? sharedAgents[url.protocol as keyof typeof sharedAgents];
  let failure: UpstreamFailure | null = null;
  let current: http.ClientRequest | null = null;

  const attempt = (retry: boolean) =>
    new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = transport.request(url, { method: opts.method ?? "POST", headers, agent });
      current = req;
      let answered = false;
      req.setTimeout(opts.timeoutMs, () => {
        failure = new UpstreamFailure("timeout");
        req.destroy(failure);
      });
      req.once("response", (res) => {
        answered = true;
        resolve(res);
      });
      req.on("error", (err: NodeJS.ErrnoException) => {
        if (answered) {
          failure ??= err instanceof UpstreamFailure ? err : new UpstreamFailure("connection", err.code);
          return;
        }
        if (retry && req.reusedSocket && err.code === "ECONNRESET") return void attempt(false).then(resolve, reject);
        reject(err instanceof UpstreamFailure ? err : new UpstreamFailure("connection", err.code));
      });
      opts.onSend?.();
      req.end(opts.body);
    });

  return {
    response: attempt(opts.retryStale ?? true),
    failure: () => failure,
    // With a reason, so the call's promise settles (a bare destroy before the answer may emit no error at all).
    abort: () => current?.destroy(new UpstreamFailure("connection", "ECANCELED")),
  };
}

/** POSTs a chat completion request to the target. */
export function postChatCompletion(target: UpstreamTarget, body: Buffer, opts: { timeoutMs: number; requestId: string }): UpstreamCall {
  return send(openaiUrl(target.baseUrl, "chat/completions"), {
    body,
    apiKey: target.apiKey,
    accept: "application/json, text/event-stream",
    timeoutMs: opts.timeoutMs,
    requestId: opts.requestId,
  });
}

/** Reads a whole answer as text, refusing one larger than `limit` bytes. */
export function readText(res: http.IncomingMessage, limit = 8 * 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) res.destroy(new Error(`the answer is larger than ${limit / 1048576} MB`));
      else chunks.push(c);
    });
    res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    res.on("error", reject);
  });
}

/** GETs a JSON document (its status and parsed body, null when it is not JSON); rejects with UpstreamFailure. */
export async function getJson(
  url: URL,
  opts: { apiKey: string | null; timeoutMs: number; agent?: http.Agent },
): Promise<{ status: number; body: unknown }> {
  const call = send(url, { method: "GET", ...opts });
  const res = await call.response;
  let text: string;
  try {
    text = await readText(res, 1_000_000);
  } catch (err) {
    throw call.failure() ?? err;
  }
  const failure = call.failure();
  if (failure) throw failure;
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the caller says so
  }
  return { status: res.statusCode ?? 0, body };
}
