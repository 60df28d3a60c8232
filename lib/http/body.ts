import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";
import { validationError } from "@/lib/validation/issues";

const JSON_TYPE = /^application\/(.+\+)?json\s*(;|$)/i;

/**
 * Refuses (415) a body that is not declared as JSON. A missing type is refused too: a cross-site form or no-cors fetch can
 * send text/plain or no type at all, but never application/json without the browser asking this server first.
 */
function assertJsonType(req: Request): void {
  const type = req.headers.get("content-type");
  if (type === null || !JSON_TYPE.test(type.trim())) {
    throw new AppError(
      "UNSUPPORTED_MEDIA_TYPE",
      `Send the body as JSON with \`Content-Type: application/json\` (this request had ${type === null ? "no Content-Type" : `Content-Type: ${type}`}).`,
    );
  }
}

/** Reads a request body as JSON, refusing non-JSON (400/415) and bodies over ASSAY_MAX_BODY_BYTES (413). */
export async function readJson(req: Request): Promise<unknown> {
  const limit = env().ASSAY_MAX_BODY_BYTES;
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limit) throw new AppError("PAYLOAD_TOO_LARGE", `Request body is larger than ${limit} bytes; send a smaller body.`);
  assertJsonType(req);
  const reader = req.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel();
        throw new AppError("PAYLOAD_TOO_LARGE", `Request body is larger than ${limit} bytes; send a smaller body.`);
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text.trim()) throw new AppError("BAD_JSON", "Request body is empty; send a JSON object.");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError("BAD_JSON", `Request body is not valid JSON (${err instanceof Error ? err.message : "parse error"}).`);
  }
}

/** Reads a JSON body and validates it with a zod schema, turning issues into a VALIDATION error naming each field. */
export async function readBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  const raw = await readJson(req);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** readBody for actions whose body is optional (start, stop): a request without a body is read as `{}`. */
export async function readOptionalBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  const length = req.headers.get("content-length");
  const hasBody = (length !== null && length !== "0") || req.headers.has("transfer-encoding");
  if (hasBody) return readBody(req, schema);
  // An empty body declared as another type (an empty HTML form) is still not JSON.
  if (req.headers.has("content-type")) assertJsonType(req);
  const parsed = schema.safeParse({});
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
