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
import { TableScroll } from "@/components/ui/TableScroll";
import { buttonClass } from "@/components/ui/button";
import { ImportResults } from "@/components/loadRuns/ImportResults";
import { count, ms, perSecond, runStatusTone, runStatusWords } from "@/components/loadRuns/figures";

export const dynamic = "force-dynamic";
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
            <TableScroll label="Load tests">
              <table className="w-full text-left text-sm" data-testid="load-runs">
                <thead className="text-xs uppercase text-slate-500">
                  <tr>
                    <th className="py-2 pr-3">Run</th>
                    <th className="pr-3">Workload</th>
                    <th className="pr-3">Target</th>
                    <th className="pr-3">Status</th>
                    <th className="pr-3 text-right">Requests</th>
                    <th className="pr-3 text-right">Throughput</th>
                    <th className="pr-3 text-right">Time to first token (median)</th>
                    <th className="pr-3">Started</th>
                    {comparable ? (
                      <>
                        <th className="pr-2 text-center">Baseline</th>
                        <th className="text-center">Optimized</th>
                      </>
                    ) : null}
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {runs.map((r) => (
                    <tr key={r.id} data-testid="load-run">
                      <td className="py-2 pr-3">
                        <Link
                          href={`/load-runs/${encodeURIComponent(r.id)}`}
                          className="font-medium text-brand-700 underline underline-offset-2"
                        >
                          {r.name}
                        </Link>
                        {r.clientBound ? (
                          <span className="ml-2">
                            <Badge tone="amber">Client was the bottleneck</Badge>
                          </span>
                        ) : null}
                        {r.source === "import" ? <span className="ml-2 text-xs text-slate-600">uploaded</span> : null}
                      </td>
                      <td className="pr-3">{r.workload}</td>
                      <td className="max-w-48 truncate pr-3 text-xs" title={r.target ?? undefined}>
                        {r.target ?? "—"}
                        {r.model ? <span className="block font-mono">{r.model}</span> : null}
                      </td>
                      <td className="pr-3">
                        <Badge tone={runStatusTone(r.status)}>{runStatusWords(r.status)}</Badge>
                      </td>
                      <td className="pr-3 text-right tabular-nums">{count(r.requests)}</td>
                      <td className="whitespace-nowrap pr-3 text-right tabular-nums">{perSecond(r.throughputRps)}</td>
                      <td className="whitespace-nowrap pr-3 text-right tabular-nums">{ms(r.ttftP50Ms)}</td>
                      <td className="whitespace-nowrap pr-3 text-xs">
                        <Time value={r.createdAt} />
                      </td>
                      {comparable ? (
                        r.status === "SUCCEEDED" ? (
                          <>
                            <td className="pr-2 text-center">
                              <input type="checkbox" name="baseline" value={r.id} aria-label={`Baseline: ${r.name}`} className="size-4" />
                            </td>
                            <td className="text-center">
                              <input type="checkbox" name="optimized" value={r.id} aria-label={`Optimized: ${r.name}`} className="size-4" />
                            </td>
                          </>
                        ) : (
                          <td colSpan={2} className="text-center text-xs text-slate-600">
                            not finished
                          </td>
                        )
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
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
