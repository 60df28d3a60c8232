// Reading an ingestion body into records: a JSON array, NDJSON (one record per line), or CSV (a header row of field
// names; metrics as metrics.<name> columns). Nothing here throws on one bad record: it is listed with its index.
import Papa from "papaparse";
import { AppError } from "@/lib/errors";
import { parseJsonText } from "@/lib/http/body";
import { MAX_RECORDS } from "@/lib/validation/ingest";
import { csvRecords } from "./csv";
import type { RawRecord } from "./service";

/** A JSON array of records. */
export function recordsFromJson(text: string): RawRecord[] {
  let value: unknown;
  try {
    value = parseJsonText(text);
  } catch (err) {
    if (err instanceof RangeError) throw new AppError("BAD_JSON", "Request body nests too deeply to read; records are flat objects.");
    throw err;
  }
  if (!Array.isArray(value)) {
    throw new AppError(
      "VALIDATION",
      "Invalid input: the body must be a JSON array of records ([{...}, {...}]), or NDJSON with Content-Type: application/x-ndjson.",
      {
        issues: [{ field: "(body)", message: "must be a JSON array of records" }],
      },
    );
  }
  return value.map((v, index) => ({ index, value: v }));
}

/** NDJSON: one JSON object per line; blank lines are skipped; `index` is the line number - 1. */
export function recordsFromNdjson(text: string): RawRecord[] {
  const out: RawRecord[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    if (out.length >= MAX_RECORDS) return [...out, { index: i, value: null }];
    try {
      out.push({ index: i, value: JSON.parse(line) });
    } catch {
      out.push({
        index: i,
        value: null,
        problem: { index: i, field: "(line)", message: `line ${i + 1} is not valid JSON; each line must be one JSON object` },
      });
    }
  }
  return out;
}

/** CSV with a header row; `index` is the data row's number (0 = the first row after the header). */
export function recordsFromCsv(text: string): RawRecord[] {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { skipEmptyLines: "greedy" });
  const [header, ...rows] = parsed.data;
  if (!header || header.length === 0) {
    throw new AppError(
      "VALIDATION",
      "Invalid input: the CSV has no header row; its first line must name the fields (request_id,user_id,…).",
      {
        issues: [{ field: "(header)", message: "missing header row" }],
      },
    );
  }
  return csvRecords(header, rows.slice(0, MAX_RECORDS + 1), 0);
}
