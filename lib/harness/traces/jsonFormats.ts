// The JSON trace formats: varcas's trace file, varcas's (or Assay's) results file replayed as a trace, and ShareGPT.
// All three stream their one big array (jsonArrayStream.ts).
import type { TraceRequest } from "../types";
import { TraceFormatError } from "./errors";
import { lineOfKey, nameOr, objectElement, optionalTokenCount, promptText, Timeline, timeValue, tokenCount } from "./fields";
import { openJsonArray, type JsonArrayDocument, type JsonArrayElement } from "./jsonArrayStream";
import type { FormatReading } from "./reading";

/** The workload type of a request whose file names none. */
export const DEFAULT_WORKLOAD_TYPE = "trace";

/**
 * The max_tokens varcas writes for a results record that generated nothing (failed, or an empty answer): its own trace
 * of the fixture run has 150 for each of the 17 records of baseline.json with output_tokens 0.
 */
export const VARCAS_EMPTY_ANSWER_MAX_TOKENS = 150;

/** The fields of one element, each checked at the line its key is on. */
function fieldReader(document: JsonArrayDocument, element: JsonArrayElement, what: string) {
  const record = objectElement(element.value, element.line, `${document.arrayKey ?? ""}[${element.index}]`, what);
  const lineOf = (key: string) => () => lineOfKey(element.text, element.line, key);
  return { record, lineOf };
}

async function openArray(chunks: AsyncIterable<string>, keys: readonly string[], expected: string): Promise<JsonArrayDocument> {
  const document = await openJsonArray(chunks, keys);
  if ((document.arrayKey === null) !== (keys.length === 0)) {
    throw new TraceFormatError(`Line 1: expected ${expected}. Check the file's format.`, 1, null);
  }
  return document;
}

/** varcas's trace: {"metadata": {...}, "prompts": [{timestamp, prompt, max_tokens, workload_type, input_tokens, output_tokens}]}. */
export async function readVarcasTrace(chunks: AsyncIterable<string>): Promise<FormatReading> {
  const document = await openArray(chunks, ["prompts", "requests"], 'a JSON object with a "prompts" array (a varcas trace)');
  const metadata = document.members.metadata;
  async function* requests(): AsyncGenerator<TraceRequest> {
    const timeline = new Timeline();
    for await (const element of document.elements) {
      const { record, lineOf } = fieldReader(document, element, `request ${element.index + 1}`);
      const seconds = timeValue(record.timestamp, lineOf("timestamp"), "timestamp");
      yield {
        timestamp: timeline.at(seconds, lineOf("timestamp"), "timestamp"),
        prompt: promptText(record.prompt, lineOf("prompt"), "prompt"),
        maxTokens: tokenCount(record.max_tokens, lineOf("max_tokens"), "max_tokens", 1),
        workloadType: nameOr(record.workload_type, lineOf("workload_type"), "workload_type", DEFAULT_WORKLOAD_TYPE),
        inputTokens: optionalTokenCount(record.input_tokens, lineOf("input_tokens"), "input_tokens"),
        outputTokens: optionalTokenCount(record.output_tokens, lineOf("output_tokens"), "output_tokens"),
      };
    }
  }
  return {
    hasTimestamps: true,
    metadata: metadata && typeof metadata === "object" && !Array.isArray(metadata) ? (metadata as Record<string, unknown>) : {},
    notes: [],
    requests: requests(),
  };
}

/**
 * A results file replayed as a trace, as varcas replays one: each record's prompt_text, sent at its timestamp_sent
 * (from the first), asking for as many tokens as it generated. Failed records are replayed too: same prompts.
 */
export async function readVarcasResults(chunks: AsyncIterable<string>): Promise<FormatReading> {
  const document = await openArray(chunks, ["records"], 'a JSON object with a "records" array (a results file)');
  const notes: string[] = [];
  async function* requests(): AsyncGenerator<TraceRequest> {
    const timeline = new Timeline();
    let failed = 0;
    let empty = 0;
    for await (const element of document.elements) {
      const { record, lineOf } = fieldReader(document, element, `record ${element.index + 1}`);
      const sent = timeValue(record.timestamp_sent, lineOf("timestamp_sent"), "timestamp_sent");
      const outputTokens = tokenCount(record.output_tokens, lineOf("output_tokens"), "output_tokens");
      if (record.error !== null && record.error !== undefined) failed++;
      if (outputTokens === 0) empty++;
      yield {
        timestamp: timeline.at(sent, lineOf("timestamp_sent"), "timestamp_sent"),
        prompt: promptText(record.prompt_text, lineOf("prompt_text"), "prompt_text"),
        maxTokens: outputTokens > 0 ? outputTokens : VARCAS_EMPTY_ANSWER_MAX_TOKENS,
        workloadType: nameOr(record.workload_name, lineOf("workload_name"), "workload_name", DEFAULT_WORKLOAD_TYPE),
        inputTokens: tokenCount(record.input_tokens, lineOf("input_tokens"), "input_tokens"),
        outputTokens,
      };
    }
    if (failed > 0) notes.push(`${failed} records had failed (error set); they are replayed with the same prompts.`);
    if (empty > 0) {
      notes.push(
        `${empty} records generated no tokens; they ask for max_tokens ${VARCAS_EMPTY_ANSWER_MAX_TOKENS}, as varcas's replay does.`,
      );
    }
  }
  return { hasTimestamps: true, metadata: document.members, notes, requests: requests() };
}

const SHAREGPT_ROLES: Record<string, "system" | "user" | "assistant"> = {
  system: "system",
  human: "user",
  user: "user",
  gpt: "assistant",
  chatgpt: "assistant",
  bard: "assistant",
  assistant: "assistant",
  model: "assistant",
};

/** Tokens in a text by the harness's estimate (characters / 4, rounded up), at least 1. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/**
 * ShareGPT: [{"conversations": [{"from": "human" | "gpt" | "system", "value"}]}]. Each conversation sends its turns up
 * to the first human one (that turn is the prompt) and asks for the first answer's length (characters / 4). It has no
 * send times: every timestamp is 0 and hasTimestamps false, so the run's arrival process spaces the requests.
 */
export async function readShareGpt(chunks: AsyncIterable<string>): Promise<FormatReading> {
  const document = await openArray(chunks, [], 'a JSON array of conversations (ShareGPT: [{"conversations": [...]}])');
  const notes: string[] = [];
  async function* requests(): AsyncGenerator<TraceRequest> {
    let noHuman = 0;
    let noAnswer = 0;
    for await (const element of document.elements) {
      const { record } = fieldReader(document, element, `conversation ${element.index + 1}`);
      const turns = record.conversations;
      if (!Array.isArray(turns)) {
        throw new TraceFormatError(
          `Line ${element.line}, conversations: conversation ${element.index + 1} has no "conversations" list. ` +
            `Give it as [{"from": "human", "value": "..."}, ...].`,
          element.line,
          "conversations",
        );
      }
      const messages: NonNullable<TraceRequest["messages"]> = [];
      let prompt: string | null = null;
      let answer: string | null = null;
      for (const [t, turn] of turns.entries()) {
        const from = turn && typeof turn === "object" ? (turn as Record<string, unknown>).from : undefined;
        const role = typeof from === "string" ? SHAREGPT_ROLES[from.toLowerCase()] : undefined;
        if (!role) {
          const turnLine = lineOfKey(element.text, element.line, "from", t);
          throw new TraceFormatError(
            `Line ${turnLine}, conversations[${t}].from: ${JSON.stringify(from)} is not a speaker Assay knows. ` +
              `Use "human", "gpt" or "system".`,
            turnLine,
            "from",
          );
        }
        const value = promptText((turn as Record<string, unknown>).value, () => lineOfKey(element.text, element.line, "value", t), "value");
        if (prompt === null) {
          messages.push({ role, content: value });
          if (role === "user") prompt = value;
        } else if (role === "assistant") {
          answer = value;
          break;
        }
      }
      if (prompt === null) noHuman++;
      else if (answer === null) noAnswer++;
      else
        yield {
          timestamp: 0,
          prompt,
          messages,
          maxTokens: estimateTokens(answer),
          workloadType: DEFAULT_WORKLOAD_TYPE,
          inputTokens: null,
          outputTokens: null,
        };
    }
    if (noHuman > 0) notes.push(`${noHuman} conversations had no human turn; they are left out.`);
    if (noAnswer > 0)
      notes.push(`${noAnswer} conversations had no answer after their first human turn (no length to ask for); they are left out.`);
  }
  return { hasTimestamps: false, metadata: {}, notes, requests: requests() };
}
