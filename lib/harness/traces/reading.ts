import type { TraceRequest } from "../types";
import type { TraceFormat } from "./detect";

/** What reading a trace gives: the requests stream; `notes` says what was skipped or assumed (complete once they are read). */
export interface TraceReading {
  format: TraceFormat;
  /** False when the file gives no send times (ShareGPT): every timestamp is then 0 and the run's arrival process sets them. */
  hasTimestamps: boolean;
  /** The file's own description: varcas's `metadata` block, or a results file's top-level members other than `records`. */
  metadata: Record<string, unknown>;
  notes: string[];
  /** The requests in file order, timestamps in seconds from the first; read once. */
  requests: AsyncIterable<TraceRequest>;
}

/** One format's reading, before the caller's limit. */
export type FormatReading = Omit<TraceReading, "format">;
