import Link from "next/link";
import { notFound } from "next/navigation";
import { pageIdentity } from "@/lib/auth/guard";
import { AppError } from "@/lib/errors";
import { significant } from "@/lib/format/number";
import {
  countMatchingInteractions,
  getExplorerExperiment,
  getInteraction,
  listInteractionsOf,
  type InteractionDetail,
  type MatchCount,
  type InteractionPage,
} from "@/lib/interactions/explorer";
import { listInteractionsQuerySchema, queryObject } from "@/lib/validation/interactions";
import { fieldIssues, type FieldIssue } from "@/lib/validation/issues";
import { textProblem } from "@/lib/validation/text";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { EmptyState } from "@/components/ui/EmptyState";
import { buttonClass } from "@/components/ui/button";
import type { FieldErrors } from "@/components/ui/apiRequest";
import { InteractionFilters, type FilterValues } from "@/components/interactions/InteractionFilters";
import { InteractionTable } from "@/components/interactions/InteractionTable";
import { InteractionDrawer } from "@/components/interactions/InteractionDrawer";
import { formatFormDateTime } from "@/lib/format/dateTime";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ key: string }> }) {
  return { title: `Interactions ${(await params).key}` };
}

type Search = Record<string, string | string[] | undefined>;

/** The filter fields of the form, in the URL's names. */
const FILTER_NAMES = ["q", "safety", "status", "from", "to", "feedbackMin", "feedbackMax", "score", "scoreMin", "scoreMax"] as const;

const errorsOf = (issues: FieldIssue[]): FieldErrors => {
  const out: FieldErrors = {};
  for (const issue of issues) out[issue.field] ??= issue.message;
  return out;
};

/** A query string of the given names and values (empty ones left out), with a leading "?" when not empty. */
function queryString(values: Record<string, string | string[]>): string {
  const qs = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) for (const v of [value].flat()) qs.append(name, v);
  const text = qs.toString();
  return text ? `?${text}` : "";
}

/** A time from the URL as the form's date-and-time field shows it (UTC, to the minute); text that is no time stays as typed. */
function asFormTime(value: string | string[] | undefined): string {
  if (typeof value !== "string") return "";
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`;
  const d = new Date(withZone);
  return Number.isNaN(d.getTime()) ? value : formatFormDateTime(d);
}

/** What the count says: exact while the experiment has no more interactions than the count looks at, else of the newest. */
function countLine(count: MatchCount | null, filtered: boolean): string {
  if (!count) return "";
  if (!count.more)
    return filtered ? `of ${significant(count.matching)} matching these filters` : `of ${significant(count.examined)} in all`;
  return filtered
    ? `${significant(count.matching)} of the newest ${significant(count.examined)} match these filters`
    : `of more than ${significant(count.examined)} in all`;
}

export default async function InteractionsPage({
  params,
  searchParams,
}: {
  params: Promise<{ key: string }>;
  searchParams: Promise<Search>;
}) {
  const { key } = await params;
  const path = `/experiments/${encodeURIComponent(key)}/interactions`;
  const { identity, allowed } = await pageIdentity("interactions:read", path);
  if (!allowed) return <Forbidden role={identity.role} />;
  const experiment = await getExplorerExperiment(key).catch((err) => {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    throw err;
  });
  const { open, ...rest } = await searchParams;
  const raw = queryObject(rest);
  const { cursor, limit, ...filterOnly } = raw;
  const paging = { ...(limit ? { limit } : {}) };

  let errors: FieldErrors = {};
  let page: InteractionPage | null = null;
  let matching: MatchCount | null = null;
  const parsed = listInteractionsQuerySchema.safeParse(raw);
  if (!parsed.success) errors = errorsOf(fieldIssues(parsed.error));
  else {
    try {
      [page, matching] = await Promise.all([
        listInteractionsOf(experiment, parsed.data),
        countMatchingInteractions(experiment, parsed.data),
      ]);
    } catch (err) {
      if (!(err instanceof AppError && err.code === "VALIDATION")) throw err;
      errors = errorsOf((err.details as { issues: FieldIssue[] }).issues);
    }
  }
  const filtered = Object.keys(filterOnly).length > 0;

  // One interaction in full when the address names it (?open=<request id>), so a link to it can be shared.
  let detail: InteractionDetail | null = null;
  let missing: string | null = null;
  if (typeof open === "string" && open !== "") {
    if (open.length > 200 || textProblem(open, "name")) missing = open.slice(0, 80);
    else
      detail = await getInteraction(key, open).catch((err) => {
        if (err instanceof AppError && err.code === "NOT_FOUND") return null;
        throw err;
      });
    if (!detail) missing = open.slice(0, 80);
  }
  const here = `${path}${queryString({ ...filterOnly, ...(cursor ? { cursor } : {}), ...paging })}`;
  const openHref = (requestId: string) =>
    `${path}${queryString({ ...filterOnly, ...(cursor ? { cursor } : {}), ...paging, open: requestId })}`;
  const pageHref = (to: string) => `${path}${queryString({ ...filterOnly, cursor: to, ...paging })}`;
  const exportHref = (format: "jsonl" | "csv") => `/api/v1${path}/export${queryString({ format, ...filterOnly })}`;

  const values: FilterValues = {
    ...(Object.fromEntries(FILTER_NAMES.map((n) => [n, typeof raw[n] === "string" ? raw[n] : ""])) as Omit<FilterValues, "variant">),
    variant: [raw.variant ?? []].flat(),
    from: asFormTime(raw.from),
    to: asFormTime(raw.to),
  };
  const usable = Object.keys(errors).length === 0 && page !== null;
  // Nothing logged at all: the way to send interactions comes first, without filters that could only show nothing.
  const nothingLogged = usable && page?.interactions.length === 0 && !filtered && !cursor;

  return (
    <>
      <PageHeader
        title="Interactions"
        description={
          <>
            <Link href="/experiments" className="text-brand-700 underline underline-offset-2">
              Experiments
            </Link>{" "}
            /{" "}
            <Link
              href={`/experiments/${encodeURIComponent(experiment.key)}`}
              className="font-mono text-brand-700 underline underline-offset-2"
            >
              {experiment.key}
            </Link>{" "}
            · every interaction logged for {experiment.name}, newest first.
          </>
        }
        actions={
          usable && page && page.interactions.length > 0 ? (
            <>
              <a href={exportHref("csv")} className={buttonClass.secondary} download>
                Download CSV
              </a>
              <a href={exportHref("jsonl")} className={buttonClass.secondary} download>
                Download JSONL
              </a>
            </>
          ) : null
        }
      />
      {nothingLogged ? null : (
        <InteractionFilters action={path} values={values} variants={experiment.variants} criteria={experiment.criteria} errors={errors} />
      )}
      {missing !== null ? (
        <p role="alert" className="mb-4 break-words rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          This experiment has no interaction with the request id “{missing}”.
        </p>
      ) : null}
      {!usable ? (
        <p role="alert" className="mb-4 rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800" data-testid="filter-errors">
          These filters cannot be used: {Object.values(errors).join("; ")}. Fix them above, or clear the filters.
        </p>
      ) : page && page.interactions.length === 0 ? (
        filtered || cursor ? (
          <EmptyState
            title="No interactions match these filters"
            action={
              <Link href={path} className={buttonClass.secondary}>
                Clear the filters
              </Link>
            }
          >
            Widen the time range, tick more variants, or search for fewer words.
          </EmptyState>
        ) : (
          <EmptyState title="No interactions logged yet">
            <p>
              Send each call your application makes to the ingestion API, <span className="font-mono">POST /api/v1/interactions</span>, with
              an{" "}
              <Link href="/settings/api-keys" className="text-brand-700 underline underline-offset-2">
                API key
              </Link>
              : one record or a list of up to 10,000, as JSON or one record per line.
            </p>
            <pre className="mt-3 whitespace-pre-wrap rounded-md [overflow-wrap:anywhere] bg-slate-50 px-3 py-2 text-left font-mono text-xs text-slate-800 ring-1 ring-slate-200">
              {`curl -X POST "$ASSAY_URL/api/v1/interactions" \\
  -H "Authorization: Bearer $ASSAY_KEY" -H "content-type: application/json" \\
  -d '[{"experiment_key": "${experiment.key}", "request_id": "req-1", "user_id": "user-42", "variant_id": "${experiment.variants[0]?.key ?? "A"}", "user_input": "How do I reset my password?", "model_output": "Open Settings, then Security.", "latency_ms": 840, "user_feedback_score": 5}]'`}
            </pre>
            <p className="mt-3">
              <span className="font-mono">$ASSAY_URL</span> is this site&apos;s address. Interactions appear here as they arrive.
            </p>
          </EmptyState>
        )
      ) : page ? (
        <>
          <p className="mb-2 text-sm text-slate-700" data-testid="interactions-count">
            {page.interactions.length} shown, newest first, {countLine(matching, filtered)}.
          </p>
          <InteractionTable interactions={page.interactions} openHref={openHref} />
          <nav aria-label="Pages" className="mt-3 flex flex-wrap justify-between gap-2">
            {page.prevCursor ? (
              <Link href={pageHref(page.prevCursor)} className={buttonClass.secondary} rel="prev">
                ← Newer
              </Link>
            ) : (
              <span />
            )}
            {page.nextCursor ? (
              <Link href={pageHref(page.nextCursor)} className={buttonClass.secondary} rel="next">
                Older →
              </Link>
            ) : null}
          </nav>
        </>
      ) : null}
      {detail ? <InteractionDrawer key={detail.requestId} interaction={detail} closeHref={here} /> : null}
    </>
  );
}
