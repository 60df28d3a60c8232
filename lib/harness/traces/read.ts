// Reading a load trace of any format Assay accepts: detect the format from the file's head (unless given), then
// stream its requests, never holding the whole file.
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import path from "node:path";
import type { TraceRequest } from "../types";
import { readCsvTrace } from "./csvFormats";
import { DETECT_HEAD_BYTES, detectTraceFormat, TRACE_FORMATS, type TraceFormat } from "./detect";
import { TraceFormatError } from "./errors";
import { readShareGpt, readVarcasResults, readVarcasTrace } from "./jsonFormats";
import { readJsonlTrace } from "./jsonlFormats";
import type { FormatReading, TraceReading } from "./reading";

export interface ReadTraceOptions {
  /** The format; detected from the file's first 64 KB when absent. */
  format?: TraceFormat;
  /** Yield at most this many requests. */
  limit?: number;
  /** The file's name, for detection and messages (readTrace: the path's base name). */
  name?: string;
}

const CHUNK_CHARS = 64 * 1024;

function readFormat(format: TraceFormat, chunks: AsyncIterable<string>): Promise<FormatReading> {
  switch (format) {
    case "varcas-trace":
      return readVarcasTrace(chunks);
    case "varcas-results":
      return readVarcasResults(chunks);
    case "sharegpt":
      return readShareGpt(chunks);
    case "azure":
    case "burstgpt":
    case "csv":
      return readCsvTrace(chunks, format);
    case "mooncake":
    case "jsonl":
      return readJsonlTrace(chunks, format);
  }
}

/** The requests, at most `limit` of them; a trace that gives none is an error (there is nothing to replay). */
async function* limited(requests: AsyncIterable<TraceRequest>, limit: number | undefined, name: string): AsyncGenerator<TraceRequest> {
  if (limit === 0) return;
  let count = 0;
  for await (const request of requests) {
    yield request;
    if (++count === limit) return;
  }
  if (count === 0) throw new TraceFormatError(`${name} has no requests. Add at least one request to the trace.`, 1, null);
}

async function readFrom(
  chunks: () => AsyncIterable<string>,
  head: () => Promise<string>,
  options: ReadTraceOptions,
): Promise<TraceReading> {
  const { limit, name } = options;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw new TraceFormatError(`The limit ${limit} is not a whole number of requests, 0 or more. Give a whole number.`, 1, null);
  }
  if (options.format !== undefined && !TRACE_FORMATS.includes(options.format)) {
    throw new TraceFormatError(`"${options.format}" is not a trace format Assay reads. Use one of ${TRACE_FORMATS.join(", ")}.`, 1, null);
  }
  const format = options.format ?? detectTraceFormat(await head(), name);
  const reading = await readFormat(format, chunks());
  return { format, ...reading, requests: limited(reading.requests, limit, name ? `"${name}"` : "The trace") };
}

/** A trace file's requests, streamed (a file of any size is read a chunk at a time). */
export function readTrace(filePath: string, options: ReadTraceOptions = {}): Promise<TraceReading> {
  const name = options.name ?? path.basename(filePath);
  const head = async () => {
    const file = await open(filePath, "r");
    try {
      const buffer = Buffer.alloc(DETECT_HEAD_BYTES);
      const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
      // A character cut at the head's end decodes as U+FFFD, which detection never looks at.
      return new TextDecoder().decode(buffer.subarray(0, bytesRead));
    } finally {
      await file.close();
    }
  };
  const chunks = () => createReadStream(filePath, { encoding: "utf8", highWaterMark: CHUNK_CHARS }) as AsyncIterable<string>;
  return readFrom(chunks, head, { ...options, name });
}

/** A trace's requests from its text (an upload already in memory). */
export function readTraceFromString(text: string, options: ReadTraceOptions = {}): Promise<TraceReading> {
  async function* chunks(): AsyncGenerator<string> {
    for (let i = 0; i < text.length; i += CHUNK_CHARS) yield text.slice(i, i + CHUNK_CHARS);
  }
  return readFrom(chunks, async () => text.slice(0, DETECT_HEAD_BYTES), options);
}
