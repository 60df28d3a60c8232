// lib/harness/traces: varcas's real files (../shared/fixtures/varcas, a 1163-request chat_medium run against vLLM) read
// and written back, a small good file of every other format, and the format detection. Expected values come from the
// files themselves, read here with JSON.parse.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { detectTraceFormat, readTrace, readTraceFromString, TRACE_FORMATS, writeVarcasTrace, type TraceFormat } from "@/lib/harness/traces";
import type { TraceRequest } from "@/lib/harness/types";

const root = path.resolve(__dirname, "../..");
const fixtures = path.resolve(root, "../shared/fixtures/varcas");
const promptsPath = path.join(fixtures, "prompts.json");
const baselinePath = path.join(fixtures, "baseline.json");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-traces-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

async function all(requests: AsyncIterable<TraceRequest>): Promise<TraceRequest[]> {
  const out: TraceRequest[] = [];
  for await (const r of requests) out.push(r);
  return out;
}

const varcasPrompts = JSON.parse(fs.readFileSync(promptsPath, "utf8"));
const varcasBaseline = JSON.parse(fs.readFileSync(baselinePath, "utf8"));

describe("varcas's own files", () => {
  it("prompts.json: every request, the first and last with the file's own values", async () => {
    const reading = await readTrace(promptsPath);
    expect(reading.format).toBe("varcas-trace");
    expect(reading.hasTimestamps).toBe(true);
    expect(reading.metadata).toEqual(varcasPrompts.metadata);
    const requests = await all(reading.requests);
    expect(requests).toHaveLength(varcasPrompts.prompts.length);
    expect(requests).toHaveLength(1163);
    for (const [request, raw] of [
      [requests[0], varcasPrompts.prompts[0]],
      [requests.at(-1)!, varcasPrompts.prompts.at(-1)],
    ]) {
      expect(request).toEqual({
        timestamp: raw.timestamp,
        prompt: raw.prompt,
        maxTokens: raw.max_tokens,
        workloadType: raw.workload_type,
        inputTokens: raw.input_tokens,
        outputTokens: raw.output_tokens,
      });
    }
  });

  it("limit caps the requests yielded", async () => {
    const reading = await readTrace(promptsPath, { limit: 5 });
    const requests = await all(reading.requests);
    expect(requests.map((r) => r.prompt)).toEqual(varcasPrompts.prompts.slice(0, 5).map((p: { prompt: string }) => p.prompt));
  });

  it("baseline.json replays as varcas does: the same requests as the trace varcas saved from that run", async () => {
    const reading = await readTrace(baselinePath);
    expect(reading.format).toBe("varcas-results");
    expect(reading.metadata).toEqual({ ...varcasBaseline, records: undefined });
    expect(reading.metadata.metrics).toEqual(varcasBaseline.metrics);
    const requests = await all(reading.requests);
    const records = varcasBaseline.records;
    expect(requests).toHaveLength(records.length);
    const t0 = records[0].timestamp_sent;
    expect(requests.at(-1)).toEqual({
      timestamp: records.at(-1).timestamp_sent - t0,
      prompt: records.at(-1).prompt_text,
      maxTokens: 150, // it generated 0 tokens: varcas's trace of the run asks for 150 there
      workloadType: records.at(-1).workload_name,
      inputTokens: records.at(-1).input_tokens,
      outputTokens: 0,
    });
    // varcas saved prompts.json from this very run: replaying the results file gives exactly its requests.
    expect(requests).toEqual(await all((await readTrace(promptsPath)).requests));
    expect(reading.notes.join(" ")).toMatch(/17 records generated no tokens/);
  });

  it("a failed record is replayed with its prompt", async () => {
    const results = {
      ...varcasBaseline,
      records: [
        varcasBaseline.records[0],
        { ...varcasBaseline.records[1], output_tokens: 0, output_text: "", error: "HTTP 503", timestamp_first_token: null },
      ],
    };
    const reading = await readTraceFromString(JSON.stringify(results, null, 2));
    const requests = await all(reading.requests);
    expect(requests).toHaveLength(2);
    expect(requests[1].prompt).toBe(varcasBaseline.records[1].prompt_text);
    expect(reading.notes.join(" ")).toMatch(/1 records had failed/);
  });

  it("prompts.json read and written back is the same file, byte for byte", async () => {
    const reading = await readTrace(promptsPath);
    const target = path.join(dir, "roundtrip.json");
    const { count } = await writeVarcasTrace(target, reading.requests, reading.metadata);
    expect(count).toBe(1163);
    const written = fs.readFileSync(target, "utf8");
    expect(JSON.parse(written)).toEqual(varcasPrompts);
    expect(written).toBe(fs.readFileSync(promptsPath, "utf8"));
    expect(fs.readdirSync(dir).filter((f) => f.includes(".tmp"))).toEqual([]);
  });

  it("the writer fills varcas's metadata and writes Python's floats and ASCII escapes", async () => {
    const target = path.join(dir, "written.json");
    const requests: TraceRequest[] = [
      { timestamp: 0, prompt: "Grüße \u{1F600}", maxTokens: 10, workloadType: "chat", inputTokens: null, outputTokens: null },
      { timestamp: 0.00001, prompt: null, maxTokens: 5, workloadType: "trace", inputTokens: 7, outputTokens: 5 },
    ];
    await writeVarcasTrace(
      target,
      requests,
      { profile: "chat_medium", exported_at: "2026-02-09T05:55:32.732795" },
      {
        promptFor: (r, i) => `synthetic ${i} of ${r.inputTokens}`,
      },
    );
    const text = fs.readFileSync(target, "utf8");
    expect(text).toContain('"timestamp": 0.0,');
    expect(text).toContain('"timestamp": 1e-05,');
    expect(text).toContain('"prompt": "Gr\\u00fc\\u00dfe \\ud83d\\ude00"');
    const parsed = JSON.parse(text);
    expect(parsed.metadata).toEqual({
      source: "varcas_load_harness",
      total_requests: 2,
      profile: "chat_medium",
      exported_at: "2026-02-09T05:55:32.732795",
    });
    expect(parsed.prompts[0]).toEqual({
      timestamp: 0,
      prompt: "Grüße \u{1F600}",
      max_tokens: 10,
      workload_type: "chat",
      input_tokens: 2, // 8 UTF-16 code units / 4
      output_tokens: 10,
    });
    expect(parsed.prompts[1].prompt).toBe("synthetic 1 of 7");
    const back = await all((await readTrace(target)).requests);
    expect(back[1]).toEqual({ ...requests[1], prompt: "synthetic 1 of 7" });
  });

  it("the writer refuses a length-only request without promptFor, and leaves no file", async () => {
    const target = path.join(dir, "refused.json");
    const request: TraceRequest = { timestamp: 0, prompt: null, maxTokens: 5, workloadType: "trace", inputTokens: 7, outputTokens: 5 };
    await expect(writeVarcasTrace(target, [request], {})).rejects.toThrow(/pass promptFor/);
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith("refused"))).toEqual([]);
  });
});

describe("the other formats", () => {
  it("Azure: datetimes with 7 fractional digits become seconds from the first; lengths only", async () => {
    const file = write(
      "AzureLLMInferenceTrace_conv.csv",
      "TIMESTAMP,ContextTokens,GeneratedTokens\n" +
        "2023-11-16 18:15:46.6805900,374,44\n" +
        "2023-11-16 18:15:50.9951690,396,109\n" +
        "2023-11-16 18:16:00.0000001,879,0\n",
    );
    const reading = await readTrace(file);
    expect(reading.format).toBe("azure");
    const requests = await all(reading.requests);
    expect(requests[0].timestamp).toBe(0);
    expect(requests[1].timestamp).toBeCloseTo(4.314579, 9);
    expect(requests[2].timestamp).toBeCloseTo(13.3194101, 9);
    expect(requests[0]).toEqual({ timestamp: 0, prompt: null, maxTokens: 44, workloadType: "trace", inputTokens: 374, outputTokens: 44 });
    expect(requests[2].maxTokens).toBe(1); // generated 0: still asks for one token
    expect(reading.notes.join(" ")).toMatch(/1 requests generated no tokens/);
  });

  it("BurstGPT: seconds, request and response tokens, the log type as the workload", async () => {
    const file = write(
      "BurstGPT_1.csv",
      "Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n" +
        "5,ChatGPT,472,18,490,Conversation log\n" +
        "45,ChatGPT,1087,136,1223,Conversation log\n" +
        "118,GPT-4,417,0,417,API log\n",
    );
    const reading = await readTrace(file);
    expect(reading.format).toBe("burstgpt");
    const requests = await all(reading.requests);
    expect(requests.map((r) => r.timestamp)).toEqual([0, 40, 113]);
    expect(requests[0]).toEqual({
      timestamp: 0,
      prompt: null,
      maxTokens: 18,
      workloadType: "Conversation log",
      inputTokens: 472,
      outputTokens: 18,
    });
    expect(requests[2]).toMatchObject({ workloadType: "API log", maxTokens: 1, outputTokens: 0 });
  });

  it("Mooncake: timestamps in ms, input and output lengths", async () => {
    const file = write(
      "mooncake_trace.jsonl",
      [
        { timestamp: 27482, input_length: 6955, output_length: 52, hash_ids: [46, 47, 48] },
        { timestamp: 30535, input_length: 6472, output_length: 26, hash_ids: [46, 47, 49] },
        { timestamp: 30535, input_length: 6000, output_length: 1, hash_ids: [] },
      ]
        .map((l) => JSON.stringify(l))
        .join("\n") + "\n",
    );
    const reading = await readTrace(file);
    expect(reading.format).toBe("mooncake");
    const requests = await all(reading.requests);
    expect(requests.map((r) => r.timestamp)).toEqual([0, 3.053, 3.053]);
    expect(requests[0]).toEqual({ timestamp: 0, prompt: null, maxTokens: 52, workloadType: "trace", inputTokens: 6955, outputTokens: 52 });
  });

  it("ShareGPT: the turns up to the first human one, max_tokens from the first answer; no send times", async () => {
    const conversations = [
      {
        id: "a",
        conversations: [
          { from: "system", value: "Be brief." },
          { from: "human", value: "What is a trace?" },
          { from: "gpt", value: "A list of requests." }, // 19 characters: 5 tokens
          { from: "human", value: "And a replay?" },
        ],
      },
      { id: "b", conversations: [{ from: "gpt", value: "Hello!" }] },
      { id: "c", conversations: [] },
      { id: "d", conversations: [{ from: "human", value: "Unanswered" }] },
      {
        id: "e",
        conversations: [
          { from: "human", value: "Hi" },
          { from: "gpt", value: "" },
        ],
      },
    ];
    const file = write("sharegpt.json", JSON.stringify(conversations, null, 2));
    const reading = await readTrace(file);
    expect(reading.format).toBe("sharegpt");
    expect(reading.hasTimestamps).toBe(false);
    const requests = await all(reading.requests);
    expect(requests).toEqual([
      {
        timestamp: 0,
        prompt: "What is a trace?",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "What is a trace?" },
        ],
        maxTokens: 5,
        workloadType: "trace",
        inputTokens: null,
        outputTokens: null,
      },
      {
        timestamp: 0,
        prompt: "Hi",
        messages: [{ role: "user", content: "Hi" }],
        maxTokens: 1,
        workloadType: "trace",
        inputTokens: null,
        outputTokens: null,
      },
    ]);
    expect(reading.notes).toEqual([
      "2 conversations had no human turn; they are left out.",
      "1 conversations had no answer after their first human turn (no length to ask for); they are left out.",
    ]);
  });

  it("CSV: timestamp, prompt (quoted, with newlines), max_tokens and the optional columns", async () => {
    const file = write(
      "trace.csv",
      "timestamp,prompt,max_tokens,workload_type,input_tokens\n" +
        '1.5,"User: Hello, there.\nAssistant:",64,chat,7\n' +
        '2.25,"Say ""hi""",16,,\n',
    );
    const reading = await readTrace(file);
    expect(reading.format).toBe("csv");
    const requests = await all(reading.requests);
    expect(requests).toEqual([
      { timestamp: 0, prompt: "User: Hello, there.\nAssistant:", maxTokens: 64, workloadType: "chat", inputTokens: 7, outputTokens: null },
      { timestamp: 0.75, prompt: 'Say "hi"', maxTokens: 16, workloadType: "trace", inputTokens: null, outputTokens: null },
    ]);
  });

  it("JSONL: timestamp, prompt, max_tokens per line; blank lines skipped", async () => {
    const text =
      JSON.stringify({ timestamp: 10, prompt: "one", max_tokens: 8, workload_type: "rag", input_tokens: 1, output_tokens: 8 }) +
      "\n\n" +
      JSON.stringify({ timestamp: 12.5, prompt: "two", max_tokens: 4 }) +
      "\n";
    const reading = await readTraceFromString(text, { name: "trace.jsonl" });
    expect(reading.format).toBe("jsonl");
    const requests = await all(reading.requests);
    expect(requests).toEqual([
      { timestamp: 0, prompt: "one", maxTokens: 8, workloadType: "rag", inputTokens: 1, outputTokens: 8 },
      { timestamp: 2.5, prompt: "two", maxTokens: 4, workloadType: "trace", inputTokens: null, outputTokens: null },
    ]);
  });

  it("a byte order mark before JSON or JSON Lines", async () => {
    const trace = "\uFEFF" + JSON.stringify({ metadata: {}, prompts: varcasPrompts.prompts.slice(0, 2) }, null, 2);
    expect(await all((await readTraceFromString(trace)).requests)).toHaveLength(2);
    const lines = '\uFEFF{"timestamp": 0, "prompt": "a", "max_tokens": 1}\n';
    expect(await all((await readTraceFromString(lines)).requests)).toHaveLength(1);
  });

  it("a varcas trace as one compact line, and the format given instead of detected", async () => {
    const compact = JSON.stringify({ metadata: { source: "x" }, prompts: varcasPrompts.prompts.slice(0, 3) });
    const reading = await readTraceFromString(compact, { format: "varcas-trace" });
    expect((await all(reading.requests)).map((r) => r.maxTokens)).toEqual([129, 62, 223]);
    expect(detectTraceFormat(compact)).toBe("varcas-trace");
  });
});

describe("detectTraceFormat", () => {
  const head = (file: string) => fs.readFileSync(file, "utf8").slice(0, 64 * 1024);
  const cases: [string, TraceFormat][] = [
    [head(promptsPath), "varcas-trace"],
    [head(baselinePath), "varcas-results"],
    ['{"metadata": {}, "requests": [\n', "varcas-trace"],
    ["TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,374,44\n", "azure"],
    ["Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n5,ChatGPT,472,18,490,Conversation log\n", "burstgpt"],
    ['{"timestamp": 0, "input_length": 6955, "output_length": 52, "hash_ids": [46]}\n{"timestamp": 1', "mooncake"],
    ['[\n  {\n    "id": "x",\n    "conversations": [\n      {"from": "human", "value": "hi', "sharegpt"],
    ["\uFEFFtimestamp,prompt,max_tokens\n0,hello,5\n", "csv"],
    ['{"timestamp": 0, "prompt": "hi", "max_tokens": 5}\n', "jsonl"],
  ];

  it.each(cases)("%#: %s...", (text, format) => {
    expect(detectTraceFormat(text)).toBe(format);
  });

  it("covers every format", () => {
    expect(new Set(cases.map(([, f]) => f))).toEqual(new Set(TRACE_FORMATS));
  });

  it("a header missing a column still picks its format, so the reader can name the column", () => {
    expect(detectTraceFormat("TIMESTAMP,ContextTokens\n")).toBe("azure");
    expect(detectTraceFormat("timestamp,prompt\n")).toBe("csv");
  });

  it("throws a TraceFormatError saying what Assay reads when nothing fits", () => {
    expect(() => detectTraceFormat("a,b,c\n1,2,3\n", "data.csv")).toThrow(/"data.csv" is not a trace Assay knows.*ContextTokens/);
    expect(() => detectTraceFormat('{"hello": 1}')).toThrow(expect.objectContaining({ name: "TraceFormatError", line: 1 }));
    expect(() => detectTraceFormat("[1, 2]")).toThrow(/no "conversations"/);
    expect(() => detectTraceFormat("  \n ")).toThrow(/empty/);
  });
});
