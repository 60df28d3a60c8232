// Writing varcas's trace format byte for byte as varcas_load_harness.py's --save-trace does (Python's
// json.dump(..., indent=2): floats in repr form, "0.0" not "0", non-ASCII as \uXXXX, no final newline), so varcas
// replays what Assay writes and a varcas file read and written back is the same file. The requests stream to a
// body file first (their count goes in the metadata, ahead of them), then header + body land under the target's
// name in one rename: the file appears whole or not at all.
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { once } from "node:events";
import { AppError } from "@/lib/errors";
import type { TraceRequest } from "../types";
import { estimateTokens } from "./jsonFormats";
import { pythonIsoformat } from "@/lib/format/dateTime";

export interface WriteVarcasTraceOptions {
  /** The prompt for a request the trace gives only lengths for (prompt null), e.g. one synthesised from its inputTokens. */
  promptFor?: (request: TraceRequest, index: number) => string;
}

/** The `source` varcas puts in its metadata. */
export const VARCAS_TRACE_SOURCE = "varcas_load_harness";

/** A number as Python's repr(float) writes it: shortest round-trip digits, "1.0", "1e-05", "1.5e+16". */
export function pythonFloat(value: number): string {
  if (!Number.isFinite(value)) throw new AppError("VALIDATION", `${value} cannot be written to a varcas trace: give a finite number.`);
  if (Object.is(value, -0)) return "-0.0";
  const [mantissa, exponentText] = value.toExponential().split("e");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    return `${mantissa}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  const text = String(value);
  return text.includes(".") ? text : `${text}.0`;
}

/** A string as Python's json.dumps writes it (ensure_ascii: everything outside printable ASCII as \uXXXX). */
export function pythonJsonString(text: string): string {
  return JSON.stringify(text).replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function pythonInteger(value: number): string {
  return Number.isInteger(value) ? String(value) : pythonFloat(value);
}

/** A JSON value as Python's json.dumps(value, indent=2) writes it, nested `level` deep (whole numbers as integers). */
export function pythonJson(value: unknown, level = 0): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return pythonInteger(value);
  if (typeof value === "string") return pythonJsonString(value);
  const inner = "  ".repeat(level + 1);
  const outer = "  ".repeat(level);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => inner + pythonJson(v, level + 1)).join(",\n")}\n${outer}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v]) => `${inner}${pythonJsonString(k)}: ${pythonJson(v, level + 1)}`).join(",\n")}\n${outer}}`;
}

function tokensOf(value: number, index: number, field: string): string {
  if (!Number.isInteger(value) || value < 0) {
    throw new AppError("VALIDATION", `Request ${index + 1}: ${field} is ${value}; varcas needs a whole number of tokens, 0 or more.`);
  }
  return String(value);
}

/** One request as an element of varcas's "prompts" array (indented as inside it). */
function varcasPromptEntry(request: TraceRequest, index: number, promptFor: WriteVarcasTraceOptions["promptFor"]): string {
  const prompt = request.prompt ?? promptFor?.(request, index);
  if (typeof prompt !== "string") {
    throw new AppError(
      "VALIDATION",
      `Request ${index + 1} has no prompt text (its trace gives only lengths): pass promptFor to write one, e.g. a synthesised prompt of its inputTokens.`,
    );
  }
  return (
    "    {\n" +
    `      "timestamp": ${pythonFloat(request.timestamp)},\n` +
    `      "prompt": ${pythonJsonString(prompt)},\n` +
    `      "max_tokens": ${tokensOf(request.maxTokens, index, "max_tokens")},\n` +
    `      "workload_type": ${pythonJsonString(request.workloadType)},\n` +
    `      "input_tokens": ${tokensOf(request.inputTokens ?? estimateTokens(prompt), index, "input_tokens")},\n` +
    `      "output_tokens": ${tokensOf(request.outputTokens ?? request.maxTokens, index, "output_tokens")}\n` +
    "    }"
  );
}

/** Writes `text` and waits when the stream's buffer is full (so a big trace never piles up in memory). */
async function writeWithBackpressure(out: WriteStream, text: string | Buffer): Promise<void> {
  if (!out.write(text)) await once(out, "drain");
}

async function finish(out: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/** The metadata block: the caller's, with varcas's source and the real request count (varcas's keys first, in its order). */
function varcasMetadata(metadata: Record<string, unknown>, count: number): Record<string, unknown> {
  const block: Record<string, unknown> = { source: VARCAS_TRACE_SOURCE, total_requests: count, ...metadata };
  block.total_requests = count;
  // Python's datetime.now().isoformat(): microseconds, no zone.
  block.exported_at ??= pythonIsoformat(Date.now());
  return block;
}

/**
 * Writes requests as a varcas trace file ({"metadata": {...}, "prompts": [...]}, exactly as varcas writes it), streaming
 * them; metadata.total_requests is set to the count written. Returns that count.
 */
export async function writeVarcasTrace(
  targetPath: string,
  requests: AsyncIterable<TraceRequest> | Iterable<TraceRequest>,
  metadata: Record<string, unknown> = {},
  options: WriteVarcasTraceOptions = {},
): Promise<{ count: number }> {
  const suffix = `${process.pid}.${randomBytes(4).toString("hex")}`;
  const bodyPath = `${targetPath}.${suffix}.prompts.tmp`;
  const filePath = `${targetPath}.${suffix}.tmp`;
  const body = createWriteStream(bodyPath, { encoding: "utf8" });
  try {
    let count = 0;
    let pending = "";
    for await (const request of requests) {
      pending += (count > 0 ? ",\n" : "") + varcasPromptEntry(request, count, options.promptFor);
      count++;
      if (pending.length >= 64 * 1024) {
        await writeWithBackpressure(body, pending);
        pending = "";
      }
    }
    await writeWithBackpressure(body, pending);
    await finish(body);

    const file = createWriteStream(filePath, { encoding: "utf8" });
    try {
      const head = `{\n  "metadata": ${pythonJson(varcasMetadata(metadata, count), 1)},\n  "prompts": `;
      await writeWithBackpressure(file, count === 0 ? `${head}[]\n}` : `${head}[\n`);
      if (count > 0) {
        for await (const chunk of createReadStream(bodyPath)) await writeWithBackpressure(file, chunk as Buffer);
        await writeWithBackpressure(file, "\n  ]\n}");
      }
      await finish(file);
    } catch (err) {
      file.destroy();
      throw err;
    }
    await rename(filePath, targetPath);
    return { count };
  } catch (err) {
    body.destroy();
    await rm(filePath, { force: true });
    throw err;
  } finally {
    await rm(bodyPath, { force: true });
  }
}

/** The same varcas trace as text, for a download (requests already in memory, their count known). */
export function varcasTraceText(
  requests: readonly TraceRequest[],
  metadata: Record<string, unknown> = {},
  options: WriteVarcasTraceOptions = {},
): string {
  const head = `{\n  "metadata": ${pythonJson(varcasMetadata(metadata, requests.length), 1)},\n  "prompts": `;
  if (requests.length === 0) return `${head}[]\n}`;
  return `${head}[\n${requests.map((r, i) => varcasPromptEntry(r, i, options.promptFor)).join(",\n")}\n  ]\n}`;
}
