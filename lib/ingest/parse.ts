// Reading an ingestion body into records: a JSON array, NDJSON (one record per line), or CSV (a header row of field
// names; metrics as metrics.<name> columns). Nothing here throws on one bad record: it is listed with its index.
import Papa from "papaparse";
import { AppError } from "@/lib/errors";
import { parseJsonText } from "@/lib/http/body";
import { MAX_RECORDS } from "@/lib/validation/ingest";
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

const NUMBER_FIELDS = new Set(["latency_ms", "ttft_ms", "prompt_tokens", "completion_tokens", "user_feedback_score", "cost_usd"]);
const BOOLEAN_FIELDS = new Set(["safety_flag", "goal_completed"]);
const TRUE = new Set(["true", "1", "yes"]);
const FALSE = new Set(["false", "0", "no"]);

/** A CSV cell as the field's type: numbers and booleans are read, anything else left as text for validation to name. */
function cell(field: string, raw: string): unknown {
  const v = raw.trim();
  if (NUMBER_FIELDS.has(field) || field.startsWith("metrics.")) return v !== "" && Number.isFinite(Number(v)) ? Number(v) : v;
  if (BOOLEAN_FIELDS.has(field)) {
    const lower = v.toLowerCase();
    return TRUE.has(lower) ? true : FALSE.has(lower) ? false : v;
  }
  if (field === "timestamp" && /^\d+(\.\d+)?$/.test(v)) return Number(v);
  return raw;
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
  const names = header.map((h) => h.trim());
  return rows.slice(0, MAX_RECORDS + 1).map((row, index) => {
    if (row.length !== names.length) {
      return {
        index,
        value: null,
        problem: { index, field: "(row)", message: `row ${index + 1} has ${row.length} cells; the header has ${names.length}` },
      };
    }
    const record: Record<string, unknown> = {};
    const metrics: Record<string, unknown> = {};
    names.forEach((name, j) => {
      if (row[j].trim() === "") return;
      if (name.startsWith("metrics.")) metrics[name.slice("metrics.".length)] = cell(name, row[j]);
      else if (name === "metrics") {
        try {
          record.metrics = JSON.parse(row[j]);
        } catch {
          record.metrics = row[j];
        }
      } else record[name] = cell(name, row[j]);
    });
    if (Object.keys(metrics).length) record.metrics = { ...((record.metrics as object) ?? {}), ...metrics };
    return { index, value: record };
  });
}
