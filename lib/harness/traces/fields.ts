// Checks for the values of one trace request, shared by every format: each failure is a TraceFormatError naming the
// line, the field and what to write instead.
import { TraceFormatError } from "./errors";

function shown(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A line number, or how to find it: finding a key's line in an element costs a search, done only for an error. */
export type LineRef = number | (() => number);

const lineNumber = (line: LineRef) => (typeof line === "number" ? line : line());

function fail(lineRef: LineRef, field: string, problem: string, fix: string): never {
  const line = lineNumber(lineRef);
  throw new TraceFormatError(`Line ${line}, ${field}: ${problem}. ${fix}`, line, field);
}

/** A number from JSON, or from a CSV cell's text; NaN when it is neither. */
function numberOf(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "") return Number(value);
  return NaN;
}

/** A token count: a whole number of at least `min` (a number in JSON, its digits in CSV). */
export function tokenCount(value: unknown, line: LineRef, field: string, min = 0): number {
  if (value === undefined || value === null || value === "")
    fail(line, field, "is missing", `Give a whole number of tokens, ${min} or more.`);
  const n = numberOf(value);
  if (!Number.isFinite(n)) fail(line, field, `${shown(value)} is not a number`, `Give a whole number of tokens, ${min} or more.`);
  if (n < 0) fail(line, field, `${shown(value)} is negative`, `Give a whole number of tokens, ${min} or more.`);
  if (!Number.isInteger(n)) fail(line, field, `${shown(value)} is not a whole number`, `Give a whole number of tokens, ${min} or more.`);
  if (n < min) fail(line, field, `${shown(value)} is less than ${min}`, `Give a whole number of tokens, ${min} or more.`);
  return n;
}

/** A token count that may be absent (null then). */
export function optionalTokenCount(value: unknown, line: LineRef, field: string): number | null {
  return value === undefined || value === null || value === "" ? null : tokenCount(value, line, field);
}

/** A prompt: text. */
export function promptText(value: unknown, line: LineRef, field: string): string {
  if (value === undefined || value === null) fail(line, field, "is missing", "Give the prompt's text as a string.");
  if (typeof value !== "string") fail(line, field, `${shown(value)} is not a string`, "Give the prompt's text as a string, in quotes.");
  return value;
}

/** An optional name (the workload type); `fallback` when absent. */
export function nameOr(value: unknown, line: LineRef, field: string, fallback: string): string {
  if (value === undefined || value === null || value === "") return fallback;
  if (typeof value !== "string") fail(line, field, `${shown(value)} is not a string`, "Give a name in quotes, or leave it out.");
  return value;
}

/** A number of seconds (or milliseconds, per the format) from the file: a number, 0 or more. */
export function timeValue(value: unknown, line: LineRef, field: string): number {
  if (value === undefined || value === null || value === "") fail(line, field, "is missing", "Give every request its send time.");
  const n = numberOf(value);
  if (!Number.isFinite(n)) fail(line, field, `${shown(value)} is not a number`, "Give the send time as a number.");
  if (n < 0)
    fail(line, field, `${shown(value)} is negative`, "Send times are 0 or more: shift the trace so its first request is at 0 or later.");
  return n;
}

/** A trace's send times, made seconds from its first request and checked never to go back. */
export class Timeline {
  private first: number | null = null;

  /** `unitsPerSecond`: 1000 for a trace in milliseconds (subtracted before dividing, so 30535 - 27482 ms is 3.053 s). */
  constructor(private readonly unitsPerSecond = 1) {}
  private previous: { time: number; shown: string; line: LineRef } | null = null;

  /** Seconds from the first request for one at `time` (in the file's unit; `shownAs` as the file gives it); throws if earlier than the last. */
  at(time: number, line: LineRef, field: string, shownAs: string = String(time)): number {
    if (this.previous && time < this.previous.time) {
      fail(
        line,
        field,
        `${shownAs} is earlier than ${this.previous.shown} on line ${lineNumber(this.previous.line)}`,
        "Send times must never decrease: sort the trace by its timestamp.",
      );
    }
    this.previous = { time, shown: shownAs, line };
    if (this.first === null) this.first = time;
    return (time - this.first) / this.unitsPerSecond;
  }
}

/** The line the `occurrence`-th (from 0) `key` of a (pretty-printed) JSON element is on, from the element's first line. */
export function lineOfKey(text: string, firstLine: number, key: string, occurrence = 0): number {
  const pattern = new RegExp(`"${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"\\s*:`, "g");
  let match: RegExpExecArray | null = null;
  for (let n = 0; n <= occurrence; n++) if ((match = pattern.exec(text)) === null) return firstLine;
  const at = match!.index;
  let line = firstLine;
  for (let i = text.indexOf("\n"); i >= 0 && i < at; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** The element as an object, or a TraceFormatError saying it is not one. */
export function objectElement(value: unknown, line: LineRef, field: string, what: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    fail(line, field, `${what} is ${shown(value)}, not a JSON object`, "Give each request as an object {...}.");
  }
  return value as Record<string, unknown>;
}
