// The browser's upload: the same records and rules as POST /api/v1/interactions, sent in batches of up to 1,000 by the
// page with the sign-in cookie (the data plane takes API keys only), each batch stored whole or not at all.
import { AppError } from "@/lib/errors";
import { pool } from "@/lib/dataPlane/pool";
import { ingestExperimentOf } from "@/lib/dataPlane/ingest";
import { loadTrafficExperiment } from "@/lib/traffic/experiments";
import type { IngestResult } from "@/lib/validation/ingest";
import { recordsFromJson } from "./parse";
import { storeBatch, validateBatch } from "./service";

export const UPLOAD_BATCH = 1_000;

/** Stores one batch of an upload; a refused batch throws the ingestion answer (index, field, message per record). */
export async function storeUploadBatch(text: string): Promise<IngestResult> {
  const raw = recordsFromJson(text);
  if (raw.length > UPLOAD_BATCH) throw new AppError("PAYLOAD_TOO_LARGE", `An upload batch holds at most ${UPLOAD_BATCH} records.`);
  const batch = await validateBatch(raw, async (key) => {
    const e = await loadTrafficExperiment(key);
    return e ? ingestExperimentOf(e) : null;
  });
  return storeBatch(pool(), batch, "UPLOAD");
}
