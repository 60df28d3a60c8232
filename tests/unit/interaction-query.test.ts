import { describe, expect, it } from "vitest";
import { exportInteractionsQuerySchema, listInteractionsQuerySchema, queryObject } from "@/lib/validation/interactions";
import { fieldIssues } from "@/lib/validation/issues";

const parse = (qs: string) => listInteractionsQuerySchema.safeParse(queryObject(new URLSearchParams(qs)));
const firstIssue = (qs: string) => {
  const r = parse(qs);
  if (r.success) throw new Error(`${qs} was accepted`);
  return fieldIssues(r.error)[0];
};

describe("the explorer's query string", () => {
  it("drops the empty fields a filter form sends, keeps variant a list, and a repeated single name a list its schema refuses", () => {
    expect(queryObject(new URLSearchParams("variant=A&from=&q=%20&safety=any"))).toEqual({ variant: ["A"], safety: "any" });
    expect(queryObject(new URLSearchParams("variant=A&variant=B&q=x&q=y"))).toEqual({ variant: ["A", "B"], q: ["x", "y"] });
    expect(queryObject({ variant: "A", q: ["x"], from: undefined, to: "" })).toEqual({ variant: ["A"], q: "x" });
  });

  it("reads every filter, a time without an offset as UTC", () => {
    const r = parse(
      "variant=A&variant=B&from=2026-12-02T10:00&to=2026-12-02T12:30:00%2B01:00&safety=flagged&feedbackMin=-1&feedbackMax=4.5&score=helpfulness&scoreMin=3&scoreMax=5&q=50%25&status=failed&limit=20",
    );
    expect(r.success && r.data).toEqual({
      variant: ["A", "B"],
      from: new Date("2026-12-02T10:00:00.000Z"),
      to: new Date("2026-12-02T11:30:00.000Z"),
      safety: "flagged",
      feedbackMin: -1,
      feedbackMax: 4.5,
      score: "helpfulness",
      scoreMin: 3,
      scoreMax: 5,
      q: "50%",
      status: "failed",
      limit: 20,
    });
  });

  it.each([
    ["from=2026-12-02", "from", "from must be a date and time such as 2026-12-02T10:00 (UTC) or 2026-12-02T10:00:00+01:00"],
    ["to=2026-02-30T10:00", "to", "to must be a date and time such as 2026-12-02T10:00 (UTC) or 2026-12-02T10:00:00+01:00"],
    ["from=2026-12-02T10:00&to=2026-12-02T10:00", "to", "to must be later than from"],
    ["feedbackMin=1,5", "feedbackMin", "feedbackMin must be a number, e.g. 3 or 4.5"],
    ["feedbackMin=Infinity", "feedbackMin", "feedbackMin must be a number, e.g. 3 or 4.5"],
    ["scoreMin=5&scoreMax=1&score=x", "scoreMax", "scoreMax must not be below scoreMin"],
    ["scoreMax=1", "score", "score must name the judge criterion that scoreMin and scoreMax range over"],
    ["safety=yes", "safety", "safety must be one of flagged, clean, any"],
    ["status=ok&status=failed", "status", "status must be given once"],
    ["limit=1e3", "limit", "limit must be a whole number from 1 to 500"],
    ["cursor=a.b", "cursor", "cursor is not one this API gave out; leave it out to start from the newest"],
    [`q=${encodeURIComponent("a\u0000b")}`, "q", "q must not contain control characters; remove U+0000 at position 2"],
    ["format=csv", "format", 'unknown field "format"; remove it'],
  ])("%s is refused, naming %s", (qs, field, message) => {
    expect(firstIssue(qs)).toEqual({ field, message });
  });

  it("the export needs its format once, and no paging", () => {
    const ok = exportInteractionsQuerySchema.safeParse(queryObject(new URLSearchParams("format=jsonl&variant=B")));
    expect(ok.success && ok.data).toEqual({ format: "jsonl", variant: ["B"] });
    const missing = exportInteractionsQuerySchema.safeParse({});
    expect(!missing.success && fieldIssues(missing.error)).toEqual([
      { field: "format", message: "format is required: the file's format, one of jsonl, csv (format=jsonl or format=csv)" },
    ]);
    const paged = exportInteractionsQuerySchema.safeParse({ format: "csv", limit: "5" });
    expect(!paged.success && fieldIssues(paged.error)).toEqual([{ field: "limit", message: 'unknown field "limit"; remove it' }]);
  });
});
