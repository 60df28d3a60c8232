// A non-streaming chat completion against any OpenAI-compatible server (vLLM, Llama API, Ollama, the simulator), over
// the one client's transport (lib/openai/transport.ts: keep-alive agents, one timeout), with retries: 429, 5xx, timeouts
// and dropped connections are tried again after a backoff with full jitter (a uniform wait up to base x 2^attempt, at
// most maxDelayMs), or after the server's Retry-After when it gives one. Other 4xx answers are final. The judge uses it;
// the gateway passes streams on, so it uses the transport directly; the load harness times streams (lib/openai/stream.ts).
import { randomUUID } from "node:crypto";
import { postChatCompletion, readText, UpstreamFailure, type UpstreamTarget } from "@/lib/openai/transport";

export interface ChatRetryPolicy {
  /** Attempts after the first (default 4). */
  retries: number;
  /** First backoff's ceiling (default 250 ms), doubled each attempt. */
  baseDelayMs: number;
  /** Longest wait between attempts, Retry-After included (default 30 s). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: ChatRetryPolicy = { retries: 4, baseDelayMs: 250, maxDelayMs: 30_000 };

export interface ChatCallOptions {
  timeoutMs?: number;
  retry?: Partial<ChatRetryPolicy>;
  /** Uniform in [0, 1): the jitter's source (tests make it fixed). */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Called before each wait: which attempt failed, why, and how long the wait is. */
  onRetry?: (info: { attempt: number; reason: string; delayMs: number }) => void;
}

export interface ChatResult {
  content: string | null;
  model: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  /** From the first byte sent to the last received, of the attempt that answered. */
  latencyMs: number;
  attempts: number;
}

/** A call that failed for good: the server's status and message, or why it could not be reached. */
export class ChatCallError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly attempts: number,
    /** Why the server gave no answer at all: it timed out or could not be reached (null: it answered). */
    readonly unreachable: "timeout" | "connection" | null = null,
  ) {
    super(message);
    this.name = "ChatCallError";
  }
}

const RETRYABLE_STATUS = new Set([408, 409, 425, 429, 500, 502, 503, 504]);

/** Retry-After in ms (delta-seconds or an HTTP date), or null. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

/** The wait before attempt `attempt` + 1: the server's Retry-After when given, else full jitter; never above maxDelayMs. */
export function backoffMs(attempt: number, policy: ChatRetryPolicy, random: () => number, retryAfter: number | null): number {
  if (retryAfter !== null) return Math.min(policy.maxDelayMs, retryAfter);
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

/** The error message an OpenAI-compatible server put in its body ({"error": {"message"}}), or its status line. */
function serverMessage(status: number, text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const m = typeof parsed.error === "string" ? parsed.error : (parsed.error?.message ?? parsed.message);
    if (typeof m === "string" && m.trim()) return `${status}: ${m.trim().slice(0, 300)}`;
  } catch {
    // not JSON: the status alone
  }
  return `${status}`;
}

/** POSTs `body` to `${target.baseUrl}/chat/completions` and returns the first choice's text, with retries. */
export async function chatCompletion(
  target: UpstreamTarget,
  body: Record<string, unknown>,
  opts: ChatCallOptions = {},
): Promise<ChatResult> {
  const policy = { ...DEFAULT_RETRY, ...opts.retry };
  const random = opts.random ?? Math.random;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const payload = Buffer.from(JSON.stringify({ ...body, stream: false }));
  for (let attempt = 0; ; attempt++) {
    const started = performance.now();
    let reason: string;
    let status: number | null = null;
    let retryAfter: number | null = null;
    let unreachable: "timeout" | "connection" | null = null;
    try {
      const call = postChatCompletion(target, payload, { timeoutMs: opts.timeoutMs ?? 60_000, requestId: randomUUID() });
      const res = await call.response;
      const text = await readText(res);
      const failure = call.failure();
      if (failure) throw failure;
      status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) {
        let parsed: {
          model?: unknown;
          choices?: { message?: { content?: unknown } }[];
          usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
        };
        try {
          parsed = JSON.parse(text);
        } catch {
          throw new ChatCallError(`${target.label} answered ${status} with a body that is not JSON`, status, attempt + 1);
        }
        const content = parsed.choices?.[0]?.message?.content;
        const count = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
        return {
          content: typeof content === "string" ? content : null,
          model: typeof parsed.model === "string" ? parsed.model : null,
          promptTokens: count(parsed.usage?.prompt_tokens),
          completionTokens: count(parsed.usage?.completion_tokens),
          latencyMs: performance.now() - started,
          attempts: attempt + 1,
        };
      }
      reason = `${target.label} answered ${serverMessage(status, text)}`;
      if (!RETRYABLE_STATUS.has(status)) throw new ChatCallError(reason, status, attempt + 1);
      retryAfter = retryAfterMs(res.headers["retry-after"]);
    } catch (err) {
      if (err instanceof ChatCallError) throw err;
      if (err instanceof UpstreamFailure) unreachable = err.kind;
      reason =
        err instanceof UpstreamFailure
          ? `${target.label} ${err.kind === "timeout" ? "timed out" : `could not be reached${err.code ? ` (${err.code})` : ""}`}`
          : `${target.label} failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (attempt >= policy.retries) throw new ChatCallError(`${reason} (after ${attempt + 1} attempts)`, status, attempt + 1, unreachable);
    const delayMs = backoffMs(attempt, policy, random, retryAfter);
    opts.onRetry?.({ attempt: attempt + 1, reason, delayMs });
    await sleep(delayMs);
  }
}
