import Link from "next/link";
import { notFound } from "next/navigation";
import { pageIdentity } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { getLoadRun, recentLoadRuns } from "@/lib/loadRuns/service";
import type { AssayMetrics, Distribution } from "@/lib/harness/metrics";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { Card } from "@/components/ui/Card";
import { Badge } from "@/components/ui/Badge";
import { Time } from "@/components/ui/Time";
import { TableScroll } from "@/components/ui/TableScroll";
import { buttonClass, inputClass, labelClass } from "@/components/ui/button";
import { RunProgress } from "@/components/loadRuns/RunProgress";
import { SweepResults } from "@/components/loadRuns/SweepResults";
import { FAILURE_WORDS, count, ms, perSecond, runStatusTone, runStatusWords } from "@/components/loadRuns/figures";
import { HistogramChart, LagTimelineChart, LatencyCdfChart, ThroughputTimelineChart } from "@/components/charts/LoadRunCharts";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const run = await getLoadRun((await params).id).catch(() => null);
  return { title: run ? `Load test ${run.name}` : "Load test" };
}

/** Assay's section of a results file, as far as this page reads it (an imported varcas file has only the metrics). */
interface AssaySummary {
  imported?: boolean;
  metrics?: AssayMetrics;
  scheduleLagMs?: { p50: number | null; p90: number | null; p99: number | null; max: number | null };
  slotWaitMs?: { p50: number | null; p99: number | null; max: number | null };
  targetRate?: number | null;
  achievedRate?: number | null;
  clientCpuCores?: number;
  flags?: string[];
  flagReasons?: string[];
  notSent?: number;
  aborted?: boolean;
  shards?: number;
}

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div>
      <dt className="text-xs text-slate-600">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums text-slate-900" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

const p = (d: Distribution | undefined, k: "p50" | "p90" | "p99") => ms(d?.[k] ?? null);

export default async function LoadRunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { identity, allowed } = await pageIdentity("loadRuns:read", `/load-runs/${id}`);
  if (!allowed) return <Forbidden role={identity.role} />;
  const run = await getLoadRun(id).catch((err) => {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    throw err;
  });
  const canRun = can(identity.role, "loadRuns:run");
  const live = run.status === "QUEUED" || run.status === "RUNNING";
  const summary = run.summary;
  const m = summary?.metrics;
  const assay = (summary?.assay ?? null) as AssaySummary | null;
  const am = assay?.metrics;
  const charts = summary?.charts;
  const clientBound = assay?.flags?.includes("CLIENT_BOUND") ?? false;
  const others = summary ? (await recentLoadRuns()).filter((r) => r.id !== run.id && r.status === "SUCCEEDED") : [];
  const errors = Object.entries(am?.errors ?? {}).filter(([, n]) => n > 0);
  const slo = am?.goodput?.slo;
  const goodputTargets = [
    slo?.ttftMs ? `first token within ${ms(slo.ttftMs)}` : null,
    slo?.tpotMs ? `each further token within ${ms(slo.tpotMs)}` : null,
    slo?.e2elMs ? `the whole answer within ${ms(slo.e2elMs)}` : null,
  ].filter(Boolean);
  const base = `/api/v1/load-runs/${encodeURIComponent(run.id)}`;

  return (
    <>
      <PageHeader
        title={run.name}
        description={
          <>
            {run.source === "import" ? "Uploaded results file" : run.sweep ? `Sweep of ${run.sweep.plannedSteps} steps` : "Load run"} ·{" "}
            {run.workload} · {run.target ?? "—"}
            {run.model ? ` · model ${run.model}` : ""} · <Time value={run.createdAt} />
          </>
        }
        actions={
          <>
            {live ? null : <Badge tone={runStatusTone(run.status)}>{runStatusWords(run.status)}</Badge>}
            <Link href="/load-runs" className="text-sm text-brand-700 underline underline-offset-2">
              All load tests
            </Link>
          </>
        }
      />
      <div className="space-y-6">
        {run.sweepOf ? (
          <p className="text-sm text-slate-700" data-testid="sweep-of">
            Step {run.sweepOf.step} of the sweep{" "}
            <Link href={`/load-runs/${encodeURIComponent(run.sweepOf.id)}`} className="text-brand-700 underline underline-offset-2">
              {run.sweepOf.name}
            </Link>
            .
          </p>
        ) : null}
        {live ? (
          <Card title="Progress">
            <RunProgress
              runId={run.id}
              canCancel={canRun}
              initial={{
                status: run.status,
                progress: run.progress,
                shards: run.shards,
                error: run.error,
                startAt: run.startAt,
                sweep: run.sweep,
                share: run.share,
              }}
            />
          </Card>
        ) : null}
        {run.sweep && !live && run.error ? (
          <div role="alert" className="rounded-lg border border-rose-200 bg-rose-50 p-4 text-sm text-rose-800" data-testid="sweep-error">
            The sweep stopped: {run.error}
          </div>
        ) : null}
        {run.sweep ? <SweepResults sweep={run.sweep} /> : null}
        {!live && !summary && !run.sweep?.steps.length ? (
          <Card title="No results">
            <p className="text-sm text-slate-700">
              {run.status === "CANCELLED"
                ? "The run was cancelled before it had results."
                : `The run ended without results${run.error ? `: ${run.error}` : "."}`}
            </p>
          </Card>
        ) : null}
        {clientBound ? (
          <div
            role="alert"
            className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900"
            data-testid="client-bound"
          >
            <p className="font-semibold">The load client could not keep up, so these numbers are partly the client&apos;s own delay.</p>
            <p className="mt-1">
              Requests went out later than scheduled, so the server saw less load than intended and each latency includes time the request
              spent waiting in the client. Run again with more shards (or on a less busy machine) before you trust or compare these figures.
            </p>
            {assay?.flagReasons?.length ? (
              <ul className="mt-2 list-disc pl-5">
                {assay.flagReasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        {m ? (
          <Card title="Headline figures, as varcas computes them">
            <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4" data-testid="varcas-figures">
              <Figure label="Requests" value={count(m.total_requests)} testId="figure-requests" />
              <Figure label="Succeeded" value={count(m.successful_requests)} />
              <Figure label="Failed" value={count(m.failed_requests)} />
              <Figure label="Throughput" value={perSecond(m.throughput_rps)} testId="figure-throughput" />
              <Figure label="Output tokens per second" value={perSecond(m.throughput_tok_s, "tokens/s")} />
              <Figure label="Time to first token, median" value={ms(m.ttft_p50_ms)} testId="figure-ttft-p50" />
              <Figure label="Time to first token, 99th percentile" value={ms(m.ttft_p99_ms)} />
              <Figure label="Time per output token, median" value={ms(m.tpot_p50_ms)} />
              <Figure label="Time per output token, 99th percentile" value={ms(m.tpot_p99_ms)} />
              <Figure label="Whole answer, median" value={ms(m.latency_p50_ms)} />
              <Figure label="Whole answer, 99th percentile" value={ms(m.latency_p99_ms)} />
            </dl>
            <div className="mt-4 space-y-1 text-sm text-slate-700">
              <p>
                <strong>Time to first token</strong> is how long a request waited, from being sent, until the first piece of the answer
                arrived: what a user waits before text starts to appear.
              </p>
              <p>
                <strong>Time per output token</strong> is how long each further token took after the first, on average over the answer: how
                fast the text streams once it has started.
              </p>
              <p>
                <strong>Whole answer</strong> is from sending the request to its last token. <strong>Throughput</strong> is successful
                requests over the time requests were being sent. The 99th percentile is the time 99 requests in 100 beat: the slow tail.
              </p>
            </div>
          </Card>
        ) : null}
        {am ? (
          <Card title="Assay's measurements">
            <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4" data-testid="assay-figures">
              <Figure label="Measured requests" value={count(am.measuredRequests)} />
              <Figure label="Throughput over the whole window" value={perSecond(am.throughputRps)} />
              <Figure label="Output tokens per second" value={perSecond(am.outputTokensPerS, "tokens/s")} />
              {am.goodput ? (
                <Figure
                  label="Goodput (met every target)"
                  value={`${perSecond(am.goodput.perS)} · ${Math.round(am.goodput.share * 100)}%`}
                  testId="figure-goodput"
                />
              ) : null}
              <Figure label="Time to first token, median / 99th" value={`${p(am.ttftMs, "p50")} / ${p(am.ttftMs, "p99")}`} />
              <Figure label="Time per output token, median / 99th" value={`${p(am.tpotMs, "p50")} / ${p(am.tpotMs, "p99")}`} />
              <Figure label="Gap between pieces of an answer, median / 99th" value={`${p(am.itlMs, "p50")} / ${p(am.itlMs, "p99")}`} />
              <Figure label="Whole answer, median / 99th" value={`${p(am.e2eMs, "p50")} / ${p(am.e2eMs, "p99")}`} />
              {am.e2eFromIntendedMs?.count ? (
                <Figure
                  label="Whole answer from the scheduled send, median / 99th"
                  value={`${p(am.e2eFromIntendedMs, "p50")} / ${p(am.e2eFromIntendedMs, "p99")}`}
                />
              ) : null}
              {assay?.targetRate ? (
                <Figure
                  label="Sending rate, achieved / scheduled"
                  value={`${perSecond(assay.achievedRate)} / ${perSecond(assay.targetRate)}`}
                />
              ) : null}
              {assay?.scheduleLagMs ? (
                <Figure
                  label="Client lateness, median / 99th / worst"
                  value={`${ms(assay.scheduleLagMs.p50)} / ${ms(assay.scheduleLagMs.p99)} / ${ms(assay.scheduleLagMs.max)}`}
                />
              ) : null}
              {assay?.clientCpuCores !== undefined ? (
                <Figure label="Client processor use" value={`${assay.clientCpuCores.toFixed(2)} cores`} />
              ) : null}
            </dl>
            <div className="mt-4 space-y-1 text-sm text-slate-700">
              <p>
                These count output tokens as the server reported them (
                {[
                  am.tokensSource.usage ? `${count(am.tokensSource.usage)} from the server` : null,
                  am.tokensSource.estimate ? `${count(am.tokensSource.estimate)} estimated from the text` : null,
                  am.tokensSource.file ? `${count(am.tokensSource.file)} from the file` : null,
                ]
                  .filter(Boolean)
                  .join(", ")}
                ), and measure throughput from the first scheduled send to the last answer, so they can differ from the figures above.
              </p>
              {am.e2eFromIntendedMs?.count ? (
                <p>
                  <strong>From the scheduled send</strong> includes any time the request waited in the client: what a user arriving at that
                  moment would have waited. <strong>Client lateness</strong> is how far behind its schedule the client sent.
                </p>
              ) : null}
              {am.goodput ? (
                <p>
                  <strong>Goodput</strong> counts only the requests that met every target set for the run
                  {goodputTargets.length ? ` (${goodputTargets.join(", ")})` : ""}.
                </p>
              ) : null}
              {assay?.notSent ? <p>{count(assay.notSent)} planned requests were never sent (the run was stopped).</p> : null}
              {assay?.imported && !assay.scheduleLagMs ? (
                <p>
                  This file came from varcas, which does not record when each request was meant to go out, so client lateness is unknown.
                </p>
              ) : null}
            </div>
          </Card>
        ) : null}
        {charts ? (
          <div className="grid gap-6 lg:grid-cols-2">
            <Card title="How long answers took">
              <p className="mb-2 text-sm text-slate-700">
                For each time along the bottom, the share of successful requests whose whole answer had arrived by then.
              </p>
              <LatencyCdfChart points={charts.latencyCdf} label="Share of requests answered within each time" />
            </Card>
            <Card title="Throughput and requests in flight">
              <p className="mb-2 text-sm text-slate-700">
                Each second of the run: requests sent, answers completed, failures, and requests still waiting.
              </p>
              <ThroughputTimelineChart points={charts.timeline} label="Requests sent, completed, failed and in flight per second" />
            </Card>
            <Card title="Time to first token">
              <p className="mb-2 text-sm text-slate-700">How many requests waited each length of time (ms) for their first token.</p>
              <HistogramChart bins={charts.ttftHistogram} unit="ms" label="Histogram of time to first token" testId="ttft-histogram" />
            </Card>
            <Card title="Time per output token">
              <p className="mb-2 text-sm text-slate-700">How many requests streamed at each time per token (ms).</p>
              <HistogramChart
                bins={charts.tpotHistogram}
                unit="ms"
                colour="#047857"
                label="Histogram of time per output token"
                testId="tpot-histogram"
              />
            </Card>
            {charts.lagTimeline.length ? (
              <Card title="Client lateness over time" className="lg:col-span-2">
                <p className="mb-2 text-sm text-slate-700">
                  How late the client sent each second&apos;s requests against their schedule (ms). A rising line means the client, not the
                  server, was falling behind.
                </p>
                <LagTimelineChart points={charts.lagTimeline} label="Median and worst client lateness per second" />
              </Card>
            ) : null}
          </div>
        ) : null}
        {summary ? (
          <Card title="Failures">
            {errors.length === 0 ? (
              <p className="text-sm text-slate-700" data-testid="no-failures">
                No request failed.
              </p>
            ) : (
              <TableScroll label="Failures by kind">
                <table className="w-full text-left text-sm" data-testid="failures">
                  <thead className="text-xs uppercase text-slate-500">
                    <tr>
                      <th className="py-2 pr-3">Kind</th>
                      <th className="text-right">Requests</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {errors.map(([k, n]) => (
                      <tr key={k}>
                        <td className="py-2 pr-3">{FAILURE_WORDS[k] ?? k}</td>
                        <td className="text-right tabular-nums">{count(n)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            )}
          </Card>
        ) : null}
        {summary ? (
          <Card title="Downloads and comparison">
            <div className="flex flex-wrap gap-4 text-sm">
              <a href={`${base}/results`} className="text-brand-700 underline underline-offset-2">
                Results file (varcas format, with every request)
              </a>
              <a href={`${base}/trace`} className="text-brand-700 underline underline-offset-2">
                Its requests as a trace (to replay against another build)
              </a>
            </div>
            {others.length ? (
              <form action="/load-runs/compare" method="get" className="mt-4 flex flex-wrap items-end gap-3">
                <input type="hidden" name="baseline" value={run.id} />
                <div className="min-w-0 flex-1 sm:max-w-md">
                  <label htmlFor="compare-with" className={labelClass}>
                    Compare with… (this run is the baseline)
                  </label>
                  <select id="compare-with" name="optimized" className={`${inputClass} mt-1`}>
                    {others.map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.name} ({o.workload})
                      </option>
                    ))}
                  </select>
                </div>
                <button type="submit" className={buttonClass.secondary}>
                  Compare
                </button>
              </form>
            ) : (
              <p className="mt-3 text-sm text-slate-700">Another finished run is needed to compare this one with.</p>
            )}
          </Card>
        ) : null}
      </div>
    </>
  );
}
