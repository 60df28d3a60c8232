// What the gateway sends the variant's endpoint: the caller's chat request with the variant's settings applied. Pure.
//
// Rules (README, "Gateway"): the variant's model, temperature, top_p and max_tokens win over the caller's (the caller's
// apply where the variant sets none); a variant with a system prompt replaces the caller's system (and developer) messages
// with it, as the first message, since the prompt is what the experiment compares and two would blur it; without one the
// caller's messages go as sent. A streamed request always asks for usage (stream_options.include_usage), so the interaction
// is logged with its token counts; the caller gets the usage chunk only if it asked for it.
import type { GatewayChatRequest } from "@/lib/validation/gateway";

/** The variant settings the gateway applies (from its versioned configuration). */
export interface VariantChatSettings {
  model?: string;
  systemPrompt?: string;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
}

/** The settings of a stored variant configuration (fields of the wrong type are ignored). */
export function chatSettingsOf(config: Record<string, unknown>): VariantChatSettings {
  const text = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v : undefined);
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
  return {
    model: text(config.model),
    systemPrompt: text(config.systemPrompt),
    temperature: num(config.temperature),
    topP: num(config.topP),
    maxTokens: num(config.maxTokens),
  };
}

export interface UpstreamChatRequest {
  body: Record<string, unknown>;
  model: string | undefined;
  stream: boolean;
  /** True when the caller asked for the usage chunk itself (else the gateway drops it from what it forwards). */
  callerWantsUsage: boolean;
}

/** The request for the endpoint: the caller's body with the variant's model, system prompt and parameters applied. */
export function upstreamChatRequest(
  request: GatewayChatRequest,
  variant: VariantChatSettings,
  defaultModel: string | null,
): UpstreamChatRequest {
  const body: Record<string, unknown> = { ...request };
  const model = variant.model ?? request.model ?? defaultModel ?? undefined;
  if (model === undefined) delete body.model;
  else body.model = model;
  if (variant.systemPrompt !== undefined) {
    body.messages = [
      { role: "system", content: variant.systemPrompt },
      ...request.messages.filter((m) => m.role !== "system" && m.role !== "developer"),
    ];
  }
  if (variant.temperature !== undefined) body.temperature = variant.temperature;
  if (variant.topP !== undefined) body.top_p = variant.topP;
  if (variant.maxTokens !== undefined) {
    body.max_tokens = variant.maxTokens;
    delete body.max_completion_tokens;
  }
  const stream = request.stream === true;
  const callerWantsUsage = stream && request.stream_options?.include_usage === true;
  if (stream) body.stream_options = { ...(request.stream_options ?? {}), include_usage: true };
  return { body, model, stream, callerWantsUsage };
}

/** The text of the last user message (what the interaction logs as user_input); content parts' text joined. */
export function lastUserInput(request: GatewayChatRequest): string | undefined {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const m = request.messages[i];
    if (m.role !== "user") continue;
    if (typeof m.content === "string") return m.content;
    if (Array.isArray(m.content))
      return m.content
        .map((part) =>
          part && typeof part === "object" && typeof (part as { text?: unknown }).text === "string" ? (part as { text: string }).text : "",
        )
        .filter(Boolean)
        .join("\n");
    return undefined;
  }
  return undefined;
}
