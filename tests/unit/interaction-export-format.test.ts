import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvRows, EXPORT_FIELDS, jsonlLines, type ExportRecord } from "@/lib/interactions/exportFormat";

const record = (over: Partial<ExportRecord>): ExportRecord => ({
  ...(Object.fromEntries(EXPORT_FIELDS.map((f) => [f, null])) as ExportRecord),
  request_id: "r1",
  user_id: "u1",
  variant_id: "A",
  experiment_key: "support-persona",
  timestamp: "2026-12-02T10:00:00.000Z",
  source: "API",
  ...over,
});

describe("the export's CSV (RFC 4180) and JSONL", () => {
  it("writes the header once, CRLF line ends, and quotes only what needs it", () => {
    const text = csvRows([record({ user_input: 'a "quoted", text\non two lines', latency_ms: 512.5, safety_flag: false })], true);
    const [header, ...rest] = text.split("\r\n");
    expect(header).toBe(EXPORT_FIELDS.join(","));
    expect(rest.join("\r\n")).toBe(
      'r1,u1,A,,,512.5,,,,,"a ""quoted"", text\non two lines",,false,,,,2026-12-02T10:00:00.000Z,API,,support-persona\r\n',
    );
    expect(csvRows([record({})], false).startsWith("r1,")).toBe(true);
    expect(csvRows([], true)).toBe(`${EXPORT_FIELDS.join(",")}\r\n`);
  });

  it.each([
    ["=1+2", "'=1+2"],
    ['=HYPERLINK("http://evil.example")', `'=HYPERLINK("http://evil.example")`],
    ["+44 20 7946 0000", "'+44 20 7946 0000"],
    ["-cmd", "'-cmd"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tindented", "'\tindented"],
    ["＝1+2", "'＝1+2"],
    ["plain = text", "plain = text"],
  ])("a text cell %j reads %j in a spreadsheet", (input, cell) => {
    const [row] = parse(csvRows([record({ user_input: input, model_output: input, error: input })], true), { columns: true });
    expect(row).toMatchObject({ user_input: cell, model_output: cell, error: cell });
  });

  it("numbers stay numbers (a negative score is not text), metrics are JSON, true/false spelled out", () => {
    const [row] = parse(
      csvRows([record({ user_feedback_score: -1, cost_usd: 0.00042, goal_completed: true, metrics: { resolved: 1, turns: 3 } })], true),
      { columns: true },
    );
    expect(row).toMatchObject({
      user_feedback_score: "-1",
      cost_usd: "0.00042",
      goal_completed: "true",
      metrics: '{"resolved":1,"turns":3}',
    });
  });

  it("JSONL keeps every value as it is, one object per line", () => {
    const records = [record({ user_input: "=1+2\nsecond line", metrics: { resolved: 1 } }), record({ request_id: "r2" })];
    const text = jsonlLines(records);
    expect(text.split("\n")).toHaveLength(3);
    expect(
      text
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l)),
    ).toEqual(records);
  });
});
