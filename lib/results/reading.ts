// Results in words: one sentence per treatment and metric, as a PM would say it ("B improves Helpfulness by 1.7% (95%
// CI 0.6% to 2.8%); significant after correction."), and each variant's value with its confidence interval for charts.
// Pure: the page, the decision matrix and the CLI's table read the same words.
import { percent, significant, quantileLabel } from "@/lib/format/number";
import normal from "@stdlib/stats-base-dists-normal";
import type { Comparison, ExperimentResults, MetricResult, VariantSummary } from "./types";

const pct = (x: number) => percent(x, 2);
const num = (x: number) => significant(x, 3);

/** "improves" / "worsens" / "changes": an increase is good unless the metric is better lower. */
function verb(m: MetricResult, diff: number): string {
  if (diff === 0) return "does not change";
  const better = m.direction === "DECREASE" ? diff < 0 : diff > 0;
  return better ? "improves" : "worsens";
}

/** The metric's name with its quantile when the name does not say it ("Latency (P95)"). */
export function metricLabel(m: Pick<MetricResult, "metric" | "kind" | "quantile">): string {
  if (m.kind !== "QUANTILE" || m.quantile === null) return m.metric;
  const label = quantileLabel(m.quantile);
  return m.metric.includes(label) ? m.metric : `${m.metric} (${label})`;
}

/** How a metric's value reads: a proportion as a percentage, anything else with 3 significant digits. */
export function formatValue(m: Pick<MetricResult, "kind">, x: number | null): string {
  if (x === null || !Number.isFinite(x)) return "—";
  return m.kind === "PROPORTION" ? pct(x) : num(x);
}

const signed = (x: number) => `${x > 0 ? "+" : x < 0 ? "−" : ""}${pct(Math.abs(x))}`;

/** A guardrail's margin as its metric reads it: "10%" (relative) or "0.005" / "0.5%" (absolute). */
export function marginText(m: Pick<MetricResult, "kind" | "margin" | "marginAbsolute">): string | null {
  if (m.margin === null) return null;
  return m.marginAbsolute ? formatValue(m, m.margin) : pct(m.margin);
}

/** One sentence for a treatment's comparison on a metric. */
export function comparisonSentence(m: MetricResult, c: Comparison, alpha: number, corrected: boolean): string {
  if (c.note) return `${c.variant}: no test yet (${c.note}).`;
  const level = `${significant((1 - alpha) * 100)}% CI`;
  const label = metricLabel(m);
  const change =
    c.relLift !== null && c.relCi95
      ? `${signed(c.relLift)} (${level} ${signed(c.relCi95[0])} to ${signed(c.relCi95[1])})`
      : `${c.diff > 0 ? "+" : ""}${formatValue(m, c.diff)} (${level} ${formatValue(m, c.ci95[0])} to ${formatValue(m, c.ci95[1])})`;
  const verdict = c.significant
    ? corrected
      ? "significant after correction"
      : "significant"
    : c.pValue < alpha && corrected
      ? "significant alone, but not after correction"
      : "not significant: it may be noise";
  const margin = marginText(m);
  const guard =
    c.nonInferiority && margin
      ? c.nonInferiority.passed
        ? `; shown to stay within its ${margin} margin`
        : `; not shown to stay within its ${margin} margin`
      : "";
  return `${c.variant} ${verb(m, c.diff)} ${label}: ${change}; ${verdict}${guard}.`;
}

/** Every comparison of the results in words, by metric. */
export function resultSentences(r: ExperimentResults): { metric: string; sentences: string[] }[] {
  return r.metrics.map((m) => ({
    metric: m.metric,
    sentences: m.comparisons.map((c) => comparisonSentence(m, c, r.alpha, r.correction !== "none")),
  }));
}

/**
 * A variant's value and its confidence interval, for the CI bars: the mean (or proportion) ± z·sd/√n, or for a
 * quantile metric the quantile it reads with no interval (the interval of the difference is in the comparison).
 */
export function valueInterval(
  m: Pick<MetricResult, "kind" | "quantile">,
  v: VariantSummary,
  alpha: number,
): { value: number; low: number; high: number } | null {
  if (m.kind === "QUANTILE") {
    const value = m.quantile === 0.5 ? v.p50 : m.quantile === 0.99 ? v.p99 : v.p95;
    return value === null ? null : { value, low: value, high: value };
  }
  if (v.mean === null || v.sd === null || v.n < 2) return null;
  const half = normal.quantile(1 - alpha / 2, 0, 1) * (v.sd / Math.sqrt(v.n));
  return { value: v.mean, low: v.mean - half, high: v.mean + half };
}
