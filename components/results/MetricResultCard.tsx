import { Badge } from "@/components/ui/Badge";
import { Card } from "@/components/ui/Card";
import { TableScroll } from "@/components/ui/TableScroll";
import { VariantIntervalChart } from "@/components/charts/VariantIntervalChart";
import { MetricTimelineChart } from "@/components/charts/MetricTimelineChart";
import { comparisonSentence, formatValue, metricLabel, valueInterval } from "@/lib/results/reading";
import type { ExperimentResults, MetricResult } from "@/lib/results/types";
import { percent, significant } from "@/lib/format/number";

/** A p-value as people read it: 0.0033, 0.41, or "< 0.0001". */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return "—";
  return p < 0.0001 ? "< 0.0001" : significant(p, 2);
}

const pct = (x: number) => percent(x, 2);

/** One scorecard metric: the reading in words, each variant's value with its interval, the comparisons and the metric over time. */
export function MetricResultCard({ results, metric }: { results: ExperimentResults; metric: MetricResult }) {
  const label = metricLabel(metric);
  const corrected = results.correction !== "none";
  const format = (x: number) => formatValue(metric, x);
  const points = metric.variants.flatMap((v) => {
    const iv = valueInterval(metric, v, results.alpha);
    return iv
      ? [
          {
            variant: v.variant,
            ...iv,
            label: iv.low === iv.high ? format(iv.value) : `${format(iv.value)} (${format(iv.low)} to ${format(iv.high)})`,
          },
        ]
      : [];
  });
  const series = results.timeline.metrics.find((t) => t.metric === metric.metric);
  const byVariant = new Map(metric.comparisons.map((c) => [c.variant, c]));
  const better = metric.direction === "DECREASE" ? "lower is better" : "higher is better";
  return (
    <Card>
      <section aria-labelledby={`metric-${metric.metric}`} data-testid="metric-result" data-metric={metric.metric}>
        <div className="flex flex-wrap items-center gap-2">
          <h2 id={`metric-${metric.metric}`} className="text-lg font-semibold text-slate-900">
            {label}
          </h2>
          <Badge tone={metric.role === "GOAL" ? "blue" : "gray"}>{metric.role === "GOAL" ? "Goal" : "Guardrail"}</Badge>
          <span className="text-xs text-slate-600">{better}</span>
        </div>
        {metric.comparisons.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">Not enough data yet: each variant needs at least two values of this metric.</p>
        ) : (
          <ul className="mt-2 space-y-1 text-sm text-slate-800" data-testid="metric-sentences">
            {metric.comparisons.map((c) => (
              <li key={c.variant} className="flex gap-2">
                <span aria-hidden className={c.significant ? "text-emerald-700" : "text-slate-500"}>
                  {c.significant ? "●" : "○"}
                </span>
                <span>{comparisonSentence(metric, c, results.alpha, corrected)}</span>
              </li>
            ))}
          </ul>
        )}
        <div className="mt-4 grid gap-4 lg:grid-cols-2">
          {points.length ? (
            <VariantIntervalChart
              points={points}
              control={results.control}
              kind={metric.kind}
              label={`${label} per variant with 95% intervals: ${points.map((p) => `${p.variant} ${p.label}`).join("; ")}`}
              height={Math.max(140, 48 * points.length + 40)}
            />
          ) : null}
          {series && series.points.length > 1 ? (
            <MetricTimelineChart
              points={series.points}
              variants={metric.variants.map((v) => v.variant)}
              kind={metric.kind}
              bucket={results.timeline.bucket}
              label={`${label} over time, cumulative, per variant`}
            />
          ) : null}
        </div>
        <TableScroll label={`${label} by variant`}>
          <table className="mt-4 w-full min-w-[40rem] text-left text-sm">
            <thead className="text-xs uppercase text-slate-600">
              <tr>
                <th className="py-2">Variant</th>
                <th>n</th>
                <th>{metric.kind === "QUANTILE" ? label : metric.kind === "PROPORTION" ? "Rate" : "Mean"}</th>
                <th>Change vs {results.control}</th>
                <th>p</th>
                <th>{corrected ? "p after correction" : "p (no correction)"}</th>
                <th>Chance to beat {results.control}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {metric.variants.map((v) => {
                const c = byVariant.get(v.variant);
                const value =
                  metric.kind === "QUANTILE" ? (metric.quantile === 0.5 ? v.p50 : metric.quantile === 0.99 ? v.p99 : v.p95) : v.mean;
                return (
                  <tr key={v.variant}>
                    <td className="py-2 font-medium">{v.variant}</td>
                    <td>{v.n.toLocaleString("en-US")}</td>
                    <td>{format(value ?? NaN)}</td>
                    <td>
                      {c
                        ? c.relLift !== null && c.relCi95
                          ? `${c.relLift >= 0 ? "+" : ""}${pct(c.relLift)} (${pct(c.relCi95[0])} to ${pct(c.relCi95[1])})`
                          : `${c.diff >= 0 ? "+" : ""}${format(c.diff)}`
                        : v.variant === results.control
                          ? "control"
                          : "—"}
                    </td>
                    <td>{c ? formatP(c.pValue) : ""}</td>
                    <td>
                      {c ? <span className={c.significant ? "font-semibold text-emerald-800" : ""}>{formatP(c.pAdjusted)}</span> : ""}
                    </td>
                    <td>{c?.bayes ? pct(c.bayes.chanceToBeat) : ""}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
        {metric.comparisons.some((c) => c.mannWhitney) ? (
          <p className="mt-2 text-xs text-slate-600">
            Rank test (does a typical value differ at all?):{" "}
            {metric.comparisons
              .filter((c) => c.mannWhitney)
              .map((c) => `${c.variant} p ${formatP(c.mannWhitney!.pValue)}`)
              .join(", ")}
            .
          </p>
        ) : null}
        {metric.cuped && metric.cuped.comparisons.length ? (
          <p className="mt-1 text-xs text-slate-600" data-testid="cuped-reading">
            Adjusted for each user&apos;s value before the experiment (logged for {pct(metric.cuped.covered)} of the values):{" "}
            {metric.cuped.comparisons
              .map(
                (c) =>
                  `${c.variant} ${format(c.adjustedMean)} against ${results.control} ${format(c.controlAdjustedMean)} after adjustment, ${pct(c.varianceReduction)} of the noise removed`,
              )
              .join("; ")}
            .
          </p>
        ) : metric.comparisons.some((c) => c.varianceReduction !== null) ? (
          <p className="mt-1 text-xs text-slate-600">
            Pre-experiment behaviour removed{" "}
            {metric.comparisons
              .filter((c) => c.varianceReduction !== null)
              .map((c) => `${pct(c.varianceReduction!)} of the noise for ${c.variant}`)
              .join(", ")}
            .
          </p>
        ) : null}
      </section>
    </Card>
  );
}
