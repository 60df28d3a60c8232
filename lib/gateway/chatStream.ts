// Reading an OpenAI-compatible answer as the gateway passes it on: server-sent events cut into whole events (each is
// forwarded as soon as it is complete, by lib/openai/sse.ts), and what the interaction log needs (output text, usage,
// model). Pure.

export interface ChatUsage {
  promptTokens?: number;
  completionTokens?: number;
}

/** What the gateway does with one streamed event. */
export type StreamedEvent =
  { kind: "content"; text: string } | { kind: "usage" } | { kind: "done" } | { kind: "error"; message: string } | { kind: "other" };

const MAX_OUTPUT_CHARS = 200_000;

/** A token count as the log stores it (the ingestion's range); anything else an endpoint sends is left out. */
function count(v: unknown): number | undefined {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 100_000_000 ? v : undefined;
}

function usageOf(value: unknown): ChatUsage | undefined {
  if (!value || typeof value !== "object") return undefined;
  const u = value as Record<string, unknown>;
  return { promptTokens: count(u.prompt_tokens), completionTokens: count(u.completion_tokens) };
}

/** Collects a chat answer's output text (choice 0, up to 200,000 characters), usage and model, streamed or whole. */
export class ChatAnswer {
  output = "";
  usage: ChatUsage | undefined;
  model: string | undefined;

  private append(text: string) {
    if (this.output.length < MAX_OUTPUT_CHARS) this.output += text.slice(0, MAX_OUTPUT_CHARS - this.output.length);
  }

  /** Reads one event's data ("[DONE]" or a chat.completion.chunk) and says what it was. */
  observeChunk(data: string): StreamedEvent {
    if (data.trim() === "[DONE]") return { kind: "done" };
    let chunk: Record<string, unknown>;
    try {
      chunk = JSON.parse(data) as Record<string, unknown>;
    } catch {
      return { kind: "other" };
    }
    if (!chunk || typeof chunk !== "object") return { kind: "other" };
    if (typeof chunk.model === "string") this.model ??= chunk.model;
    if (chunk.error) {
      const e = chunk.error as { message?: unknown };
      return { kind: "error", message: typeof e.message === "string" ? e.message : JSON.stringify(chunk.error) };
    }
    const usage = usageOf(chunk.usage);
    if (usage) this.usage = usage;
    const choices = Array.isArray(chunk.choices) ? (chunk.choices as Record<string, unknown>[]) : [];
    if (choices.length === 0) return usage ? { kind: "usage" } : { kind: "other" };
    const first = choices.find((c) => (c?.index ?? 0) === 0);
    const content = (first?.delta as { content?: unknown } | undefined)?.content;
    if (typeof content === "string" && content !== "") {
      this.append(content);
      return { kind: "content", text: content };
    }
    return { kind: "other" };
  }

  /** Reads a whole (not streamed) chat.completion. */
  observeCompletion(text: string): void {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    if (!body || typeof body !== "object") return;
    if (typeof body.model === "string") this.model = body.model;
    this.usage = usageOf(body.usage);
    const choices = Array.isArray(body.choices) ? (body.choices as Record<string, unknown>[]) : [];
    const first = choices.find((c) => (c?.index ?? 0) === 0);
    const content = (first?.message as { content?: unknown } | undefined)?.content;
    if (typeof content === "string") this.append(content);
  }
}
