// The JSON Lines trace formats: Mooncake's ({"timestamp" in ms, "input_length", "output_length", "hash_ids"}) and
// Assay's own ({"timestamp" in s, "prompt", "max_tokens", optional "workload_type", "input_tokens", "output_tokens"}).
import type { TraceRequest } from "../types";
import { TraceFormatError } from "./errors";
import { nameOr, objectElement, optionalTokenCount, promptText, Timeline, timeValue, tokenCount } from "./fields";
import { DEFAULT_WORKLOAD_TYPE } from "./jsonFormats";
import type { FormatReading } from "./reading";
import { textLines } from "./textSources";

function parseLine(text: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new TraceFormatError(`Line ${line}: not valid JSON (${reason}). Each line must be one JSON object.`, line, null);
  }
  return objectElement(value, line, `line ${line}`, `line ${line}`);
}

/** Reads Mooncake's or Assay's JSON Lines. */
export async function readJsonlTrace(chunks: AsyncIterable<string>, format: "mooncake" | "jsonl"): Promise<FormatReading> {
  const lines = textLines(chunks);
  const first = await lines.next();
  if (first.done) throw new TraceFormatError("The file is empty. Upload a trace file with at least one request.", 1, null);
  const notes: string[] = [];
  async function* requests(): AsyncGenerator<TraceRequest> {
    const timeline = new Timeline(format === "mooncake" ? 1000 : 1);
    let empty = 0;
    try {
      for (let next = first; !next.done; next = await lines.next()) {
        const { text, line } = next.value;
        const record = parseLine(text, line);
        if (format === "mooncake") {
          const ms = timeValue(record.timestamp, line, "timestamp");
          const output = tokenCount(record.output_length, line, "output_length");
          if (output === 0) empty++;
          yield {
            timestamp: timeline.at(ms, line, "timestamp", `${ms} ms`),
            prompt: null,
            maxTokens: Math.max(1, output),
            workloadType: DEFAULT_WORKLOAD_TYPE,
            inputTokens: tokenCount(record.input_length, line, "input_length"),
            outputTokens: output,
          };
        } else {
          const seconds = timeValue(record.timestamp, line, "timestamp");
          yield {
            timestamp: timeline.at(seconds, line, "timestamp"),
            prompt: promptText(record.prompt, line, "prompt"),
            maxTokens: tokenCount(record.max_tokens, line, "max_tokens", 1),
            workloadType: nameOr(record.workload_type, line, "workload_type", DEFAULT_WORKLOAD_TYPE),
            inputTokens: optionalTokenCount(record.input_tokens, line, "input_tokens"),
            outputTokens: optionalTokenCount(record.output_tokens, line, "output_tokens"),
          };
        }
      }
    } finally {
      await lines.return(undefined);
    }
    if (empty > 0) notes.push(`${empty} requests generated no tokens in the trace; they ask for max_tokens 1.`);
  }
  return { hasTimestamps: true, metadata: {}, notes, requests: requests() };
}
