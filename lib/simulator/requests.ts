import { AppError } from "../errors";
import type { JsonSchema } from "./structured";
import { PLAIN_STYLE, styleFromInstructions, type ResponseStyle } from "./text";
import { countChatPromptTokens, countTokens } from "./tokens";

/** The largest max_tokens the simulator accepts. */
export const MAX_TOKENS_LIMIT = 32_768;

export type Endpoint = "chat" | "completions";

export type ResponseFormat = { type: "text" } | { type: "json_object" } | { type: "json_schema"; schema: JsonSchema };

/** A validated generation request, endpoint-neutral. */
export interface SimulatedRequest {
  endpoint: Endpoint;
  model: string;
  /** usage.prompt_tokens. */
  promptTokens: number;
  /** max_tokens (or max_completion_tokens); undefined when the client set none. */
  maxTokens: number | undefined;
  ignoreEos: boolean;
  stream: boolean;
  includeUsage: boolean;
  responseFormat: ResponseFormat;
  /** Chat: the style asked for by system/developer messages; completions: plain. */
  style: ResponseStyle;
  /** Text a structured (judge) answer is about: the user messages, or the prompt. */
  judgedSource: string;
  /** Everything that decides the output text; hashed with the seed into the request's RNG. */
  contentKey: string;
}

function invalid(param: string, message: string): AppError {
  return new AppError("VALIDATION", message, { param });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The served model a request names; no model (as vLLM allows) means the first served model; unknown names are 404. */
export function resolveModel(body: Record<string, unknown>, models: readonly string[]): string {
  const model = body.model;
  if (model === undefined || model === null) return models[0];
  if (typeof model !== "string") throw invalid("model", "'model' must be a string.");
  if (!models.includes(model)) {
    throw new AppError("NOT_FOUND", `The model \`${model}\` does not exist. Served models: ${models.join(", ")}.`, {
      param: "model",
      code: "model_not_found",
    });
  }
  return model;
}

/** max_tokens when present: an integer in [1, MAX_TOKENS_LIMIT]; null or absent means unset. */
function readMaxTokens(body: Record<string, unknown>, param: string): number | undefined {
  const value = body[param];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_TOKENS_LIMIT) {
    throw invalid(param, `'${param}' must be an integer from 1 to ${MAX_TOKENS_LIMIT}, got ${JSON.stringify(value)}.`);
  }
  return value;
}

function readBoolean(body: Record<string, unknown>, param: string): boolean {
  const value = body[param];
  if (value === undefined || value === null) return false;
  if (typeof value !== "boolean") throw invalid(param, `'${param}' must be a boolean, got ${JSON.stringify(value)}.`);
  return value;
}

function readIncludeUsage(body: Record<string, unknown>): boolean {
  const options = body.stream_options;
  if (options === undefined || options === null) return false;
  if (!isRecord(options)) throw invalid("stream_options", "'stream_options' must be an object.");
  const include = options.include_usage;
  if (include !== undefined && include !== null && typeof include !== "boolean") {
    throw invalid("stream_options.include_usage", "'stream_options.include_usage' must be a boolean.");
  }
  return include === true;
}

/** response_format {type: text | json_object | json_schema {name, schema}}, or vLLM's guided_json schema. */
function readResponseFormat(body: Record<string, unknown>): ResponseFormat {
  const guided = body.guided_json;
  if (guided !== undefined && guided !== null) {
    const schema = typeof guided === "string" ? safeJsonParse(guided) : guided;
    if (!isRecord(schema)) throw invalid("guided_json", "'guided_json' must be a JSON schema object.");
    return { type: "json_schema", schema };
  }
  const format = body.response_format;
  if (format === undefined || format === null) return { type: "text" };
  if (!isRecord(format)) throw invalid("response_format", "'response_format' must be an object.");
  if (format.type === "text") return { type: "text" };
  if (format.type === "json_object") return { type: "json_object" };
  if (format.type === "json_schema") {
    const jsonSchema = format.json_schema;
    if (!isRecord(jsonSchema) || !isRecord(jsonSchema.schema)) {
      throw invalid("response_format.json_schema", "'response_format.json_schema' must be an object with a 'schema' object.");
    }
    return { type: "json_schema", schema: jsonSchema.schema };
  }
  throw invalid("response_format.type", "'response_format.type' must be one of 'text', 'json_object', 'json_schema'.");
}

function safeJsonParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function readCommon(body: Record<string, unknown>) {
  const n = body.n;
  if (n !== undefined && n !== null && n !== 1) throw invalid("n", "The simulator supports only 'n' = 1.");
  const seed = body.seed;
  if (seed !== undefined && seed !== null && (typeof seed !== "number" || !Number.isInteger(seed))) {
    throw invalid("seed", "'seed' must be an integer.");
  }
  return {
    ignoreEos: readBoolean(body, "ignore_eos"),
    stream: readBoolean(body, "stream"),
    includeUsage: readIncludeUsage(body),
    responseFormat: readResponseFormat(body),
    requestSeed: seed ?? null,
  };
}

const CHAT_ROLES = new Set(["system", "developer", "user", "assistant", "tool", "function"]);

/** A chat message's text: a string, or the concatenated text of its {type: "text"} parts; null only for assistant/tool. */
function messageText(message: unknown, index: number): { role: string; text: string } {
  const param = `messages[${index}]`;
  if (!isRecord(message)) throw invalid(param, `'${param}' must be an object with 'role' and 'content'.`);
  const role = message.role;
  if (typeof role !== "string" || !CHAT_ROLES.has(role)) {
    throw invalid(`${param}.role`, `'${param}.role' must be one of ${[...CHAT_ROLES].join(", ")}.`);
  }
  const content = message.content;
  if (typeof content === "string") return { role, text: content };
  if ((content === null || content === undefined) && (role === "assistant" || role === "tool" || role === "function")) {
    return { role, text: "" };
  }
  if (Array.isArray(content)) {
    const texts = content.map((part, partIndex) => {
      if (!isRecord(part) || typeof part.type !== "string") {
        throw invalid(`${param}.content[${partIndex}]`, `'${param}.content[${partIndex}]' must be a content part with a 'type'.`);
      }
      return part.type === "text" && typeof part.text === "string" ? part.text : "";
    });
    return { role, text: texts.join("") };
  }
  throw invalid(`${param}.content`, `'${param}.content' must be a string or an array of content parts.`);
}

/** Validates a /v1/chat/completions body; errors are AppErrors whose details.param names the bad field. */
export function parseChatRequest(body: unknown, models: readonly string[]): SimulatedRequest {
  if (!isRecord(body)) throw invalid("body", "The request body must be a JSON object.");
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw invalid("messages", "'messages' is required and must be a non-empty array of messages.");
  }
  const messages = body.messages.map(messageText);
  const model = resolveModel(body, models);
  const maxTokens = readMaxTokens(body, "max_completion_tokens") ?? readMaxTokens(body, "max_tokens");
  const common = readCommon(body);
  const instructions = messages.filter((m) => m.role === "system" || m.role === "developer").map((m) => m.text);
  const userTexts = messages.filter((m) => m.role === "user").map((m) => m.text);
  return {
    endpoint: "chat",
    model,
    promptTokens: countChatPromptTokens(messages.map((m) => m.text)),
    maxTokens,
    ignoreEos: common.ignoreEos,
    stream: common.stream,
    includeUsage: common.includeUsage,
    responseFormat: common.responseFormat,
    style: instructions.length > 0 ? styleFromInstructions(instructions.join("\n")) : PLAIN_STYLE,
    judgedSource: (userTexts.length > 0 ? userTexts : messages.map((m) => m.text)).join("\n\n"),
    contentKey: JSON.stringify(["chat", model, messages.map((m) => [m.role, m.text]), common.responseFormat, common.requestSeed]),
  };
}

/** Validates a /v1/completions body: `prompt` is a string, a one-string array, or an array of token ids. */
export function parseCompletionRequest(body: unknown, models: readonly string[]): SimulatedRequest {
  if (!isRecord(body)) throw invalid("body", "The request body must be a JSON object.");
  const { text, tokens } = readPrompt(body.prompt);
  const model = resolveModel(body, models);
  const maxTokens = readMaxTokens(body, "max_tokens");
  const common = readCommon(body);
  return {
    endpoint: "completions",
    model,
    promptTokens: tokens,
    maxTokens,
    ignoreEos: common.ignoreEos,
    stream: common.stream,
    includeUsage: common.includeUsage,
    responseFormat: common.responseFormat,
    style: PLAIN_STYLE,
    judgedSource: text,
    contentKey: JSON.stringify(["completions", model, text, common.responseFormat, common.requestSeed]),
  };
}

function readPrompt(prompt: unknown): { text: string; tokens: number } {
  if (typeof prompt === "string") return { text: prompt, tokens: countTokens(prompt) };
  if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === "string") {
    return { text: prompt[0], tokens: countTokens(prompt[0]) };
  }
  if (Array.isArray(prompt) && prompt.length > 0 && prompt.every((id) => Number.isInteger(id))) {
    return { text: prompt.join(" "), tokens: prompt.length };
  }
  if (prompt === undefined || prompt === null) throw invalid("prompt", "'prompt' is required.");
  throw invalid("prompt", "'prompt' must be a string (batched prompts are not supported).");
}
