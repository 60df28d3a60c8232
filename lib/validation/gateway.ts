// The body of POST /api/v1/gateway/{experimentKey}/chat/completions: OpenAI's chat completion request. Only what the
// gateway reads or rewrites is checked; every other field (tools, response_format, seed, ...) goes to the endpoint as sent.
import { z } from "zod";
import { name } from "./text";

/** Largest request the gateway takes (long contexts are big): 10 MB. */
export const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

export const CHAT_ROLES = ["system", "developer", "user", "assistant", "tool", "function"] as const;

const optionalNumber = (field: string) =>
  z
    .number({ error: `${field} must be a number` })
    .nullable()
    .optional();
const optionalCount = (field: string) =>
  z
    .number({ error: `${field} must be a whole number` })
    .int(`${field} must be a whole number`)
    .min(1, `${field} must be at least 1`)
    .nullable()
    .optional();

export const chatMessageSchema = z.looseObject({
  role: z.enum(CHAT_ROLES, { error: `role must be one of ${CHAT_ROLES.join(", ")}` }),
  content: z
    .union([z.string(), z.array(z.unknown())], { error: "content must be text or a list of content parts" })
    .nullable()
    .optional(),
});

export const gatewayChatRequestSchema = z.looseObject({
  messages: z
    .array(chatMessageSchema, { error: 'messages must be a list of chat messages, e.g. [{"role": "user", "content": "Hello"}]' })
    .min(1, "messages must hold at least one message"),
  model: name("model", 200).optional(),
  user: name("user", 256).min(1, "user must not be empty").optional(),
  stream: z.boolean({ error: "stream must be true or false" }).nullable().optional(),
  stream_options: z
    .looseObject(
      { include_usage: z.boolean({ error: "stream_options.include_usage must be true or false" }).nullable().optional() },
      {
        error: "stream_options must be an object",
      },
    )
    .nullable()
    .optional(),
  temperature: optionalNumber("temperature"),
  top_p: optionalNumber("top_p"),
  max_tokens: optionalCount("max_tokens"),
  max_completion_tokens: optionalCount("max_completion_tokens"),
});
export type GatewayChatRequest = z.infer<typeof gatewayChatRequestSchema>;

/** The X-Assay-User header, when the body has no `user`. */
export const gatewayUserHeaderSchema = name("X-Assay-User", 256).min(1, "X-Assay-User must not be empty");
