// The minimal results of an experiment: for each scorecard metric, each variant's n, mean and sd from SQL aggregates, and
// Welch's t-test of each treatment against the control. Issue 9 grows this into the full results engine; the shape stays.
import { db } from "@/lib/db/client";
import { variantMetricAggregate } from "@/lib/db/interactions";
import { AppError } from "@/lib/errors";
import { welchTest } from "@/lib/stats/welch";

export interface VariantSummary {
  variant: string;
  n: number;
  mean: number | null;
  sd: number | null;
}

export interface Comparison {
  variant: string;
  diff: number;
  statistic: number;
  df: number;
  pValue: number;
  ci95: [number, number];
}

export interface MetricResult {
  metric: string;
  role: string;
  kind: string;
  /** The log field, metrics entry or judge criterion read (the metric's name when it names none). */
  field: string;
  variants: VariantSummary[];
  /** Treatment minus control; empty when a side has fewer than 2 values, or for quantile metrics (not a mean). */
  comparisons: Comparison[];
}

export interface ExperimentResults {
  experiment: string;
  control: string;
  metrics: MetricResult[];
}

/** Results of the experiment with this key. */
export async function experimentResults(key: string): Promise<ExperimentResults> {
  const e = await db().experiment.findUnique({
    where: { key },
    include: { variants: { orderBy: { position: "asc" } }, metrics: { orderBy: { position: "asc" } } },
  });
  if (!e) throw new AppError("NOT_FOUND", `No experiment has the key "${key}".`);
  const control = e.variants.find((v) => v.isControl) ?? e.variants[0];
  const metrics = await Promise.all(
    e.metrics.map(async (m): Promise<MetricResult> => {
      const field = m.field || m.name;
      const variants = await Promise.all(
        e.variants.map(async (v) => ({ variant: v.key, ...(await variantMetricAggregate(e.id, v.id, { source: m.source, field })) })),
      );
      const base = variants.find((v) => v.variant === control.key)!;
      const comparisons =
        m.kind === "QUANTILE"
          ? []
          : variants.flatMap((v) => {
              if (v.variant === control.key || v.mean === null || base.mean === null) return [];
              const r = welchTest({ n: v.n, mean: v.mean, sd: v.sd ?? 0 }, { n: base.n, mean: base.mean, sd: base.sd ?? 0 });
              return r ? [{ variant: v.variant, ...r }] : [];
            });
      return { metric: m.name, role: m.role, kind: m.kind, field, variants, comparisons };
    }),
  );
  return { experiment: e.key, control: control.key, metrics };
}
