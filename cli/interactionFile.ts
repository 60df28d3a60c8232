// Reading a file of interactions (CSV, NDJSON/JSONL or a JSON list) as records, streamed in batches, with where each
// record is in the file so a message can point at it. Shared by `assay interactions send` and `assay analyze`.
import fs from "node:fs";
import readline from "node:readline";
import Papa from "papaparse";
import { csvRecords } from "../lib/ingest/csv";
import { UsageError } from "./usage";

const BATCH = 1000;
const MAX_JSON_BYTES = 100 * 1024 * 1024;

export interface InteractionBatch {
  records: unknown[];
  /** Where records[i] is: "line 12" (NDJSON), "row 4" (CSV, the header being row 1) or "record 7" (a JSON list). */
  where: (i: number) => string;
  /** Bytes of the file read so far. */
  bytes: number;
  /** A CSV file's header (the field names, as written). */
  header?: string[];
}

/** Records of a file, in batches, with where each is in the file ("line 12", "row 4", "record 7") and the bytes read so far. */
export async function* interactionFileBatches(file: string): AsyncGenerator<InteractionBatch> {
  const lower = file.toLowerCase();
  const stream = () => fs.createReadStream(file);
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) {
    const s = stream();
    const lines = readline.createInterface({ input: s, crlfDelay: Infinity });
    let n = 0;
    let records: unknown[] = [];
    let at: number[] = [];
    for await (const line of lines) {
      n++;
      if (!line.trim()) continue;
      try {
        records.push(JSON.parse(line));
      } catch {
        throw new UsageError(`${file}: line ${n} is not valid JSON; each line must be one JSON object.`);
      }
      at.push(n);
      if (records.length === BATCH) {
        const lineNumbers = at;
        yield { records, where: (i) => `line ${lineNumbers[i]}`, bytes: s.bytesRead };
        records = [];
        at = [];
      }
    }
    if (records.length) yield { records, where: (i) => `line ${at[i]}`, bytes: s.bytesRead };
  } else if (lower.endsWith(".csv")) {
    const s = stream();
    const rows = s.pipe(Papa.parse(Papa.NODE_STREAM_INPUT, { skipEmptyLines: "greedy" }));
    let header: string[] | null = null;
    let pending: string[][] = [];
    let offset = 0;
    const flush = function* () {
      const raw = csvRecords(header!, pending, offset);
      const bad = raw.find((r) => r.problem);
      if (bad?.problem) throw new UsageError(`${file}: row ${bad.index + 2}: ${bad.problem.message}.`);
      const first = offset;
      offset += pending.length;
      pending = [];
      yield { records: raw.map((r) => r.value), where: (i: number) => `row ${first + i + 2}`, bytes: s.bytesRead, header: header! };
    };
    for await (const row of rows as AsyncIterable<string[]>) {
      if (!header) {
        header = row.map((h) => h.replace(/^\uFEFF/, ""));
        continue;
      }
      pending.push(row);
      if (pending.length === BATCH) yield* flush();
    }
    if (!header) throw new UsageError(`${file}: the CSV is empty; its first line must name the fields (request_id,user_id,…).`);
    if (pending.length) yield* flush();
  } else if (lower.endsWith(".json")) {
    const size = fs.statSync(file).size;
    if (size > MAX_JSON_BYTES)
      throw new UsageError(`${file}: a .json file is read whole, so at most 100 MB; save large files as NDJSON or CSV.`);
    let all: unknown;
    try {
      all = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch {
      throw new UsageError(`${file} is not valid JSON.`);
    }
    if (!Array.isArray(all)) throw new UsageError(`${file} must hold a JSON list of records: [{...}, {...}].`);
    for (let i = 0; i < all.length; i += BATCH) {
      yield {
        records: all.slice(i, i + BATCH),
        where: (j) => `record ${i + j + 1}`,
        bytes: Math.round((size * Math.min(all.length, i + BATCH)) / all.length),
      };
    }
  } else {
    throw new UsageError(`${file}: name the file .csv, .ndjson, .jsonl or .json so Assay knows how to read it.`);
  }
}
