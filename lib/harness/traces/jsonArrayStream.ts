// An incremental reader for a JSON file whose bulk is one array: varcas's `{"metadata": ..., "prompts": [...]}`, a
// results file's `records`, or a bare top-level array (ShareGPT). It scans the text chunk by chunk, keeping only the
// element being read, and hands each element to JSON.parse alone, so a 100 MB file never becomes one string or one
// parsed tree. The other top-level members are small and parsed whole. Lines are counted as it goes, for the errors.
import { TraceFormatError } from "./errors";

/** One element of the array: parsed, with its own text and the line it starts on. */
export interface JsonArrayElement {
  value: unknown;
  text: string;
  line: number;
  index: number;
}

export interface JsonArrayDocument {
  /** The array's key in the top-level object (null when the file is the array itself). */
  arrayKey: string | null;
  /** The top-level object's other members: those before the array at once, those after it once the elements are read. */
  members: Record<string, unknown>;
  /** The array's elements, in order; read once. */
  elements: AsyncIterable<JsonArrayElement>;
}

const enum Char {
  Tab = 9,
  Newline = 10,
  Return = 13,
  Space = 32,
  Quote = 34,
  Comma = 44,
  Colon = 58,
  OpenBracket = 91,
  Backslash = 92,
  CloseBracket = 93,
  OpenBrace = 123,
  CloseBrace = 125,
}

const EOF = -1;
const BYTE_ORDER_MARK = 0xfeff;

/** The text, a chunk at a time, with a read position, a line count and the part still needed kept. */
class JsonCursor {
  private buf = "";
  private pos = 0;
  private keepFrom = -1;
  private ended = false;
  line = 1;

  constructor(private readonly chunks: AsyncIterator<string>) {}

  /** Appends the next chunk, dropping what is consumed (all but the value being captured); false at the end. */
  private async more(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.chunks.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    const from = this.keepFrom >= 0 ? this.keepFrom : this.pos;
    this.buf = this.buf.slice(from) + next.value;
    this.pos -= from;
    if (this.keepFrom >= 0) this.keepFrom = 0;
    return true;
  }

  /** The next character that is not white space (not consumed), or EOF. */
  async peek(): Promise<number> {
    for (;;) {
      while (this.pos < this.buf.length) {
        const c = this.buf.charCodeAt(this.pos);
        if (c === Char.Newline) this.line++;
        else if (c !== Char.Space && c !== Char.Tab && c !== Char.Return) return c;
        this.pos++;
      }
      if (!(await this.more())) return EOF;
    }
  }

  skip(): void {
    this.pos++;
  }

  /** The text of the JSON value that starts here (after white space), up to its end; null if the file ends first. */
  async valueText(): Promise<string | null> {
    if ((await this.peek()) === EOF) return null;
    let start = this.pos;
    this.keepFrom = start;
    let depth = 0;
    let inString = false;
    let escaped = false;
    let i = start;
    const first = this.buf.charCodeAt(start);
    const scalar = first !== Char.OpenBrace && first !== Char.OpenBracket && first !== Char.Quote;
    try {
      for (;;) {
        const buf = this.buf;
        const n = buf.length;
        for (; i < n; i++) {
          const c = buf.charCodeAt(i);
          if (inString) {
            if (escaped) escaped = false;
            else if (c === Char.Backslash) escaped = true;
            else if (c === Char.Quote) {
              inString = false;
              if (depth === 0) return this.take(start, i + 1);
            } else if (c === Char.Newline) this.line++;
            continue;
          }
          if (scalar) {
            if (c === Char.Comma || c === Char.CloseBracket || c === Char.CloseBrace || c <= Char.Space) return this.take(start, i);
            continue;
          }
          if (c === Char.Quote) inString = true;
          else if (c === Char.OpenBrace || c === Char.OpenBracket) depth++;
          else if (c === Char.CloseBrace || c === Char.CloseBracket) {
            depth--;
            if (depth === 0) return this.take(start, i + 1);
          } else if (c === Char.Newline) this.line++;
        }
        const before = this.pos;
        if (!(await this.more())) return scalar ? this.take(start, i) : null;
        // more() moved the kept text to the buffer's start: shift the scan positions with it.
        const shift = before - this.pos;
        i -= shift;
        start -= shift;
      }
    } finally {
      this.keepFrom = -1;
    }
  }

  private take(start: number, end: number): string {
    this.pos = end;
    return this.buf.slice(start, end);
  }

  async close(): Promise<void> {
    await this.chunks.return?.();
  }
}

/** JSON.parse with the failure turned into a TraceFormatError at the line of the bad character. */
function parseAt(text: string, line: number, field: string | null, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const at = /position (\d+)/.exec(reason);
    const offset = at ? text.slice(0, Number(at[1])).split("\n").length - 1 : 0;
    throw new TraceFormatError(`Line ${line + offset}: ${what} is not valid JSON (${reason}). Fix the JSON there.`, line + offset, field);
  }
}

function truncated(line: number, field: string | null, where: string): TraceFormatError {
  return new TraceFormatError(`Line ${line}: the file ends ${where}: it is truncated. Copy or export the whole file again.`, line, field);
}

function unexpected(cursor: JsonCursor, c: number, field: string | null, expected: string): TraceFormatError {
  return new TraceFormatError(
    `Line ${cursor.line}: expected ${expected} but found ${JSON.stringify(String.fromCharCode(c))}. Fix the JSON there.`,
    cursor.line,
    field,
  );
}

/**
 * Opens a JSON file holding one big array: the file itself, or the first member named in `arrayKeys` of its top-level
 * object. Resolves once the array starts (with the members before it); the elements then stream.
 */
export async function openJsonArray(chunks: AsyncIterable<string>, arrayKeys: readonly string[]): Promise<JsonArrayDocument> {
  const cursor = new JsonCursor(chunks[Symbol.asyncIterator]());
  const members: Record<string, unknown> = {};
  try {
    let first = await cursor.peek();
    if (first === BYTE_ORDER_MARK) {
      cursor.skip();
      first = await cursor.peek();
    }
    if (first === EOF) throw new TraceFormatError("The file is empty. Upload a trace file with at least one request.", 1, null);
    if (first === Char.OpenBracket) {
      cursor.skip();
      return { arrayKey: null, members, elements: elementsOf(cursor, null, members) };
    }
    if (first !== Char.OpenBrace) throw unexpected(cursor, first, null, "a JSON object or array");
    cursor.skip();
    const arrayKey = await readMembers(cursor, members, arrayKeys);
    if (arrayKey === null) {
      const names = arrayKeys.map((k) => `"${k}"`).join(" or ");
      throw new TraceFormatError(
        `Line ${cursor.line}: the file has no ${names} array. Add the requests under ${names}.`,
        cursor.line,
        arrayKeys[0],
      );
    }
    return { arrayKey, members, elements: elementsOf(cursor, arrayKey, members) };
  } catch (err) {
    await cursor.close();
    throw err;
  }
}

/**
 * Reads top-level members into `members` until one named in `arrayKeys` holds an array (its `[` consumed, its key
 * returned) or the object ends (null). With no keys, reads to the object's end.
 */
async function readMembers(cursor: JsonCursor, members: Record<string, unknown>, arrayKeys: readonly string[]): Promise<string | null> {
  let c = await cursor.peek();
  if (c === Char.CloseBrace) {
    cursor.skip();
    return null;
  }
  for (;;) {
    if (c === EOF) throw truncated(cursor.line, null, "inside the top-level object");
    if (c !== Char.Quote) throw unexpected(cursor, c, null, "a member name in quotes");
    const keyLine = cursor.line;
    const keyText = await cursor.valueText();
    if (keyText === null) throw truncated(cursor.line, null, "inside a member name");
    const key = parseAt(keyText, keyLine, null, "a member name") as string;
    c = await cursor.peek();
    if (c === EOF) throw truncated(cursor.line, key, `after "${key}"`);
    if (c !== Char.Colon) throw unexpected(cursor, c, key, `":" after "${key}"`);
    cursor.skip();
    c = await cursor.peek();
    if (arrayKeys.includes(key) && c === Char.OpenBracket) {
      cursor.skip();
      return key;
    }
    const valueLine = cursor.line;
    const valueText = await cursor.valueText();
    if (valueText === null) throw truncated(cursor.line, key, `inside "${key}" (from line ${valueLine})`);
    members[key] = parseAt(valueText, valueLine, key, `"${key}"`);
    c = await cursor.peek();
    if (c === Char.Comma) {
      cursor.skip();
      c = await cursor.peek();
      continue;
    }
    if (c === Char.CloseBrace) {
      cursor.skip();
      return null;
    }
    if (c === EOF) throw truncated(cursor.line, key, `after "${key}"`);
    throw unexpected(cursor, c, key, `"," or "}" after "${key}"`);
  }
}

async function* elementsOf(
  cursor: JsonCursor,
  arrayKey: string | null,
  members: Record<string, unknown>,
): AsyncGenerator<JsonArrayElement> {
  const name = arrayKey === null ? "the top-level array" : `the "${arrayKey}" array`;
  const field = (index: number) => (arrayKey === null ? `[${index}]` : `${arrayKey}[${index}]`);
  try {
    let c = await cursor.peek();
    let index = 0;
    if (c === Char.CloseBracket) cursor.skip();
    else {
      for (;;) {
        if (c === EOF) throw truncated(cursor.line, arrayKey, `inside ${name}, after ${index} elements`);
        const line = cursor.line;
        const text = await cursor.valueText();
        if (text === null) throw truncated(cursor.line, field(index), `inside ${name}, in element ${index + 1} (from line ${line})`);
        const value = parseAt(text, line, field(index), `element ${index + 1} of ${name}`);
        yield { value, text, line, index };
        index++;
        c = await cursor.peek();
        if (c === Char.Comma) {
          cursor.skip();
          c = await cursor.peek();
          continue;
        }
        if (c === Char.CloseBracket) {
          cursor.skip();
          break;
        }
        if (c === EOF) throw truncated(cursor.line, arrayKey, `inside ${name}, after ${index} elements`);
        throw unexpected(cursor, c, field(index - 1), `"," or "]" after element ${index} of ${name}`);
      }
    }
    if (arrayKey !== null) {
      c = await cursor.peek();
      if (c === Char.Comma) {
        cursor.skip();
        await readMembers(cursor, members, []);
      } else if (c === Char.CloseBrace) cursor.skip();
      else if (c === EOF) throw truncated(cursor.line, null, `after ${name}, before the top-level object's "}"`);
      else throw unexpected(cursor, c, null, `"," or "}" after ${name}`);
    }
    c = await cursor.peek();
    if (c !== EOF) throw unexpected(cursor, c, null, "the end of the file");
  } finally {
    await cursor.close();
  }
}
