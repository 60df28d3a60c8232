// An exported interaction: the logging schema's snake_case fields (the names the ingestion API takes), one JSON object per
// line or one CSV row per interaction.
import { stringify } from "csv-stringify/sync";

/** The export's fields, in the order of a CSV's columns. */
export const EXPORT_FIELDS = [
  "request_id",
  "user_id",
  "variant_id",
  "model_name",
  "system_prompt_version",
  "latency_ms",
  "ttft_ms",
  "prompt_tokens",
  "completion_tokens",
  "cost_usd",
  "user_input",
  "model_output",
  "safety_flag",
  "user_feedback_score",
  "goal_completed",
  "metrics",
  "timestamp",
  "source",
  "error",
  "experiment_key",
] as const;

export type ExportField = (typeof EXPORT_FIELDS)[number];
/** One exported interaction; a value that was not logged is null. */
export type ExportRecord = Record<ExportField, string | number | boolean | Record<string, unknown> | null>;

/** One record per line, as JSON; every line ends with a line break. */
export function jsonlLines(records: ExportRecord[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join("");
}

/**
 * CSV as RFC 4180 writes it (CRLF line ends, fields with commas, quotes or line breaks quoted, quotes doubled), with the
 * header row when asked; metrics as JSON text, true/false spelled out, a value not logged left empty. A text cell that
 * starts with = + - @ (or a tab or carriage return, or their full-width forms) gets a leading ' so a spreadsheet shows it
 * as text instead of running it as a formula (OWASP, "CSV Injection"); numbers are never changed.
 */
export function csvRows(records: ExportRecord[], header: boolean): string {
  return stringify(records, {
    header,
    columns: [...EXPORT_FIELDS],
    record_delimiter: "windows",
    escape_formulas: true,
    cast: { boolean: (value) => (value ? "true" : "false"), object: (value) => JSON.stringify(value) },
  });
}
