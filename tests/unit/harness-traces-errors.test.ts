// lib/harness/traces: every bad file is a TraceFormatError naming the line (1-based) and the field, with a message
// saying what to fix. Expected lines are found in the test's own text (the line of the needle), not hard-coded.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readTraceFromString, TraceFormatError, type TraceFormat } from "@/lib/harness/traces";

const fixtures = path.resolve(__dirname, "../../../shared/fixtures/varcas");

/** The 1-based line of the `nth` (from 0) occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string, nth = 0): number {
  let at = -1;
  for (let n = 0; n <= nth; n++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`${needle} not in the text`);
  return text.slice(0, at).split("\n").length;
}

/** Reads the whole trace and returns the error it fails with. */
async function failure(text: string, options: { format?: TraceFormat; name?: string } = {}): Promise<TraceFormatError> {
  try {
    const reading = await readTraceFromString(text, options);
    for await (const _ of reading.requests) void _;
  } catch (err) {
    expect(err).toBeInstanceOf(TraceFormatError);
    const e = err as TraceFormatError;
    expect(e.code).toBe("VALIDATION");
    if (e.field !== null) expect(e.message).toContain(`Line ${e.line}`);
    if (e.field !== null) expect(e.message).toContain(e.field.replace(/\[\d+\]$/, ""));
    return e;
  }
  throw new Error("the trace was read without an error");
}

const request = (timestamp: number, extra: Record<string, unknown> = {}) => ({
  timestamp,
  prompt: `User: prompt at ${timestamp}.\nAssistant:`,
  max_tokens: 32,
  workload_type: "chat",
  input_tokens: 8,
  output_tokens: 32,
  ...extra,
});
const varcas = (prompts: unknown[]) =>
  JSON.stringify({ metadata: { source: "varcas_load_harness", total_requests: prompts.length }, prompts }, null, 2);

describe("truncated and malformed JSON", () => {
  it("a varcas trace cut inside a request: the line the file ends on, the element named", async () => {
    const whole = varcas([request(0), request(1), request(2)]);
    const cut = whole.slice(0, whole.indexOf("prompt at 2"));
    const e = await failure(cut);
    expect(e).toMatchObject({ line: cut.split("\n").length, field: "prompts[2]" });
    expect(e.message).toMatch(/ends inside the "prompts" array, in element 3 \(from line \d+\): it is truncated/);
    expect(e.message).toContain(`from line ${lineOf(whole, "{", 4)}`);
  });

  it("varcas's real prompts.json cut in half", async () => {
    const whole = fs.readFileSync(path.join(fixtures, "prompts.json"), "utf8");
    const cut = whole.slice(0, Math.floor(whole.length / 2));
    const e = await failure(cut);
    expect(e.line).toBe(cut.split("\n").length);
    expect(e.field).toMatch(/^prompts(\[\d+\])?$/);
    expect(e.message).toMatch(/truncated/);
  });

  it("a file cut after the array, before the object's closing brace", async () => {
    const whole = varcas([request(0)]);
    const cut = whole.slice(0, -1);
    const e = await failure(cut);
    expect(e.message).toMatch(/after the "prompts" array, before the top-level object's "}": it is truncated/);
    expect(e.line).toBe(cut.split("\n").length);
  });

  it("a results file cut inside its metrics", async () => {
    const whole = fs.readFileSync(path.join(fixtures, "baseline.json"), "utf8");
    const cut = whole.slice(0, whole.indexOf('"tpot_p50_ms"'));
    const e = await failure(cut);
    expect(e).toMatchObject({ field: "metrics", line: cut.split("\n").length });
    expect(e.message).toMatch(/inside "metrics" \(from line \d+\).*truncated/);
  });

  it("invalid JSON inside a request: the line of the bad character", async () => {
    const whole = varcas([request(0), request(1)]).replace('"max_tokens": 32,', '"max_tokens": 32,,');
    const e = await failure(whole);
    expect(e).toMatchObject({ line: lineOf(whole, ",,"), field: "prompts[0]" });
    expect(e.message).toMatch(/not valid JSON/);
  });

  it("a request that is not an object", async () => {
    const text = varcas([request(0), 7]);
    const e = await failure(text);
    expect(e).toMatchObject({ line: lineOf(text, "    7"), field: "prompts[1]" });
    expect(e.message).toMatch(/request 2 is 7, not a JSON object/);
  });

  it("a JSONL line that is not JSON", async () => {
    const e = await failure('{"timestamp": 0, "prompt": "a", "max_tokens": 1}\n{"timestamp": 1, "prompt": "b"\n', { format: "jsonl" });
    expect(e).toMatchObject({ line: 2, field: null });
    expect(e.message).toMatch(/not valid JSON/);
  });
});

describe("empty files and files with no requests", () => {
  it.each(["varcas-trace", "varcas-results", "sharegpt", "azure", "burstgpt", "csv", "mooncake", "jsonl", undefined] as const)(
    "an empty file (%s)",
    async (format) => {
      const e = await failure("", { format });
      expect(e).toMatchObject({ line: 1, field: null });
      expect(e.message).toMatch(/empty/);
    },
  );

  it("a trace with an empty prompts array, and a CSV with only its header", async () => {
    expect((await failure(varcas([]))).message).toMatch(/has no requests/);
    expect((await failure("timestamp,prompt,max_tokens\n")).message).toMatch(/has no requests/);
  });

  it("a JSON object without the array", async () => {
    const e = await failure('{"metadata": {"source": "x"}}', { format: "varcas-trace" });
    expect(e).toMatchObject({ field: "prompts" });
    expect(e.message).toMatch(/no "prompts" or "requests" array/);
  });
});

describe("missing columns and fields", () => {
  it("Azure without GeneratedTokens: named, with the columns the header has", async () => {
    const e = await failure("TIMESTAMP,ContextTokens\n2023-11-16 18:15:46.6805900,374\n");
    expect(e).toMatchObject({ line: 1, field: "GeneratedTokens" });
    expect(e.message).toMatch(/no "GeneratedTokens" column \(it has "TIMESTAMP", "ContextTokens"\)/);
  });

  it("BurstGPT without Response tokens", async () => {
    const e = await failure("Timestamp,Model,Request tokens,Log Type\n5,ChatGPT,472,Conversation log\n");
    expect(e).toMatchObject({ line: 1, field: "Response tokens" });
  });

  it("CSV without max_tokens and workload columns, given as csv", async () => {
    const e = await failure("timestamp,prompt\n0,hello\n", { format: "csv" });
    expect(e).toMatchObject({ line: 1, field: "max_tokens" });
    expect(e.message).toMatch(/timestamp, prompt, max_tokens/);
  });

  it("a varcas request without max_tokens, a JSONL line without a prompt", async () => {
    const text = varcas([request(0), request(1, { max_tokens: undefined })]);
    expect(await failure(text)).toMatchObject({ line: lineOf(text, "{", 3), field: "max_tokens" });
    const e = await failure('{"timestamp": 0, "max_tokens": 5}\n', { format: "jsonl" });
    expect(e).toMatchObject({ line: 1, field: "prompt" });
    expect(e.message).toMatch(/is missing/);
  });

  it("a CSV row short of cells", async () => {
    const e = await failure("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:47.0,12\n");
    expect(e).toMatchObject({ line: 3, field: "GeneratedTokens" });
  });
});

describe("bad token counts", () => {
  it("non-numeric max_tokens in CSV, on the line of its row (after a prompt spanning two lines)", async () => {
    const e = await failure('timestamp,prompt,max_tokens\n0,"two\nlines",5\n1,hello,lots\n');
    expect(e).toMatchObject({ line: 4, field: "max_tokens" });
    expect(e.message).toMatch(/"lots" is not a number/);
  });

  it("negative input_tokens in a varcas trace: the line of the key", async () => {
    const text = varcas([request(0), request(1, { input_tokens: -3 })]);
    const e = await failure(text);
    expect(e).toMatchObject({ line: lineOf(text, '"input_tokens": -3'), field: "input_tokens" });
    expect(e.message).toMatch(/-3 is negative/);
  });

  it("negative Request tokens in BurstGPT, fractional output_length in Mooncake, max_tokens 0", async () => {
    const burst = await failure("Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n5,ChatGPT,-1,18,17,API log\n");
    expect(burst).toMatchObject({ line: 2, field: "Request tokens" });
    const moon = await failure('{"timestamp": 0, "input_length": 5, "output_length": 2.5, "hash_ids": []}\n');
    expect(moon).toMatchObject({ line: 1, field: "output_length" });
    expect(moon.message).toMatch(/not a whole number/);
    const zero = await failure('{"timestamp": 0, "prompt": "a", "max_tokens": 0}\n');
    expect(zero).toMatchObject({ line: 1, field: "max_tokens" });
    expect(zero.message).toMatch(/less than 1/);
  });

  it("a results record whose output_tokens is a string", async () => {
    const results = JSON.parse(fs.readFileSync(path.join(fixtures, "baseline.json"), "utf8"));
    results.records = results.records.slice(0, 3);
    results.records[2].output_tokens = "many";
    const text = JSON.stringify(results, null, 2);
    const e = await failure(text);
    expect(e).toMatchObject({ line: lineOf(text, '"output_tokens": "many"'), field: "output_tokens" });
  });
});

describe("bad timestamps", () => {
  it("a negative timestamp (JSONL, varcas results)", async () => {
    const e = await failure('{"timestamp": 0, "prompt": "a", "max_tokens": 1}\n{"timestamp": -1, "prompt": "b", "max_tokens": 1}\n');
    expect(e).toMatchObject({ line: 2, field: "timestamp" });
    expect(e.message).toMatch(/-1 is negative/);
    const results = JSON.parse(fs.readFileSync(path.join(fixtures, "baseline.json"), "utf8"));
    results.records = results.records.slice(0, 2);
    results.records[0].timestamp_sent = -5;
    const text = JSON.stringify(results, null, 2);
    expect(await failure(text)).toMatchObject({ line: lineOf(text, '"timestamp_sent": -5'), field: "timestamp_sent" });
  });

  it("a decreasing timestamp in a varcas trace: its line, both values and the earlier line", async () => {
    const text = varcas([request(0), request(1.5), request(0.5)]);
    const e = await failure(text);
    expect(e).toMatchObject({ line: lineOf(text, '"timestamp": 0.5'), field: "timestamp" });
    expect(e.message).toContain(`0.5 is earlier than 1.5 on line ${lineOf(text, '"timestamp": 1.5')}`);
    expect(e.message).toMatch(/sort the trace/);
  });

  it("a decreasing Azure datetime, shown as written", async () => {
    const e = await failure(
      "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:46.1000000,10,5\n",
    );
    expect(e).toMatchObject({ line: 3, field: "TIMESTAMP" });
    expect(e.message).toContain("2023-11-16 18:15:46.1000000 is earlier than 2023-11-16 18:15:46.6805900 on line 2");
  });

  it("a decreasing Mooncake timestamp (ms) and BurstGPT timestamp", async () => {
    const moon = await failure(
      '{"timestamp": 100, "input_length": 5, "output_length": 2}\n{"timestamp": 50, "input_length": 5, "output_length": 2}\n',
    );
    expect(moon).toMatchObject({ line: 2, field: "timestamp" });
    expect(moon.message).toContain("50 ms is earlier than 100 ms on line 1");
    const burst = await failure(
      "Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n9,ChatGPT,1,1,2,API log\n8,ChatGPT,1,1,2,API log\n",
    );
    expect(burst).toMatchObject({ line: 3, field: "Timestamp" });
  });

  it("an Azure timestamp that is not a datetime, a CSV timestamp that is not a number", async () => {
    const azure = await failure("TIMESTAMP,ContextTokens,GeneratedTokens\nyesterday,374,44\n");
    expect(azure).toMatchObject({ line: 2, field: "TIMESTAMP" });
    expect(azure.message).toMatch(/not a date and time/);
    const csv = await failure("timestamp,prompt,max_tokens\nsoon,hi,4\n");
    expect(csv).toMatchObject({ line: 2, field: "timestamp" });
  });
});

describe("prompts that are not strings", () => {
  it("varcas trace, JSONL, results and ShareGPT", async () => {
    const text = varcas([request(0, { prompt: 42 })]);
    const e = await failure(text);
    expect(e).toMatchObject({ line: lineOf(text, '"prompt": 42'), field: "prompt" });
    expect(e.message).toMatch(/42 is not a string/);
    expect(await failure('{"timestamp": 0, "prompt": ["a"], "max_tokens": 1}\n')).toMatchObject({ line: 1, field: "prompt" });
    const results = JSON.parse(fs.readFileSync(path.join(fixtures, "baseline.json"), "utf8"));
    results.records = [{ ...results.records[0], prompt_text: null }];
    const resultsText = JSON.stringify(results, null, 2);
    expect(await failure(resultsText)).toMatchObject({ line: lineOf(resultsText, '"prompt_text": null'), field: "prompt_text" });
    const share = JSON.stringify(
      [
        {
          conversations: [
            { from: "human", value: "hi" },
            { from: "gpt", value: "yo" },
          ],
        },
        { conversations: [{ from: "human", value: 5 }] },
      ],
      null,
      2,
    );
    expect(await failure(share)).toMatchObject({ line: lineOf(share, '"value": 5'), field: "value" });
  });

  it("a ShareGPT speaker Assay does not know", async () => {
    const share = JSON.stringify(
      [
        {
          conversations: [
            { from: "human", value: "hi" },
            { from: "robot", value: "yo" },
          ],
        },
      ],
      null,
      2,
    );
    const e = await failure(share);
    expect(e).toMatchObject({ line: lineOf(share, '"from": "robot"'), field: "from" });
  });
});

describe("options", () => {
  it("an unknown format and a bad limit", async () => {
    await expect(readTraceFromString("x", { format: "parquet" as TraceFormat })).rejects.toThrow(/"parquet" is not a trace format/);
    await expect(readTraceFromString("x", { limit: -1 })).rejects.toThrow(TraceFormatError);
  });

  it("the given format wins over the content (a varcas trace read as results names the missing array)", async () => {
    const e = await failure(varcas([request(0)]), { format: "varcas-results" });
    expect(e).toMatchObject({ field: "records" });
  });
});
