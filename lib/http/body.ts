import { parse, printParseErrorCode, type ParseError } from "jsonc-parser";
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

/** Reads a request body as JSON, refusing non-JSON (400/415) and bodies over `maxBytes` (default ASSAY_MAX_BODY_BYTES: 413). */
export async function readJson(req: Request, maxBytes?: number): Promise<unknown> {
  const limit = Math.min(maxBytes ?? Infinity, env().ASSAY_MAX_BODY_BYTES);
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limit) throw new AppError("PAYLOAD_TOO_LARGE", `Request body is larger than ${limit} bytes; send a smaller body.`);
  assertJsonType(req);
  const bytes = await readCappedBody(
    req,
    limit,
    () => new AppError("PAYLOAD_TOO_LARGE", `Request body is larger than ${limit} bytes; send a smaller body.`),
  );
  return parseJsonText(bytes.toString("utf8"));
}

/** A request body read as it streams in, refused (the error `tooLarge` makes) as soon as it passes `limit` bytes. */
export async function readCappedBody(req: Request, limit: number, tooLarge: () => Error): Promise<Buffer> {
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
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON body's text, refusing empty or malformed text with a BAD_JSON error saying where and what is wrong. */
export function parseJsonText(text: string, what = "Request body"): unknown {
  if (!text.trim()) throw new AppError("BAD_JSON", `${what} is empty; send a JSON object.`);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("BAD_JSON", `${what} is not valid JSON${jsonSyntaxProblem(text)}. Fix it and send it again.`);
  }
}

/** What a JSON syntax error means, by jsonc-parser's error code names (it reports a code and where, unlike V8's text). */
const JSON_PROBLEMS: Record<string, string> = {
  InvalidSymbol: "something that is not a JSON value (text needs double quotes; true, false and null are lower-case)",
  InvalidNumberFormat: "a malformed number",
  PropertyNameExpected: "a property name in double quotes was expected (or a comma too many before it)",
  ValueExpected: "a value was expected (or a comma too many before it)",
  ColonExpected: "a colon (:) was expected after the property name",
  CommaExpected: "a comma was expected between two items",
  CloseBraceExpected: "a closing } was expected",
  CloseBracketExpected: "a closing ] was expected",
  EndOfFileExpected: "the JSON value ended, but more text follows",
  InvalidCommentToken: "JSON has no comments",
  UnexpectedEndOfComment: "JSON has no comments",
  UnexpectedEndOfString: "a text value has no closing double quote",
  UnexpectedEndOfNumber: "a number ends too early",
  InvalidUnicode: "a malformed \\u escape (it needs four hex digits)",
  InvalidEscapeCharacter: "a backslash escape JSON does not have (use \\\\ for a backslash)",
  InvalidCharacter: "a control character (like a raw line break or tab) inside a text value; escape it (\\n, \\t)",
};

/** " near line 1, column 12: <what is wrong>" for text JSON.parse refused: the first error jsonc-parser finds, in user words. */
function jsonSyntaxProblem(text: string): string {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return "";
  const before = text.slice(0, first.offset).split("\n");
  const where = first.offset >= text.length ? " at its end" : ` near line ${before.length}, column ${before.at(-1)!.length + 1}`;
  return `${where}: ${JSON_PROBLEMS[printParseErrorCode(first.error)] ?? "unexpected text"}`;
}

/** "an array", "a number", "null": what a JSON value is, for messages. */
export function jsonKind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? "a text value" : `a ${typeof value}`;
}

/** Reads a JSON body and validates it with a zod schema, turning issues into a VALIDATION error naming each field. */
export async function readBody<S extends z.ZodType>(req: Request, schema: S, opts: { maxBytes?: number } = {}): Promise<z.infer<S>> {
  return validBody(await readJson(req, opts.maxBytes), schema);
}

/** A parsed JSON body validated by `schema`: the body as a whole of the wrong kind is said so, else each field at fault is named. */
export function validBody<S extends z.ZodType>(raw: unknown, schema: S): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    // The body as a whole is the wrong kind of value (an array, a number): say so, not the schema library's "expected object".
    const wholeBody = parsed.error.issues.find((i) => i.path.length === 0 && i.code === "invalid_type" && i.expected === "object");
    if (wholeBody) {
      const message = `must be a JSON object ({"name": value, …}), not ${jsonKind(raw)}`;
      throw new AppError("VALIDATION", `Invalid input: the body ${message}.`, { issues: [{ field: "(body)", message }] });
    }
    throw validationError(parsed.error);
  }
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
