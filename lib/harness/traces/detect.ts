// Which load-trace format a file is, from its first ~64 KB (the head may end mid-value, so no whole-file parse).
import { TraceFormatError } from "./errors";

/** Every load-trace format Assay reads. */
export const TRACE_FORMATS = ["varcas-trace", "varcas-results", "azure", "burstgpt", "mooncake", "sharegpt", "csv", "jsonl"] as const;

export type TraceFormat = (typeof TRACE_FORMATS)[number];

/** How much of a file detection looks at. */
export const DETECT_HEAD_BYTES = 64 * 1024;

/** The CSV formats' required columns, as their files spell them (matched ignoring case and surrounding spaces). */
export const CSV_COLUMNS = {
  azure: ["TIMESTAMP", "ContextTokens", "GeneratedTokens"],
  burstgpt: ["Timestamp", "Request tokens", "Response tokens"],
  csv: ["timestamp", "prompt", "max_tokens"],
} as const satisfies Partial<Record<TraceFormat, readonly string[]>>;

export type CsvTraceFormat = keyof typeof CSV_COLUMNS;

/** The JSON Lines formats' required keys. */
export const JSONL_KEYS = {
  mooncake: ["timestamp", "input_length", "output_length"],
  jsonl: ["timestamp", "prompt", "max_tokens"],
} as const satisfies Partial<Record<TraceFormat, readonly string[]>>;

const normalise = (column: string) => column.trim().toLowerCase();

/** A CSV header line's cells (quotes removed; a header never holds a newline). */
export function csvHeaderCells(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      cells.push(cell);
      cell = "";
    } else cell += ch;
  }
  cells.push(cell);
  return cells.map((c) => c.trim());
}

/** The CSV format whose distinctive columns (all but the timestamp) the header has most of; null when none. */
function csvFormatOf(header: string[]): CsvTraceFormat | null {
  const have = new Set(header.map(normalise));
  let best: CsvTraceFormat | null = null;
  let bestScore = 0;
  for (const [format, columns] of Object.entries(CSV_COLUMNS) as [CsvTraceFormat, readonly string[]][]) {
    if (!columns.slice(1).some((c) => have.has(normalise(c)))) continue;
    const score = columns.filter((c) => have.has(normalise(c))).length;
    if (score > bestScore) [best, bestScore] = [format, score];
  }
  return best;
}

function objectFormatOf(value: Record<string, unknown>): TraceFormat | null {
  if (Array.isArray(value.prompts) || Array.isArray(value.requests)) return "varcas-trace";
  if (Array.isArray(value.records)) return "varcas-results";
  if ("input_length" in value || "output_length" in value || "hash_ids" in value) return "mooncake";
  if ("prompt" in value || "max_tokens" in value) return "jsonl";
  return null;
}

function firstLine(text: string): string {
  const end = text.indexOf("\n");
  return (end < 0 ? text : text.slice(0, end)).replace(/\r$/, "");
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The format of a trace file from its first ~64 KB (and its name, for the message); throws TraceFormatError when none fits. */
export function detectTraceFormat(head: string, fileName?: string): TraceFormat {
  const text = head.replace(/^\uFEFF/, "");
  const trimmed = text.trimStart();
  const what = fileName ? `"${fileName}"` : "The file";
  if (trimmed === "") throw new TraceFormatError(`${what} is empty. Upload a trace file with at least one request.`, 1, null);
  const skippedLines = text.slice(0, text.length - trimmed.length).split("\n").length - 1;
  const line = 1 + skippedLines;
  const accepted =
    "Assay reads varcas trace and results files, ShareGPT JSON, Azure and BurstGPT CSV, Mooncake JSONL, " +
    "and CSV or JSONL with timestamp, prompt and max_tokens";

  if (trimmed.startsWith("{")) {
    // One JSON object per line (JSONL, Mooncake), or a whole compact JSON file on one line.
    const single = tryParse(firstLine(trimmed));
    if (single && typeof single === "object" && !Array.isArray(single)) {
      const format = objectFormatOf(single as Record<string, unknown>);
      if (format) return format;
    }
    // A pretty-printed (or longer than the head) JSON object: look at its member names.
    if (/"(prompts|requests)"\s*:\s*\[/.test(trimmed)) return "varcas-trace";
    // A head that ends before the array (a big config, or a truncated file) still names its kind.
    if (/"(records|metrics)"\s*:/.test(trimmed)) return "varcas-results";
    if (/"metadata"\s*:/.test(trimmed)) return "varcas-trace";
    throw new TraceFormatError(
      `${what} is JSON, but neither a varcas trace ("metadata" and "prompts"), a results file ("metrics" and "records"), ` +
        `nor JSON Lines with timestamp and prompt/max_tokens or input_length/output_length. ${accepted}.`,
      line,
      null,
    );
  }
  if (trimmed.startsWith("[")) {
    if (/"conversations"\s*:\s*\[/.test(trimmed)) return "sharegpt";
    throw new TraceFormatError(
      `${what} is a JSON array, but its elements have no "conversations" (ShareGPT: [{"conversations": [{"from", "value"}]}]). ${accepted}.`,
      line,
      null,
    );
  }
  const header = csvHeaderCells(firstLine(trimmed));
  const format = header.length > 1 ? csvFormatOf(header) : null;
  if (format) return format;
  throw new TraceFormatError(
    `${what} is not a trace Assay knows: its first line (${JSON.stringify(firstLine(trimmed).slice(0, 120))}) is neither JSON nor ` +
      `a CSV header with Azure's TIMESTAMP,ContextTokens,GeneratedTokens, BurstGPT's Timestamp,Request tokens,Response tokens, ` +
      `or timestamp,prompt,max_tokens. ${accepted}.`,
    line,
    null,
  );
}
