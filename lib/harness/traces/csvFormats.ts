// The CSV trace formats: Azure's LLM inference traces (TIMESTAMP as a datetime, ContextTokens, GeneratedTokens),
// BurstGPT (Timestamp in seconds, Request tokens, Response tokens, and Model and Log Type), and Assay's own
// timestamp,prompt,max_tokens. Columns are found by name, ignoring case and surrounding spaces.
import type { TraceRequest } from "../types";
import { CSV_COLUMNS, type CsvTraceFormat } from "./detect";
import { TraceFormatError } from "./errors";
import { DEFAULT_WORKLOAD_TYPE } from "./jsonFormats";
import { nameOr, optionalTokenCount, Timeline, timeValue, tokenCount, type LineRef } from "./fields";
import type { FormatReading } from "./reading";
import { csvRows, type CsvRow } from "./textSources";

/** Column name (lower case) -> index, for a header row; every required column of the format must be there. */
function columnsOf(header: CsvRow | undefined, format: CsvTraceFormat): Map<string, number> {
  if (!header) throw new TraceFormatError("The file is empty. Upload a trace file with at least one request.", 1, null);
  const columns = new Map<string, number>();
  header.cells.forEach((cell, i) =>
    columns.set(
      cell
        .replace(/^\uFEFF/, "")
        .trim()
        .toLowerCase(),
      i,
    ),
  );
  const missing = CSV_COLUMNS[format].filter((c) => !columns.has(c.toLowerCase()));
  if (missing.length > 0) {
    throw new TraceFormatError(
      `Line ${header.line}: the header has no ${missing.map((c) => `"${c}"`).join(", ")} column${missing.length > 1 ? "s" : ""} ` +
        `(it has ${header.cells.map((c) => `"${c}"`).join(", ")}). A ${format} trace needs ${CSV_COLUMNS[format].join(", ")}.`,
      header.line,
      missing[0],
    );
  }
  return columns;
}

/** A row's cell by column name ("" when the row is short). */
function cellReader(columns: Map<string, number>, row: CsvRow) {
  return (name: string): string => {
    const i = columns.get(name.toLowerCase());
    return i === undefined ? "" : (row.cells[i] ?? "").trim();
  };
}

const AZURE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Azure's TIMESTAMP ("2023-11-16 18:15:46.6805900", UTC unless it says otherwise) as seconds from `base` whole Unix
 * seconds: whole and fractional seconds kept apart, so the 7 fractional digits survive the subtraction.
 */
export function azureSeconds(text: string, line: LineRef, base: number | null): { whole: number; seconds: number } {
  const m = AZURE_TIME.exec(text);
  const ms = m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
  if (!m || !Number.isFinite(ms)) {
    const at = typeof line === "number" ? line : line();
    throw new TraceFormatError(
      `Line ${at}, TIMESTAMP: ${JSON.stringify(text)} is not a date and time. Write it as Azure's traces do: "2023-11-16 18:15:46.6805900".`,
      at,
      "TIMESTAMP",
    );
  }
  let whole = ms / 1000;
  const zone = m[8];
  if (zone && zone !== "Z") {
    const [, sign, hh, mm] = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    whole -= (sign === "+" ? 1 : -1) * (+hh * 3600 + +mm * 60);
  }
  const fraction = m[7] ? Number(`0${m[7]}`) : 0;
  return { whole, seconds: whole - (base ?? whole) + fraction };
}

/** Reads one of the CSV formats. */
export async function readCsvTrace(chunks: AsyncIterable<string>, format: CsvTraceFormat): Promise<FormatReading> {
  const rows = csvRows(chunks);
  const first = await rows.next();
  let columns: Map<string, number>;
  try {
    columns = columnsOf(first.done ? undefined : first.value, format);
  } catch (err) {
    await rows.return(undefined);
    throw err;
  }
  const notes: string[] = [];
  async function* requests(): AsyncGenerator<TraceRequest> {
    const timeline = new Timeline();
    let base: number | null = null;
    let empty = 0;
    try {
      for await (const row of rows) {
        const cell = cellReader(columns, row);
        const line = row.line;
        if (format === "azure") {
          const { whole, seconds } = azureSeconds(cell("TIMESTAMP"), line, base);
          base ??= whole;
          const generated = tokenCount(cell("GeneratedTokens"), line, "GeneratedTokens");
          if (generated === 0) empty++;
          yield {
            timestamp: timeline.at(seconds, line, "TIMESTAMP", cell("TIMESTAMP")),
            prompt: null,
            maxTokens: Math.max(1, generated),
            workloadType: DEFAULT_WORKLOAD_TYPE,
            inputTokens: tokenCount(cell("ContextTokens"), line, "ContextTokens"),
            outputTokens: generated,
          };
        } else if (format === "burstgpt") {
          const seconds = timeValue(cell("Timestamp"), line, "Timestamp");
          const response = tokenCount(cell("Response tokens"), line, "Response tokens");
          if (response === 0) empty++;
          yield {
            timestamp: timeline.at(seconds, line, "Timestamp"),
            prompt: null,
            maxTokens: Math.max(1, response),
            workloadType: nameOr(cell("Log Type"), line, "Log Type", DEFAULT_WORKLOAD_TYPE),
            inputTokens: tokenCount(cell("Request tokens"), line, "Request tokens"),
            outputTokens: response,
          };
        } else {
          const seconds = timeValue(cell("timestamp"), line, "timestamp");
          const i = columns.get("prompt")!;
          yield {
            timestamp: timeline.at(seconds, line, "timestamp"),
            // The prompt cell as written: its spaces and newlines are part of the prompt.
            prompt: row.cells[i] ?? "",
            maxTokens: tokenCount(cell("max_tokens"), line, "max_tokens", 1),
            workloadType: nameOr(cell("workload_type"), line, "workload_type", DEFAULT_WORKLOAD_TYPE),
            inputTokens: optionalTokenCount(cell("input_tokens"), line, "input_tokens"),
            outputTokens: optionalTokenCount(cell("output_tokens"), line, "output_tokens"),
          };
        }
      }
    } finally {
      await rows.return(undefined);
    }
    if (empty > 0) notes.push(`${empty} requests generated no tokens in the trace; they ask for max_tokens 1.`);
  }
  return { hasTimestamps: true, metadata: {}, notes, requests: requests() };
}
