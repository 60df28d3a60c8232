import { AppError } from "@/lib/errors";
import { readCappedBody } from "./body";

/**
 * A request body as UTF-8 text, read as it streams in and refused (413) as soon as it passes `maxBytes`, so an oversized
 * upload is never held whole; a body that is not UTF-8 is refused (400) with what to do.
 */
export async function readTextBody(req: Request, maxBytes: number, what: string): Promise<string> {
  const limitWords = `${Math.round(maxBytes / (1024 * 1024))} MB`;
  const tooLarge = () => new AppError("PAYLOAD_TOO_LARGE", `${what} is larger than ${limitWords}; send a smaller file.`);
  if (Number(req.headers.get("content-length") ?? "0") > maxBytes) throw tooLarge();
  const bytes = await readCappedBody(req, maxBytes, tooLarge);
  if (bytes.byteLength === 0) throw new AppError("VALIDATION", `${what} is empty: send the file as the request body.`);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("VALIDATION", `${what} is not UTF-8 text; save the file as UTF-8 and send it again.`);
  }
}
