// Model endpoints (OpenAI-compatible servers the gateway forwards to): one set of schemas for the page and the API.
import { z } from "zod";
import { name } from "./text";

/** A base URL: http(s) only, no credentials inside (an API key goes in `apiKey`, which is stored encrypted). */
export const endpointBaseUrlSchema = z
  .url({ error: "baseUrl must be an http(s) URL, e.g. http://vllm:8000/v1", protocol: /^https?$/ })
  .max(2000, "baseUrl must be at most 2000 characters")
  .refine((u) => {
    // Runs after a failed URL check too: a value that is no URL was refused already.
    if (!URL.canParse(u)) return true;
    const url = new URL(u);
    return url.username === "" && url.password === "";
  }, "baseUrl must not hold a user name or password; put the API key in apiKey, which is stored encrypted")
  .transform((u) => u.replace(/\/+$/, ""));

/** An endpoint's API key: sent as `Authorization: Bearer <key>`, so one token of visible ASCII characters. */
export const endpointApiKeySchema = z
  .string({ error: "apiKey must be text" })
  .min(1, "apiKey must not be empty; leave it out (or send null to remove a key)")
  .max(4096, "apiKey must be at most 4096 characters")
  .regex(/^[\x21-\x7e]+$/, "apiKey must be one token of visible ASCII characters, without spaces or line breaks");

const fields = {
  name: name("name", 100).min(1, "name is required"),
  baseUrl: endpointBaseUrlSchema,
  apiKey: endpointApiKeySchema,
  defaultModel: name("defaultModel", 200),
};

/** POST /api/v1/endpoints and the page's form. An empty default model means none. */
export const createEndpointSchema = z.strictObject({
  name: fields.name,
  baseUrl: fields.baseUrl,
  apiKey: fields.apiKey.optional(),
  defaultModel: fields.defaultModel.optional().transform((m) => m || undefined),
});
export type CreateEndpointInput = z.infer<typeof createEndpointSchema>;

/** PATCH /api/v1/endpoints/{id}: only what is sent changes; `apiKey: null` removes the key, `defaultModel: null` (or "") the default. */
export const updateEndpointSchema = z
  .strictObject({
    name: fields.name.optional(),
    baseUrl: fields.baseUrl.optional(),
    apiKey: fields.apiKey.nullable().optional(),
    defaultModel: fields.defaultModel
      .nullable()
      .optional()
      .transform((m) => (m === "" ? null : m)),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "send at least one of name, baseUrl, apiKey, defaultModel" });
export type UpdateEndpointInput = z.infer<typeof updateEndpointSchema>;
