// CSV rows as interaction records: the header names the fields, metrics come as metrics.<name> columns (or a metrics
// column of JSON). Pure, so the browser's streamed upload reads a file exactly as the API reads a text/csv body.

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

/** Data rows under `header` as raw records; `offset` is the index of rows[0] among all data rows (0 = the first after the header). */
export function csvRecords(
  header: string[],
  rows: string[][],
  offset: number,
): { index: number; value: unknown; problem?: { index: number; field: string; message: string } }[] {
  const names = header.map((h) => h.trim());
  return rows.map((row, i) => {
    const index = offset + i;
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
