import { withAuth } from "@/lib/auth/guard";
import { AppError } from "@/lib/errors";
import { storeUploadBatch } from "@/lib/ingest/upload";
import { MAX_INGEST_BYTES } from "@/lib/validation/ingest";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/uploads/interactions: one batch (a JSON array of up to 1,000 records) of a file uploaded from the browser.
 * The same records, rules and answer as POST /api/v1/interactions; a refused batch answers 400 with the refused records.
 */
export const POST = withAuth("interactions:write", async ({ req, requestId }) => {
  if (!/^application\/json\s*(;|$)/i.test(req.headers.get("content-type") ?? "")) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the batch as a JSON array with Content-Type: application/json.");
  }
  const tooLarge = () => new AppError("PAYLOAD_TOO_LARGE", "An upload batch is at most 10 MB; send smaller batches.");
  if (Number(req.headers.get("content-length") ?? "0") > MAX_INGEST_BYTES) throw tooLarge();
  const bytes = new Uint8Array(await req.arrayBuffer());
  if (bytes.byteLength > MAX_INGEST_BYTES) throw tooLarge();
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("BAD_JSON", "The batch is not valid UTF-8 text; save the file as UTF-8 and upload it again.");
  }
  try {
    return await storeUploadBatch(text);
  } catch (err) {
    const ingest = (err as { ingest?: object }).ingest;
    if (!ingest) throw err;
    const e = err as AppError;
    return Response.json({ ...ingest, error: { code: e.code, message: e.message, requestId } }, { status: 400 });
  }
});
