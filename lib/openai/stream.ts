// A streaming completion against an OpenAI-compatible server (vLLM, Llama API, Ollama, the simulator), timed for load
// tests: /v1/chat/completions or /v1/completions with `stream: true` and `stream_options.include_usage`, every chunk's
// arrival time on the high-resolution clock, the server's `usage` for token counts, and failures classified (HTTP status,
// timeout, connection, malformed stream, cancelled). It never throws: a failed call is an outcome like any other, so a
// load run records it and goes on. It goes over the one client's transport (lib/openai/transport.ts) and its event
// reader (lib/openai/sse.ts), the gateway's and the judge's too, on a keep-alive agent the caller owns (one per run).
import type http from "node:http";
import type { ErrorClass } from "@/lib/harness/types";
import { eventData, SseEventSplitter } from "@/lib/openai/sse";
import { openaiBase, openaiUrl, send, UpstreamFailure } from "@/lib/openai/transport";

/** Unix time in ms with sub-ms precision (the monotonic clock, anchored once at process start). */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export type CompletionEndpoint = "chat" | "completions";

export interface StreamCall {
  /** The server's root (http://host:8000) or its OpenAI base (http://host:8000/v1): `/v1` is added when missing. */
  url: string;
  apiKey: string | null;
  endpoint: CompletionEndpoint;
  /** The request body without `stream`/`stream_options` (added here). */
  body: Record<string, unknown>;
  /** Longest silence allowed: before the answer begins and between two chunks (ms). */
  timeoutMs: number;
  agent?: http.Agent;
  signal?: AbortSignal;
  /** Called just before the request is written: its actual send time (ms since the epoch). */
  onSend?: (sentAtMs: number) => void;
}

export interface StreamOutcome {
  /** When the request was written (ms since the epoch). */
  sentAtMs: number;
  /** The first chunk carrying content; null when none came. */
  firstTokenAtMs: number | null;
  lastTokenAtMs: number | null;
  /** Gaps between successive content chunks (ms). */
  itlMs: number[];
  text: string;
  contentChunks: number;
  usage: { promptTokens: number; completionTokens: number } | null;
  finishReason: string | null;
  httpStatus: number | null;
  error: { class: ErrorClass; message: string } | null;
}

/** `${root}/v1/${path}` from a root or a /v1 base. */
export function completionUrl(url: string, endpoint: CompletionEndpoint): URL {
  return openaiUrl(openaiBase(url), endpoint === "chat" ? "chat/completions" : "completions");
}

/** The class of an HTTP failure status. */
export function statusClass(status: number): ErrorClass {
  if (status === 429) return "http_429";
  return status >= 500 ? "http_5xx" : "http_4xx";
}

function connectionMessage(err: NodeJS.ErrnoException): string {
  return `could not reach the server${err.code ? ` (${err.code})` : ""}`;
}

/** One streamed completion; resolves with its timing and text, or with the classified failure. */
export function streamCompletion(call: StreamCall): Promise<StreamOutcome> {
  const url = completionUrl(call.url, call.endpoint);
  const payload = Buffer.from(JSON.stringify({ ...call.body, stream: true, stream_options: { include_usage: true } }));
  const outcome: StreamOutcome = {
    sentAtMs: 0,
    firstTokenAtMs: null,
    lastTokenAtMs: null,
    itlMs: [],
    text: "",
    contentChunks: 0,
    usage: null,
    finishReason: null,
    httpStatus: null,
    error: null,
  };
  const chat = call.endpoint === "chat";
  const silence = call.timeoutMs < 1000 ? `${call.timeoutMs} ms` : `${Math.round(call.timeoutMs / 100) / 10} s`;
  const timedOut = () => ({ class: "timeout" as const, message: `no answer for ${silence}` });

  return new Promise<StreamOutcome>((resolve) => {
    if (call.signal?.aborted) {
      outcome.sentAtMs = nowMs();
      outcome.error = { class: "cancelled", message: "stopped before it was sent" };
      return resolve(outcome);
    }
    let settled = false;
    const finish = (error: StreamOutcome["error"]) => {
      if (settled) return;
      settled = true;
      outcome.error = error;
      call.signal?.removeEventListener("abort", onAbort);
      resolve(outcome);
    };
    // A load run's request is sent once: a stale kept-alive connection is a failure to report, not to hide.
    const upstream = send(url, {
      body: payload,
      apiKey: call.apiKey,
      accept: "text/event-stream",
      timeoutMs: call.timeoutMs,
      agent: call.agent,
      retryStale: false,
      onSend: () => {
        outcome.sentAtMs = nowMs();
        call.onSend?.(outcome.sentAtMs);
      },
    });
    const onAbort = () => {
      finish({ class: "cancelled", message: "stopped before the answer was complete" });
      upstream.abort();
    };
    call.signal?.addEventListener("abort", onAbort, { once: true });
    /** Why the answer stopped midway: the transport's timeout, else the dropped connection. */
    const dropped = (err?: NodeJS.ErrnoException) =>
      upstream.failure()?.kind === "timeout"
        ? timedOut()
        : { class: "connection" as const, message: `the connection dropped mid-stream${err?.code ? ` (${err.code})` : ""}` };

    upstream.response.then(
      (res) => {
        outcome.httpStatus = res.statusCode ?? null;
        const status = res.statusCode ?? 0;
        if (status >= 400) {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (d: string) => {
            if (body.length < 2048) body += d;
          });
          res.on("end", () => finish({ class: statusClass(status), message: `HTTP ${status}: ${errorMessage(body)}` }));
          res.on("error", () => finish({ class: statusClass(status), message: `HTTP ${status}` }));
          return;
        }
        const type = String(res.headers["content-type"] ?? "");
        if (!type.includes("text/event-stream")) {
          res.resume();
          return finish({
            class: "malformed_stream",
            message: `the server answered ${type || "without a content type"}, not an event stream`,
          });
        }
        res.setEncoding("utf8");
        const events = new SseEventSplitter();
        let done = false;
        /** Reads one event; false when the stream is to be dropped (the outcome is settled). */
        const onEvent = (event: string): boolean => {
          const data = eventData(event)?.trim();
          if (data === undefined || data === "") return true;
          if (data === "[DONE]") {
            done = true;
            return true;
          }
          let chunk: {
            choices?: { delta?: { content?: string | null }; text?: string; finish_reason?: string | null }[];
            usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
            error?: { message?: string };
          };
          try {
            chunk = JSON.parse(data);
          } catch {
            finish({ class: "malformed_stream", message: `a chunk is not JSON: ${data.slice(0, 80)}` });
            return false;
          }
          if (chunk.error) {
            finish({ class: "http_5xx", message: `the server reported an error mid-stream: ${chunk.error.message ?? "no message"}` });
            return false;
          }
          const choice = chunk.choices?.[0];
          const content = choice ? (chat ? choice.delta?.content : choice.text) : null;
          if (content) {
            const at = nowMs();
            if (outcome.firstTokenAtMs === null) outcome.firstTokenAtMs = at;
            else outcome.itlMs.push(at - (outcome.lastTokenAtMs as number));
            outcome.lastTokenAtMs = at;
            outcome.contentChunks++;
            outcome.text += content;
          }
          if (choice?.finish_reason) outcome.finishReason = choice.finish_reason;
          if (chunk.usage && typeof chunk.usage.completion_tokens === "number") {
            outcome.usage = { promptTokens: chunk.usage.prompt_tokens ?? 0, completionTokens: chunk.usage.completion_tokens };
          }
          return true;
        };
        res.on("data", (piece: string) => {
          if (settled) return;
          for (const event of events.push(piece)) {
            if (!onEvent(event)) {
              res.destroy();
              return;
            }
          }
        });
        res.on("end", () => {
          const rest = events.rest();
          if (rest && !settled) onEvent(rest);
          const failure = upstream.failure();
          if (failure) finish(dropped());
          else if (done) finish(null);
          else finish({ class: "malformed_stream", message: "the stream ended without [DONE]" });
        });
        res.on("error", (err: NodeJS.ErrnoException) => finish(dropped(err)));
        res.on("close", () => {
          if (!res.complete) finish(dropped());
        });
      },
      (err: unknown) => {
        if (err instanceof UpstreamFailure && err.kind === "timeout") return finish(timedOut());
        const code = err instanceof UpstreamFailure ? err.code : (err as NodeJS.ErrnoException).code;
        finish({ class: "connection", message: connectionMessage({ code } as NodeJS.ErrnoException) });
      },
    );
  });
}

function errorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string } | string; message?: string; detail?: string };
    const msg = typeof parsed.error === "string" ? parsed.error : (parsed.error?.message ?? parsed.message ?? parsed.detail);
    if (msg) return String(msg).slice(0, 300);
  } catch {
    // not JSON: the text itself
  }
  return body.trim().slice(0, 300) || "no message";
}
