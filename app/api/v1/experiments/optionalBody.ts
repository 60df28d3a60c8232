import type { z } from "zod";
import { readBody } from "@/lib/http/body";
import { validationError } from "@/lib/validation/issues";

/** readBody for actions whose body is optional (start, stop): a request without a body is read as `{}`. */
export async function readOptionalBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  const length = req.headers.get("content-length");
  const hasBody = (length !== null && length !== "0") || req.headers.has("transfer-encoding");
  if (hasBody) return readBody(req, schema);
  const parsed = schema.safeParse({});
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
