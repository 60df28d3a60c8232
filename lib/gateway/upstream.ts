// The gateway's connection to a model endpoint: node:http(s) with keep-alive agents (no per-request connection set-up),
// its own headers only (the caller's, its Assay key and hop-by-hop headers included, are never passed on), and one
// timeout that covers both waiting for the answer and every gap while it streams.
import http from "node:http";
import https from "node:https";

const agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: 1024, scheduling: "lifo" }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: 1024, scheduling: "lifo" }),
};

/** Where a variant is served from. `apiKey` is decrypted and goes to this base URL only. */
export interface UpstreamTarget {
  baseUrl: string;
  apiKey: string | null;
  /** How errors name it to the caller: `The model endpoint "vllm-prod"` (never its URL or key). */
  label: string;
}

/** The endpoint could not be reached, or went quiet for longer than the timeout. */
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
  /** The endpoint's answer once its status and headers arrive; rejects with UpstreamFailure. */
  response: Promise<http.IncomingMessage>;
  /** Why the call failed after its answer began (a timeout or a dropped connection mid-stream), else null. */
  failure(): UpstreamFailure | null;
  /** Drops the call (the caller went away). */
  abort(): void;
}

/** `${baseUrl}/chat/completions` (a base URL is OpenAI's: it ends where `/chat/completions` begins, e.g. http://vllm:8000/v1). */
export function chatCompletionsUrl(baseUrl: string): URL {
  return new URL(`${baseUrl.replace(/\/+$/, "")}/chat/completions`);
}

/** POSTs a chat completion request to the target; one retry when a kept-alive connection turns out closed before any answer. */
export function postChatCompletion(target: UpstreamTarget, body: Buffer, opts: { timeoutMs: number; requestId: string }): UpstreamCall {
  const url = chatCompletionsUrl(target.baseUrl);
  const transport = url.protocol === "https:" ? https : http;
  const headers: http.OutgoingHttpHeaders = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "content-length": body.length,
    "x-request-id": opts.requestId,
  };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  let failure: UpstreamFailure | null = null;
  let current: http.ClientRequest | null = null;

  const attempt = (retry: boolean) =>
    new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = transport.request(url, { method: "POST", headers, agent: agents[url.protocol as keyof typeof agents] });
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
      req.end(body);
    });

  return {
    response: attempt(true),
    failure: () => failure,
    // With a reason, so the call's promise settles (a bare destroy before the answer may emit no error at all).
    abort: () => current?.destroy(new UpstreamFailure("connection", "ECANCELED")),
  };
}
