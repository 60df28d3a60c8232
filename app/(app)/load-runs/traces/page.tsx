import Link from "next/link";
import { pageIdentity } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { listTraces } from "@/lib/loadRuns/service";
import { listDatasets } from "@/lib/datasets/service";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { EmptyState } from "@/components/ui/EmptyState";
import { Card } from "@/components/ui/Card";
import { Time } from "@/components/ui/Time";
import { TraceUpload } from "@/components/loadRuns/TraceUpload";
import { TraceFromDataset } from "@/components/loadRuns/TraceFromDataset";
import { HistogramChart, TraceRateChart } from "@/components/charts/LoadRunCharts";
import { count, perSecond } from "@/components/loadRuns/figures";

export const dynamic = "force-dynamic";
export const metadata = { title: "Trace library" };

const tokens = (x: number | null | undefined) => (x === null || x === undefined ? "—" : Math.round(x).toLocaleString("en-US"));

function span(s: number | null): string {
  if (s === null) return "no timestamps (replayed at a rate you choose)";
  return s >= 120 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`;
}

export default async function TracesPage() {
  const { identity, allowed } = await pageIdentity("loadRuns:read", "/load-runs/traces");
  if (!allowed) return <Forbidden role={identity.role} />;
  const canRun = can(identity.role, "loadRuns:run");
  const traces = await listTraces();
  const datasets = canRun && can(identity.role, "interactions:read") ? await listDatasets() : [];
  return (
    <>
      <PageHeader
        title="Trace library"
        description="Saved workloads: the exact prompts, lengths and send times of real traffic, replayed as they were so two builds see the same load."
        actions={
          <Link href="/load-runs" className="text-sm text-brand-700 underline underline-offset-2">
            All load tests
          </Link>
        }
      />
      <div className="space-y-6">
        {canRun ? (
          <>
            <Card title="Upload a trace">
              <TraceUpload />
            </Card>
            <Card title="Make a trace from a dataset">
              <TraceFromDataset datasets={datasets.map((d) => ({ id: d.id, name: d.name, itemCount: d.itemCount }))} />
            </Card>
          </>
        ) : null}
        {traces.length === 0 ? (
          <EmptyState title="No traces yet">
            {canRun ? "Upload a trace file above." : "An engineer uploads traces; they will be listed here."}
          </EmptyState>
        ) : (
          traces.map((t) => (
            <Card key={t.id}>
              <article data-testid="trace" aria-label={t.name}>
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <h2 className="text-base font-semibold text-slate-900">{t.name}</h2>
                  <a
                    href={`/api/v1/traces/${encodeURIComponent(t.id)}/download`}
                    className="text-sm text-brand-700 underline underline-offset-2"
                  >
                    Download (varcas trace)
                  </a>
                </div>
                <p className="mt-1 text-xs text-slate-600">
                  {t.fromDataset ? "made from a dataset" : `uploaded as ${t.format}`} · <Time value={t.createdAt} />
                </p>
                <dl className="mt-3 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
                  <div>
                    <dt className="text-slate-600">Requests</dt>
                    <dd className="font-semibold tabular-nums" data-testid="trace-requests">
                      {count(t.requestCount)}
                    </dd>
                  </div>
                  <div>
                    <dt className="text-slate-600">Span</dt>
                    <dd className="font-semibold">{span(t.stats?.spanS ?? null)}</dd>
                  </div>
                  <div>
                    <dt className="text-slate-600">Mean rate</dt>
                    <dd className="font-semibold tabular-nums">{perSecond(t.stats?.meanRate)}</dd>
                  </div>
                  <div>
                    <dt className="text-slate-600">Tokens in / out (mean)</dt>
                    <dd className="font-semibold tabular-nums">
                      {tokens(t.stats?.inputTokens.mean)} / {tokens(t.stats?.outputTokens.mean)}
                    </dd>
                  </div>
                </dl>
                {t.stats && Object.keys(t.stats.workloads).length ? (
                  <p className="mt-2 text-xs text-slate-600">
                    Workloads:{" "}
                    {Object.entries(t.stats.workloads)
                      .map(([w, n]) => `${w} ${n.toLocaleString("en-US")}`)
                      .join(", ")}
                  </p>
                ) : null}
                {t.stats?.notes?.length ? <p className="mt-1 text-xs text-slate-600">{t.stats.notes.join(" ")}</p> : null}
                {t.stats ? (
                  <div className="mt-4 grid gap-4 lg:grid-cols-3">
                    {t.stats.rate.length > 1 ? (
                      <div>
                        <h3 className="text-xs font-medium text-slate-700">Requests per second over the trace</h3>
                        <TraceRateChart points={t.stats.rate} label={`Request rate over time of ${t.name}`} />
                      </div>
                    ) : null}
                    <div>
                      <h3 className="text-xs font-medium text-slate-700">Prompt length (tokens, max {tokens(t.stats.inputTokens.max)})</h3>
                      <HistogramChart
                        bins={t.stats.inputTokens.histogram}
                        unit="tokens"
                        height={120}
                        label={`Prompt lengths of ${t.name}`}
                      />
                    </div>
                    <div>
                      <h3 className="text-xs font-medium text-slate-700">Answer length (tokens, max {tokens(t.stats.outputTokens.max)})</h3>
                      <HistogramChart
                        bins={t.stats.outputTokens.histogram}
                        unit="tokens"
                        colour="#047857"
                        height={120}
                        label={`Answer lengths of ${t.name}`}
                      />
                    </div>
                  </div>
                ) : null}
                {canRun ? (
                  <p className="mt-3 text-sm">
                    <Link href={`/load-runs/new?trace=${encodeURIComponent(t.id)}`} className="text-brand-700 underline underline-offset-2">
                      Replay this trace
                    </Link>
                  </p>
                ) : null}
              </article>
            </Card>
          ))
        )}
      </div>
    </>
  );
}
