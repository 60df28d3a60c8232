// The interaction explorer's API against the running app and a real database: every filter returns exactly the rows it
// should, cursors visit every row once in order (ties on the timestamp included) both ways, bad queries get a 400 naming
// the field, one interaction comes whole with its judge scores, and the JSONL and CSV exports hold exactly the filtered
// rows (parsed back), with spreadsheet formulas neutralised.
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { EXPORT_FIELDS } from "@/lib/interactions/exportFormat";
import { api } from "../support/http";
import { demoCredentials } from "../support/roles";
import { minimalExperimentBody } from "../support/experiments";
import { insertInteractions, insertJudgeScore, insertRubric, sql, type InteractionRow } from "../support/interactionRows";

const run = Date.now().toString(36);
const KEY = `ix-${run}`;
const BIG = `ix-${run}-big`;
let creds: Awaited<ReturnType<typeof demoCredentials>>;

const BASE = Date.UTC(2026, 10, 20, 10, 0, 0);
const HOUR = 3_600_000;

/** Forty interactions: eight share each of five timestamps, and each has something a filter picks it by. */
function fixture(): InteractionRow[] {
  const special: Record<number, Partial<InteractionRow>> = {
    7: { userInput: "a discount of 50% today" },
    8: { userInput: "a discount of 500 today" },
    9: { userInput: "the a_b code" },
    10: { userInput: "the axb code" },
    11: { userInput: '=HYPERLINK("http://evil.example","click")' },
    12: { userInput: "+1 555 0100" },
    13: { userInput: "-2 apples", userFeedbackScore: -1 },
    14: { userInput: "@SUM(A1:A2)", modelOutput: 'She said "hi",\nthen left' },
    15: { userInput: "long question ".repeat(100), modelOutput: "long answer ".repeat(100) },
    16: { modelOutput: "Contains a NEEDLE here" },
  };
  return Array.from({ length: 40 }, (_, n) => ({
    id: `${run}i${String(n).padStart(3, "0")}`,
    requestId: `req-${n}`,
    variant: n % 3 === 0 ? "B" : "A",
    userId: `user-${n % 7}`,
    timestamp: new Date(BASE + Math.floor(n / 8) * HOUR).toISOString(),
    modelName: "llama-4-scout",
    systemPromptVersion: n % 3 === 0 ? "support-v2" : "support-v1",
    latencyMs: 500 + n,
    ttftMs: 40 + n,
    promptTokens: 20 + n,
    completionTokens: 100 + n,
    cost: Number((n * 0.0001).toFixed(4)),
    userInput: `question ${n}`,
    modelOutput: `answer ${n}`,
    safetyFlag: n % 5 === 0 ? true : n % 5 === 1 ? null : false,
    userFeedbackScore: n % 4 === 3 ? null : (n % 5) + 1,
    goalCompleted: n % 2 === 0,
    customMetrics: { resolved: n % 2 },
    source: "API",
    error: n % 10 === 9 ? "upstream timed out" : null,
    ...special[n],
  }));
}
const rows = fixture();
const byN = (n: number) => rows[n];

/** The explorer's order: newest first, ties by id, highest first. */
const ordered = (list: InteractionRow[]) =>
  [...list].sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
const idsWhere = (keep: (r: InteractionRow, n: number) => boolean) =>
  ordered(rows.filter((r) => keep(r, rows.indexOf(r)))).map((r) => r.id);

const list = (query: string, key = KEY) => api(`/api/v1/experiments/${key}/interactions?${query}`, { key: creds.REVIEWER.key });

/** Every id the query matches, walking the pages by nextCursor. */
async function allIds(query: string, key = KEY): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const res = await list(`${query}&limit=500${cursor ? `&cursor=${cursor}` : ""}`, key);
    expect(res.status, res.text).toBe(200);
    ids.push(...res.json.interactions.map((i: { id: string }) => i.id));
    cursor = res.json.nextCursor;
    if (!cursor) return ids;
  }
  throw new Error("more than 1000 pages");
}

beforeAll(async () => {
  creds = await demoCredentials();
  for (const key of [KEY, BIG]) {
    const created = await api("/api/v1/experiments", { key: inject("apiKey"), body: minimalExperimentBody(key) });
    expect(created.status, created.text).toBe(201);
  }
  await insertInteractions(KEY, rows);
  // Rubric v1 scored 20-29 helpfulness 2; v2 re-scored 20-24 as 5 (the newest counts) and scored 30-31 on clarity only;
  // 32's helpfulness is not a number.
  const v1 = await insertRubric(`ix-${run}`, 1);
  const v2 = await insertRubric(`ix-${run}`, 2);
  for (let n = 20; n < 30; n++) await insertJudgeScore(byN(n).id, v1, { helpfulness: 2, clarity: 3 }, `v1 reasoning for ${n}`);
  for (let n = 20; n < 25; n++) await insertJudgeScore(byN(n).id, v2, { helpfulness: 5, clarity: 5 }, `v2 reasoning for ${n}`);
  for (const n of [30, 31]) await insertJudgeScore(byN(n).id, v2, { clarity: 4 }, null);
  await insertJudgeScore(byN(32).id, v2, { helpfulness: "good" }, null);
  // 2,345 rows, three to a second, for the export's chunks and the page size bounds.
  await sql(
    `INSERT INTO "Interaction" (id, "requestId", "experimentId", "variantId", "userId", "timestamp", "userInput", source)
     SELECT $2::text || 'b' || lpad(g::text, 5, '0'), 'big-' || g, e.id, v.id, 'user-' || (g % 11),
       timestamp '2026-11-01 00:00:00' + (g / 3) * interval '1 second', 'row ' || g, 'UPLOAD'
     FROM generate_series(1, 2345) AS g
     JOIN "Experiment" e ON e.key = $1 JOIN "Variant" v ON v."experimentId" = e.id AND v.key = 'A'`,
    [BIG, run],
  );
});

describe("filters return exactly the rows they should", () => {
  const cases: [string, string, (r: InteractionRow, n: number) => boolean][] = [
    ["no filter", "", () => true],
    ["variant=A", "variant=A", (r) => r.variant === "A"],
    ["variant=B", "variant=B", (r) => r.variant === "B"],
    ["variant=A&variant=B", "variant=A&variant=B", () => true],
    [
      "from (inclusive) and to (exclusive)",
      `from=${new Date(BASE + HOUR).toISOString()}&to=${new Date(BASE + 3 * HOUR).toISOString()}`,
      (_r, n) => n >= 8 && n < 24,
    ],
    ["from without seconds or offset is UTC", "from=2026-11-20T14:00", (_r, n) => n >= 32],
    ["from with an offset", `from=${encodeURIComponent("2026-11-20T15:00:00+01:00")}`, (_r, n) => n >= 32],
    ["safety=flagged", "safety=flagged", (r) => r.safetyFlag === true],
    ["safety=clean: not flagged, or not reported", "safety=clean", (r) => r.safetyFlag !== true],
    ["safety=any", "safety=any", () => true],
    ["feedbackMin=4", "feedbackMin=4", (r) => r.userFeedbackScore != null && r.userFeedbackScore >= 4],
    ["feedbackMax=1", "feedbackMax=1", (r) => r.userFeedbackScore != null && r.userFeedbackScore <= 1],
    [
      "feedbackMin=2&feedbackMax=3",
      "feedbackMin=2&feedbackMax=3",
      (r) => r.userFeedbackScore != null && r.userFeedbackScore >= 2 && r.userFeedbackScore <= 3,
    ],
    ["score=helpfulness: scored on it with a number", "score=helpfulness", (_r, n) => n >= 20 && n < 30],
    ["score=helpfulness&scoreMin=4: the newest score counts", "score=helpfulness&scoreMin=4", (_r, n) => n >= 20 && n < 25],
    ["score=helpfulness&scoreMax=3", "score=helpfulness&scoreMax=3", (_r, n) => n >= 25 && n < 30],
    ["score=clarity&scoreMin=4&scoreMax=4", "score=clarity&scoreMin=4&scoreMax=4", (_r, n) => n === 30 || n === 31],
    ["score=nothing-scored", "score=tone", () => false],
    ["q matches the user input", "q=question%201", (r) => (r.userInput ?? "").includes("question 1")],
    ["q matches the model output, any case", "q=needle", (_r, n) => n === 16],
    ["q=50% is literal (no wildcard)", "q=50%25", (_r, n) => n === 7],
    ["q=a_b is literal (no wildcard)", "q=a_b", (_r, n) => n === 9],
    ["q with a backslash matches nothing here", "q=%5C", () => false],
    ["status=failed", "status=failed", (r) => r.error !== null],
    ["status=ok", "status=ok", (r) => r.error === null],
    [
      "variant, safety, feedback and status together",
      "variant=A&safety=clean&feedbackMin=3&status=ok",
      (r) => r.variant === "A" && r.safetyFlag !== true && (r.userFeedbackScore ?? -99) >= 3 && r.error === null,
    ],
  ];
  it.each(cases)("%s", async (_name, query, keep) => {
    const expected = idsWhere(keep);
    expect(await allIds(query)).toEqual(expected);
  });

  it("a page's rows carry the fields, the variant key and previews of long texts", async () => {
    const res = await list("q=long%20question");
    expect(res.status, res.text).toBe(200);
    expect(res.json.interactions).toHaveLength(1);
    const [row] = res.json.interactions;
    expect(row).toMatchObject({
      id: byN(15).id,
      requestId: "req-15",
      variant: "B",
      userId: "user-1",
      modelName: "llama-4-scout",
      systemPromptVersion: "support-v2",
      latencyMs: 515,
      ttftMs: 55,
      promptTokens: 35,
      completionTokens: 115,
      costUsd: 0.0015,
      safetyFlag: true,
      userFeedbackScore: null,
      goalCompleted: false,
      metrics: { resolved: 1 },
      timestamp: "2026-11-20T11:00:00.000Z",
      source: "API",
      error: null,
      userInputTruncated: true,
      modelOutputTruncated: true,
    });
    expect(row.userInputPreview).toBe(byN(15).userInput!.slice(0, 300));
    expect(row.modelOutputPreview).toBe(byN(15).modelOutput!.slice(0, 300));
    expect(row).not.toHaveProperty("userInput");
    const short = (await list("q=question%2017")).json.interactions[0];
    expect(short).toMatchObject({
      userInputPreview: "question 17",
      modelOutputPreview: "answer 17",
      userInputTruncated: false,
      modelOutputTruncated: false,
    });
  });
});

describe("cursor paging", () => {
  it("visits every row exactly once, in order, across pages that split ties on the timestamp, and back again", async () => {
    const expected = idsWhere(() => true);
    const pages: string[][] = [];
    const cursors: (string | null)[] = [];
    let cursor: string | null = null;
    do {
      const res = await list(`limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status, res.text).toBe(200);
      pages.push(res.json.interactions.map((i: { id: string }) => i.id));
      cursors.push(res.json.prevCursor);
      cursor = res.json.nextCursor;
    } while (cursor);
    expect(pages).toHaveLength(Math.ceil(40 / 3));
    expect(pages.flat()).toEqual(expected);
    expect(new Set(pages.flat()).size).toBe(40);
    expect(cursors[0]).toBeNull();
    // Newer from the last page walks the same pages back to the first, whose prevCursor is null.
    const back: string[][] = [pages.at(-1)!];
    let prev = cursors.at(-1)!;
    while (prev) {
      const res = await list(`limit=3&cursor=${prev}`);
      expect(res.status, res.text).toBe(200);
      back.unshift(res.json.interactions.map((i: { id: string }) => i.id));
      expect(res.json.nextCursor).not.toBeNull();
      prev = res.json.prevCursor;
    }
    // Each newer page is the rows just before the page it was asked from: the same pages as on the way forward.
    expect(back).toEqual(pages);
  });

  it("pages the filtered set, and Older then Newer returns to the same page", async () => {
    const expected = idsWhere((r) => r.variant === "A" && r.safetyFlag !== true);
    const first = await list("variant=A&safety=clean&limit=4");
    const second = await list(`variant=A&safety=clean&limit=4&cursor=${first.json.nextCursor}`);
    expect(second.json.interactions.map((i: { id: string }) => i.id)).toEqual(expected.slice(4, 8));
    const third = await list(`variant=A&safety=clean&limit=4&cursor=${second.json.nextCursor}`);
    const backToSecond = await list(`variant=A&safety=clean&limit=4&cursor=${third.json.prevCursor}`);
    expect(backToSecond.json.interactions.map((i: { id: string }) => i.id)).toEqual(expected.slice(4, 8));
    const backToFirst = await list(`variant=A&safety=clean&limit=4&cursor=${backToSecond.json.prevCursor}`);
    expect(backToFirst.json.interactions.map((i: { id: string }) => i.id)).toEqual(expected.slice(0, 4));
    expect(backToFirst.json.prevCursor).toBeNull();
  });

  it("2,345 rows three to a second: 50 a page unless told, at most 500, each row once", async () => {
    const first = await list("", BIG);
    expect(first.json.interactions).toHaveLength(50);
    expect(first.json.prevCursor).toBeNull();
    const max = await list("limit=500", BIG);
    expect(max.json.interactions).toHaveLength(500);
    const ids = await allIds("", BIG);
    expect(ids).toHaveLength(2345);
    expect(new Set(ids).size).toBe(2345);
    const expected = Array.from({ length: 2345 }, (_, i) => 2345 - i).map((g) => `${run}b${String(g).padStart(5, "0")}`);
    expect(ids).toEqual(expected);
  });
});

describe("bad queries: 400 naming the field, or 404", () => {
  const bad: [string, string, string][] = [
    ["variant=Z", "variant", `"Z" is not a variant of ${KEY}; its variants are A, B`],
    ["from=yesterday", "from", "from must be a date and time such as 2026-12-02T10:00 (UTC)"],
    ["to=2026-13-45T10:00", "to", "to must be a date and time"],
    ["from=2026-11-21T00:00&to=2026-11-20T00:00", "to", "to must be later than from"],
    ["safety=maybe", "safety", "safety must be one of flagged, clean, any"],
    ["feedbackMin=high", "feedbackMin", "feedbackMin must be a number"],
    ["feedbackMin=4&feedbackMax=2", "feedbackMax", "feedbackMax must not be below feedbackMin"],
    ["feedbackMax=1e300", "feedbackMax", "feedbackMax must be between -1e12 and 1e12"],
    ["scoreMin=3", "score", "score must name the judge criterion that scoreMin and scoreMax range over"],
    ["score=helpfulness&scoreMin=x", "scoreMin", "scoreMin must be a number"],
    ["status=broken", "status", "status must be one of ok, failed"],
    ["limit=0", "limit", "limit must be a whole number from 1 to 500"],
    ["limit=501", "limit", "limit must be a whole number from 1 to 500"],
    ["limit=2.5", "limit", "limit must be a whole number from 1 to 500"],
    ["cursor=not!a!cursor", "cursor", "cursor is not one this API gave out"],
    [`cursor=${Buffer.from('["2026","x","o"]').toString("base64url")}`, "cursor", "cursor is not one this API gave out"],
    [`cursor=${Buffer.from("{}").toString("base64url")}`, "cursor", "cursor is not one this API gave out"],
    ["q=a&q=b", "q", "q must be given once"],
    [`q=${"x".repeat(201)}`, "q", "q must be at most 200 characters"],
    ["varient=A", "varient", 'unknown field "varient"'],
  ];
  it.each(bad)("%s", async (query, field, message) => {
    const res = await list(query);
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.code).toBe("VALIDATION");
    expect(res.json.error.details.issues[0].field).toBe(field);
    expect(res.json.error.message).toContain(field);
    expect(res.json.error.details.issues[0].message).toContain(message);
  });

  it("the export needs a format, and takes only jsonl or csv", async () => {
    for (const [query, message] of [
      ["", "format is required: the file's format, one of jsonl, csv"],
      ["format=xml", "format must be one of jsonl, csv"],
      ["format=csv&format=jsonl", "format must be given once"],
    ]) {
      const res = await api(`/api/v1/experiments/${KEY}/interactions/export?${query}`, { key: creds.REVIEWER.key });
      expect(res.status, res.text).toBe(400);
      expect(res.json.error.details.issues[0]).toMatchObject({ field: "format" });
      expect(res.json.error.message).toContain(message);
    }
    const badFilter = await api(`/api/v1/experiments/${KEY}/interactions/export?format=csv&variant=Q`, { key: creds.REVIEWER.key });
    expect(badFilter.status).toBe(400);
    expect(badFilter.json.error.details.issues[0].field).toBe("variant");
  });

  it("an unknown experiment or request id is 404 saying which", async () => {
    const noExperiment = await list("", "no-such-experiment");
    expect(noExperiment.status).toBe(404);
    expect(noExperiment.json.error.message).toContain('"no-such-experiment"');
    const noRequest = await api(`/api/v1/experiments/${KEY}/interactions/req-999`, { key: creds.REVIEWER.key });
    expect(noRequest.status).toBe(404);
    expect(noRequest.json.error.message).toContain('"req-999"');
    const noExport = await api(`/api/v1/experiments/no-such-experiment/interactions/export?format=csv`, { key: creds.REVIEWER.key });
    expect(noExport.status).toBe(404);
  });
});

describe("one interaction in full", () => {
  it("whole texts, the variant's name, and every judge score with its reasoning, newest rubric version first", async () => {
    const res = await api(`/api/v1/experiments/${KEY}/interactions/req-22`, { key: creds.ENGINEER.key });
    expect(res.status, res.text).toBe(200);
    expect(res.json.interaction).toMatchObject({
      id: byN(22).id,
      requestId: "req-22",
      variant: "A",
      variantName: "Generic",
      userInput: "question 22",
      modelOutput: "answer 22",
      timestamp: "2026-11-20T12:00:00.000Z",
      metrics: { resolved: 0 },
      judgeScores: [
        { rubric: `ix-${run}`, rubricVersion: 2, scores: { helpfulness: 5, clarity: 5 }, reasoning: "v2 reasoning for 22" },
        { rubric: `ix-${run}`, rubricVersion: 1, scores: { helpfulness: 2, clarity: 3 }, reasoning: "v1 reasoning for 22" },
      ],
    });
    const long = await api(`/api/v1/experiments/${KEY}/interactions/req-15`, { key: creds.ENGINEER.key });
    expect(long.json.interaction.userInput).toBe(byN(15).userInput);
    expect(long.json.interaction.modelOutput).toBe(byN(15).modelOutput);
    expect(long.json.interaction.judgeScores).toEqual([]);
  });
});

/** The export record the fixture row should become. */
function exported(r: InteractionRow) {
  return {
    request_id: r.requestId,
    user_id: r.userId,
    variant_id: r.variant,
    model_name: r.modelName,
    system_prompt_version: r.systemPromptVersion,
    latency_ms: r.latencyMs,
    ttft_ms: r.ttftMs,
    prompt_tokens: r.promptTokens,
    completion_tokens: r.completionTokens,
    cost_usd: r.cost,
    user_input: r.userInput,
    model_output: r.modelOutput,
    safety_flag: r.safetyFlag,
    user_feedback_score: r.userFeedbackScore,
    goal_completed: r.goalCompleted,
    metrics: r.customMetrics,
    timestamp: r.timestamp,
    source: r.source,
    error: r.error,
    experiment_key: KEY,
  };
}

const exportOf = (query: string, key = KEY) => api(`/api/v1/experiments/${key}/interactions/export?${query}`, { key: creds.REVIEWER.key });

describe("export", () => {
  it("JSONL: one object per line, the filtered rows exactly, newest first, as a download", async () => {
    const res = await exportOf("format=jsonl&variant=A&status=ok");
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${KEY}-interactions.jsonl"`);
    expect(res.text.endsWith("\n")).toBe(true);
    const records = res.text
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    const expected = ordered(rows.filter((r) => r.variant === "A" && r.error === null)).map(exported);
    expect(records).toEqual(expected);
    expect(Object.keys(records[0])).toEqual([...EXPORT_FIELDS]);
  });

  it("CSV: RFC 4180 with a header row, parsed back it is the filtered rows", async () => {
    const res = await exportOf("format=csv&safety=flagged");
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${KEY}-interactions.csv"`);
    expect(res.text.split("\r\n")[0]).toBe(EXPORT_FIELDS.join(","));
    const parsed: Record<string, string>[] = parse(res.text, { columns: true, record_delimiter: "\r\n" });
    const text = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));
    const expected = ordered(rows.filter((r) => r.safetyFlag === true))
      .map(exported)
      .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, text(v)])));
    expect(parsed).toEqual(expected);
  });

  it("CSV cells that a spreadsheet would run as formulas start with ', numbers stay numbers, quotes and line breaks survive", async () => {
    const res = await exportOf("format=csv");
    const parsed: Record<string, string>[] = parse(res.text, { columns: true, record_delimiter: "\r\n" });
    const input = (requestId: string) => parsed.find((r) => r.request_id === requestId)!;
    expect(input("req-11").user_input).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(input("req-12").user_input).toBe("'+1 555 0100");
    expect(input("req-13").user_input).toBe("'-2 apples");
    expect(input("req-13").user_feedback_score).toBe("-1");
    expect(input("req-14").user_input).toBe("'@SUM(A1:A2)");
    expect(input("req-14").model_output).toBe('She said "hi",\nthen left');
    expect(res.text).toContain('"She said ""hi"",\nthen left"');
    // JSONL is data, not a spreadsheet: it keeps the text as it was.
    const jsonl = (await exportOf("format=jsonl&q=HYPERLINK")).text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(jsonl.map((r) => r.user_input)).toEqual([byN(11).userInput]);
  });

  it("walks past its 1,000-row chunks: 2,345 rows, each once, in order; an empty filter gives the header only", async () => {
    const expected = Array.from({ length: 2345 }, (_, i) => `big-${2345 - i}`);
    const jsonl = await exportOf("format=jsonl", BIG);
    expect(
      jsonl.text
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l).request_id),
    ).toEqual(expected);
    const csv = await exportOf("format=csv", BIG);
    const parsed: Record<string, string>[] = parse(csv.text, { columns: true });
    expect(parsed.map((r) => r.request_id)).toEqual(expected);
    expect(parsed[0]).toMatchObject({ variant_id: "A", source: "UPLOAD", user_input: "row 2345", experiment_key: BIG, safety_flag: "" });
    const none = await exportOf("format=csv&q=nothing-like-this");
    expect(none.text).toBe(`${EXPORT_FIELDS.join(",")}\r\n`);
    expect((await exportOf("format=jsonl&q=nothing-like-this")).text).toBe("");
  });
});
