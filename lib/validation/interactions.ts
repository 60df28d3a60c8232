// The interaction explorer's query: filters, paging and export format, shared by GET /api/v1/experiments/{key}/interactions,
// its export, and the explorer page (whose filter form writes the same names to the URL).
import { z } from "zod";
import { METRIC_VALUE_LIMIT } from "./experiments";
import { name, text } from "./text";

/** Rows on a page unless `limit` says otherwise, and the most one page may hold. */
export const EXPLORER_PAGE_SIZE = 50;
export const EXPLORER_MAX_PAGE_SIZE = 500;
/** Rows an export reads from the database at a time (one keyset page). */
export const EXPORT_CHUNK_SIZE = 1_000;
/** Most variant keys one filter may list. */
export const MAX_VARIANT_FILTERS = 50;

export const SAFETY_FILTERS = ["flagged", "clean", "any"] as const;
export const STATUS_FILTERS = ["ok", "failed"] as const;
export const EXPORT_FORMATS = ["jsonl", "csv"] as const;

/** A query parameter that may appear once (a repeated one arrives as a list, see queryObject), then checked by `schema`. */
const once = <T extends z.ZodType<unknown, string>>(field: string, schema: T, required = "") =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `${field} is required${required}` : `${field} must be given once`) })
    .pipe(schema);

/** A number typed into a query string ("4", "-1.5"): finite and within ±METRIC_VALUE_LIMIT. */
const queryNumber = (field: string) =>
  once(
    field,
    z
      .string()
      .trim()
      .regex(/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/, `${field} must be a number, e.g. 3 or 4.5`)
      .transform(Number)
      .refine((v) => Math.abs(v) <= METRIC_VALUE_LIMIT, `${field} must be between -1e12 and 1e12`),
  );

/** A moment as ISO 8601 (2026-12-02T10:00, seconds and an offset optional): without an offset it is UTC, as Assay shows times. */
const moment = (field: string) =>
  once(
    field,
    z
      .string()
      .trim()
      .pipe(
        z.iso.datetime({
          offset: true,
          local: true,
          error: `${field} must be a date and time such as 2026-12-02T10:00 (UTC) or 2026-12-02T10:00:00+01:00`,
        }),
      )
      .transform((v) => new Date(/(Z|[+-]\d{2}:?\d{2})$/i.test(v) ? v : `${v}Z`))
      .refine((d) => !Number.isNaN(d.getTime()), `${field} is not a real date and time`),
  );

const filterFields = {
  variant: z
    .array(name("variant", 100).min(1, "variant must not be empty"), { error: "variant must be a variant key, e.g. B" })
    .max(MAX_VARIANT_FILTERS, `variant may be given at most ${MAX_VARIANT_FILTERS} times`)
    .describe("A variant key; repeat the parameter for several (variant=A&variant=B).")
    .optional(),
  from: moment("from").describe("The earliest timestamp shown, ISO 8601 (UTC without an offset).").optional(),
  to: moment("to").describe("The timestamp shown interactions are before (not included), ISO 8601.").optional(),
  safety: once("safety", z.enum(SAFETY_FILTERS, { error: `safety must be one of ${SAFETY_FILTERS.join(", ")}` }))
    .describe("flagged, clean (not flagged, or not reported) or any.")
    .optional(),
  feedbackMin: queryNumber("feedbackMin").describe("The lowest user feedback score shown.").optional(),
  feedbackMax: queryNumber("feedbackMax").describe("The highest user feedback score shown.").optional(),
  score: once("score", name("score", 100).min(1, "score must name a judge criterion, e.g. helpfulness"))
    .describe("A judge criterion (helpfulness): only interactions with a score for it, read from the newest rubric version.")
    .optional(),
  scoreMin: queryNumber("scoreMin").describe("The lowest score for `score` shown.").optional(),
  scoreMax: queryNumber("scoreMax").describe("The highest score for `score` shown.").optional(),
  q: once("q", text("q", 200)).describe("Text in the user input or the model output, any case, taken literally.").optional(),
  status: once("status", z.enum(STATUS_FILTERS, { error: `status must be one of ${STATUS_FILTERS.join(", ")}` }))
    .describe("ok (answered) or failed (the model call returned an error).")
    .optional(),
};

type FilterShape = { [K in keyof typeof filterFields]: z.infer<(typeof filterFields)[K]> };

/** Ranges must run from low to high, and a score range needs the criterion it ranges over. */
function checkRanges(f: Partial<FilterShape>, ctx: z.RefinementCtx): void {
  if (f.from && f.to && f.from.getTime() >= f.to.getTime())
    ctx.addIssue({ code: "custom", path: ["to"], message: "to must be later than from" });
  if (f.feedbackMin !== undefined && f.feedbackMax !== undefined && f.feedbackMin > f.feedbackMax)
    ctx.addIssue({ code: "custom", path: ["feedbackMax"], message: "feedbackMax must not be below feedbackMin" });
  if (f.scoreMin !== undefined && f.scoreMax !== undefined && f.scoreMin > f.scoreMax)
    ctx.addIssue({ code: "custom", path: ["scoreMax"], message: "scoreMax must not be below scoreMin" });
  if ((f.scoreMin !== undefined || f.scoreMax !== undefined) && !f.score)
    ctx.addIssue({ code: "custom", path: ["score"], message: "score must name the judge criterion that scoreMin and scoreMax range over" });
}

const cursor = once(
  "cursor",
  z
    .string()
    .max(500, "cursor is not one this API gave out; leave it out to start from the newest")
    .regex(/^[A-Za-z0-9_-]+$/, "cursor is not one this API gave out; leave it out to start from the newest"),
);

const limit = once(
  "limit",
  z
    .string()
    .regex(/^\d{1,6}$/, `limit must be a whole number from 1 to ${EXPLORER_MAX_PAGE_SIZE}`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= EXPLORER_MAX_PAGE_SIZE, `limit must be a whole number from 1 to ${EXPLORER_MAX_PAGE_SIZE}`),
);

/** The filters alone: which interactions of an experiment to show or export. */
export const interactionFilterSchema = z.strictObject(filterFields).superRefine(checkRanges);
export type InteractionFilter = z.infer<typeof interactionFilterSchema>;

/** GET /api/v1/experiments/{key}/interactions: the filters, an opaque cursor from a previous page, and the page size. */
export const listInteractionsQuerySchema = z
  .strictObject({
    ...filterFields,
    cursor: cursor.describe("nextCursor or prevCursor of a previous page.").optional(),
    limit: limit.describe(`Rows a page holds: ${EXPLORER_PAGE_SIZE} unless given, at most ${EXPLORER_MAX_PAGE_SIZE}.`).optional(),
  })
  .superRefine(checkRanges);
export type ListInteractionsQuery = z.infer<typeof listInteractionsQuerySchema>;

/** GET /api/v1/experiments/{key}/interactions/export: the filters and the file format. */
export const exportInteractionsQuerySchema = z
  .strictObject({
    ...filterFields,
    format: once(
      "format",
      z.enum(EXPORT_FORMATS, { error: `format must be one of ${EXPORT_FORMATS.join(", ")} (format=jsonl or format=csv)` }),
      `: the file's format, one of ${EXPORT_FORMATS.join(", ")} (format=jsonl or format=csv)`,
    ).describe("jsonl or csv."),
  })
  .superRefine(checkRanges);
export type ExportInteractionsQuery = z.infer<typeof exportInteractionsQuerySchema>;

/** The names a query may repeat; any other name given twice is refused by its schema (one value expected). */
const REPEATABLE = new Set(["variant"]);

/**
 * A query string as the schemas above take it: fields left empty (a filter form sends every field) are dropped, `variant`
 * is always a list, and any other name given more than once stays a list so its schema refuses it by name.
 */
export function queryObject(params: URLSearchParams | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const entries =
    params instanceof URLSearchParams
      ? [...params.entries()]
      : Object.entries(params).flatMap(([k, v]) => (v === undefined ? [] : [v].flat().map((x) => [k, x] as [string, string])));
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of entries) {
    if (value.trim() === "") continue;
    const seen = out[key];
    if (seen === undefined) out[key] = REPEATABLE.has(key) ? [value] : value;
    else out[key] = [seen, value].flat();
  }
  return out;
}
