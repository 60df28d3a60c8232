import Link from "next/link";
import { pageIdentity } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { recentLoadRuns } from "@/lib/loadRuns/service";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { EmptyState } from "@/components/ui/EmptyState";
import { Card } from "@/components/ui/Card";
import { Badge } from "@/components/ui/Badge";
import { Time } from "@/components/ui/Time";
import { buttonClass } from "@/components/ui/button";
import { ImportResults } from "@/components/loadRuns/ImportResults";
import { count, ms, perSecond, runStatusTone, runStatusWords } from "@/components/loadRuns/figures";

export const dynamic = "force-dynamic";

// components/ui/stackedTable.ts at the large breakpoint instead of the small one: the list has more columns, and its
// compare checkboxes must stay in view at every width (written out, so the style sheet has every class).
const stacked = {
  table: "w-full text-left text-sm max-lg:block",
  thead: "text-xs uppercase text-slate-600 max-lg:sr-only",
  tbody: "divide-y divide-slate-100 max-lg:block",
  tr: "max-lg:block max-lg:py-2",
  td: "max-lg:flex max-lg:min-h-9 max-lg:flex-wrap max-lg:items-center max-lg:justify-between max-lg:gap-x-3 max-lg:py-1 max-lg:pr-0 max-lg:text-left max-lg:before:text-xs max-lg:before:font-medium max-lg:before:uppercase max-lg:before:text-slate-600 max-lg:before:content-[attr(data-label)]",
};
export const metadata = { title: "Load tests" };

export default async function LoadRunsPage() {
  const { identity, allowed } = await pageIdentity("loadRuns:read", "/load-runs");
  if (!allowed) return <Forbidden role={identity.role} />;
  const runs = await recentLoadRuns();
  const canRun = can(identity.role, "loadRuns:run");
  const finished = runs.filter((r) => r.status === "SUCCEEDED");
  const comparable = finished.length >= 2 || (finished.length === 1 && runs.length > 0);
  return (
    <>
      <PageHeader
        title="Load tests"
        description="Send a workload to a model server (or to the built-in simulator) at a chosen rate, see how fast it answers, and compare two builds on the same prompts."
        actions={
          <>
            <Link href="/load-runs/traces" className="text-sm text-brand-700 underline underline-offset-2">
              Trace library
            </Link>
            {canRun ? (
              <Link href="/load-runs/new" className={buttonClass.primary}>
                New load run
              </Link>
            ) : null}
          </>
        }
      />
      {canRun ? (
        <div className="mb-6">
          <ImportResults />
        </div>
      ) : null}
      {runs.length === 0 ? (
        <EmptyState title="No load tests yet">
          {canRun
            ? "Start one against the built-in simulator with New load run, or upload a results file you already have."
            : "An engineer starts load tests; they will be listed here."}
        </EmptyState>
      ) : (
        <Card>
          <form action="/load-runs/compare" method="get">
            <table className={stacked.table} data-testid="load-runs" aria-label="Load tests">
              <thead className={stacked.thead}>
                <tr>
                  <th className="py-2 pr-3">Run</th>
                  <th className="pr-3">Workload and target</th>
                  <th className="pr-3">Status</th>
                  <th className="pr-3 text-right">Requests</th>
                  <th className="pr-3 text-right">Throughput</th>
                  <th className="pr-3 text-right">First token (median)</th>
                  {comparable ? (
                    <>
                      <th className="pr-2 text-center">Baseline</th>
                      <th className="text-center">Optimized</th>
                    </>
                  ) : null}
                </tr>
              </thead>
              <tbody className={stacked.tbody}>
                {runs.map((r) => (
                  <tr key={r.id} data-testid="load-run" className={stacked.tr}>
                    <td className={`py-2 pr-3 ${stacked.td}`} data-label="Run">
                      <div className={r.sweepStep ? "border-l-2 border-slate-200 pl-3" : undefined}>
                        {r.sweepStep ? <span className="block text-xs text-slate-600">Sweep step {r.sweepStep}</span> : null}
                        <Link
                          href={`/load-runs/${encodeURIComponent(r.id)}`}
                          className="font-medium text-brand-700 underline underline-offset-2"
                        >
                          {r.name}
                        </Link>
                        {r.sweepSteps ? (
                          <span className="mt-1 block">
                            <Badge tone="blue">Sweep of {r.sweepSteps} steps</Badge>
                          </span>
                        ) : null}
                        {r.clientBound ? (
                          <span className="mt-1 block">
                            <Badge tone="amber">Client was the bottleneck</Badge>
                          </span>
                        ) : null}
                        <span className="block text-xs text-slate-600">
                          {r.source === "import" ? "uploaded " : ""}
                          <Time value={r.createdAt} />
                        </span>
                      </div>
                    </td>
                    <td className={`pr-3 text-xs ${stacked.td}`} data-label="Workload and target">
                      <div className="min-w-0 lg:max-w-64">
                        <span className="block">{r.workload}</span>
                        <span className="block truncate text-slate-600" title={r.target ?? undefined}>
                          {r.target ?? "—"}
                          {r.model ? ` · ${r.model}` : ""}
                        </span>
                      </div>
                    </td>
                    <td className={`pr-3 ${stacked.td}`} data-label="Status">
                      <Badge tone={runStatusTone(r.status)}>{runStatusWords(r.status)}</Badge>
                    </td>
                    <td className={`pr-3 text-right tabular-nums ${stacked.td}`} data-label="Requests">
                      {count(r.requests)}
                    </td>
                    <td className={`whitespace-nowrap pr-3 text-right tabular-nums ${stacked.td}`} data-label="Throughput">
                      {perSecond(r.throughputRps)}
                    </td>
                    <td className={`whitespace-nowrap pr-3 text-right tabular-nums ${stacked.td}`} data-label="First token (median)">
                      {ms(r.ttftP50Ms)}
                    </td>
                    {comparable ? (
                      r.sweepSteps ? (
                        <td colSpan={2} className={`text-center text-xs text-slate-600 ${stacked.td}`} data-label="Compare">
                          a sweep: compare its steps
                        </td>
                      ) : r.status === "SUCCEEDED" ? (
                        <>
                          <td className={`pr-2 text-center ${stacked.td}`} data-label="Baseline">
                            <input type="checkbox" name="baseline" value={r.id} aria-label={`Baseline: ${r.name}`} className="size-4" />
                          </td>
                          <td className={`text-center ${stacked.td}`} data-label="Optimized">
                            <input type="checkbox" name="optimized" value={r.id} aria-label={`Optimized: ${r.name}`} className="size-4" />
                          </td>
                        </>
                      ) : (
                        <td colSpan={2} className={`text-center text-xs text-slate-600 ${stacked.td}`} data-label="Compare">
                          not finished
                        </td>
                      )
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
            {comparable ? (
              <div className="mt-4 flex flex-wrap items-center gap-3">
                <button type="submit" className={buttonClass.secondary}>
                  Compare
                </button>
                <p className="text-sm text-slate-600">
                  Tick one run as the baseline and one as the optimized build, or several of each (repeated runs of the same build).
                </p>
              </div>
            ) : null}
          </form>
        </Card>
      )}
    </>
  );
}
