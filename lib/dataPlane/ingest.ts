// POST /api/v1/interactions on the data plane: a JSON array, NDJSON or CSV of up to 10,000 records or 10 MB.
import type { FastifyInstance } from "fastify";
import { AppError } from "@/lib/errors";
import { recordsFromCsv, recordsFromJson, recordsFromNdjson } from "@/lib/ingest/parse";
import { storeBatch, validateBatch, type IngestExperiment, type RawRecord } from "@/lib/ingest/service";
import type { TrafficExperiment } from "@/lib/traffic/experiments";
import { MAX_INGEST_BYTES } from "@/lib/validation/ingest";
import { bodyText, sendError, type DataPlaneContext } from "./app";
import { pool } from "./pool";

/** An experiment as ingestion needs it: its id and each variant's id and prices. */
export function ingestExperimentOf(e: TrafficExperiment): IngestExperiment {
  const price = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
  return {
    id: e.id,
    key: e.key,
    variants: new Map(
      e.variants.map((v) => [
        v.key,
        { id: v.id, pricePer1MInput: price(v.config.pricePer1MInput), pricePer1MOutput: price(v.config.pricePer1MOutput) },
      ]),
    ),
  };
}

/** The records of a body by its declared type. */
export function recordsOf(contentType: string, text: string): RawRecord[] {
  if (/^application\/x-ndjson\s*(;|$)/i.test(contentType)) return recordsFromNdjson(text);
  if (/^text\/csv\s*(;|$)/i.test(contentType)) return recordsFromCsv(text);
  if (/^application\/(.+\+)?json\s*(;|$)/i.test(contentType)) return recordsFromJson(text);
  throw new AppError(
    "UNSUPPORTED_MEDIA_TYPE",
    "Send records as application/json (an array), application/x-ndjson (one per line) or text/csv (a header row of field names).",
  );
}

export function registerIngestRoutes(app: FastifyInstance, ctx: DataPlaneContext): void {
  app.post("/api/v1/interactions", { config: { action: "interactions:write" }, bodyLimit: MAX_INGEST_BYTES }, async (req, reply) => {
    const raw = recordsOf(req.headers["content-type"] ?? "", bodyText(req));
    const resolve = async (key: string) => {
      try {
        return ingestExperimentOf(await ctx.experiment(key));
      } catch (err) {
        if (err instanceof AppError && err.code === "NOT_FOUND") return null;
        throw err;
      }
    };
    try {
      const batch = await validateBatch(raw, resolve);
      return await storeBatch(pool(), batch, "API");
    } catch (err) {
      const ingest = (err as { ingest?: unknown }).ingest;
      if (ingest) {
        const e = err as AppError;
        return reply.code(400).send({ ...(ingest as object), error: { code: e.code, message: e.message, requestId: req.requestId } });
      }
      return sendError(reply, err);
    }
  });
}
