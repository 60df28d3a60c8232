// CUPED in the results: each mean metric whose pre-exposure covariate is logged (the `metrics` key pre_<field>, per
// user; lib/db/cuped.ts) gets it on its arms, so compareMetric tests the adjusted values, and a summary of the
// adjustment beside the comparisons: theta, the adjusted means and the share of the difference's variance removed.
import { metricCovariates, covariateKey, type CovariateAggregate } from "@/lib/db/cuped";
import type { ResultsMetricSpec, ResultsScope } from "@/lib/db/results";
import type { ArmSummary } from "@/lib/stats/compare.types";
import { cupedAdjust } from "@/lib/stats/cuped";

export interface CupedComparison {
  variant: string;
  /** Cov(y, x) / Var(x) over the treatment and the control pooled. */
  theta: number;
  /** The treatment's and the control's means after the adjustment y - theta (x - pooled mean of x). */
  adjustedMean: number;
  controlAdjustedMean: number;
  /** 1 - Var_adjusted(diff) / Var(diff): the share of the difference's variance the covariate removed. */
  varianceReduction: number;
}

export interface MetricCuped {
  /** The `metrics` key the covariate is logged under. */
  covariate: string;
  /** Share of the metric's values whose user has a logged covariate (the others count as the logged mean: not adjusted). */
  covered: number;
  comparisons: CupedComparison[];
}

/** The covariates of an experiment's metrics, for compareMetric's arms and the results' CUPED summary. */
export class ResultsCovariates {
  constructor(
    private readonly fields: (string | null)[],
    private readonly byMetric: (Map<string, CovariateAggregate> | null)[],
  ) {}

  /** The arm's covariate for metric k, when logged ({} otherwise, to spread into an ArmSummary). */
  armCovariate(k: number, variantId: string): Pick<ArmSummary, "covariate"> {
    const c = this.byMetric[k]?.get(variantId);
    return c ? { covariate: { n: c.n, mean: c.mean, sd: c.sd, covariance: c.covariance } } : {};
  }

  /** Metric k's adjustment against the control, one entry per treatment CUPED applied to; null without a covariate. */
  summary(k: number, arms: ArmSummary[], control: string): MetricCuped | null {
    const aggregates = this.byMetric[k];
    const field = this.fields[k];
    if (!aggregates || field === null) return null;
    const usable = (a: ArmSummary | undefined): a is ArmSummary & { mean: number; sd: number } =>
      !!a && !!a.covariate && a.covariate.n === a.n && a.n >= 2 && a.mean !== null && a.sd !== null;
    const c = arms.find((a) => a.variant === control);
    const comparisons: CupedComparison[] = [];
    if (usable(c)) {
      for (const t of arms) {
        if (t === c || !usable(t)) continue;
        const r = cupedAdjust([t, c].map((a) => ({ n: a.n, mean: a.mean!, sd: a.sd!, covariate: a.covariate! })));
        comparisons.push({
          variant: t.variant,
          theta: r.theta,
          adjustedMean: r.arms[0].mean,
          controlAdjustedMean: r.arms[1].mean,
          varianceReduction: r.varianceReduction,
        });
      }
    }
    const n = [...aggregates.values()].reduce((s, a) => s + a.n, 0);
    const covered = [...aggregates.values()].reduce((s, a) => s + a.covered, 0);
    return { covariate: covariateKey(field), covered: n > 0 ? covered / n : 0, comparisons };
  }
}

/** Reads the covariates of the experiment's mean metrics (quantile and proportion metrics are not adjusted). */
export async function resultsCovariates(
  scope: ResultsScope,
  metrics: { kind: string }[],
  specs: ResultsMetricSpec[],
): Promise<ResultsCovariates> {
  const adjusted = metrics.map((m, k) => (m.kind === "MEAN" ? specs[k] : null));
  return new ResultsCovariates(
    adjusted.map((s) => s?.field ?? null),
    await metricCovariates(scope, adjusted),
  );
}
