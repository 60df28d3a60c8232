// The shape of an experiment's results (GET /api/v1/experiments/{key}/results, the results page, the decision matrix and
// the snapshot a review freezes). Issue 8's fields (experiment, control, metrics[].metric/role/kind/field/variants/
// comparisons) keep their meaning; issue 9 adds the rest. Pure data: JSON-serialisable.
import type { Comparison, Correction, VariantSummary } from "@/lib/stats/compare.types";
import type { MetricCuped } from "./cuped";

export type { Comparison, Correction, VariantSummary };

export interface MetricResult {
  metric: string;
  /** "GOAL" or "GUARDRAIL". */
  role: string;
  /** "MEAN", "PROPORTION" or "QUANTILE". */
  kind: string;
  /** The log field, metrics entry or judge criterion read (the metric's name when it names none). */
  field: string;
  /** "INCREASE" or "DECREASE": which way is better. */
  direction: string;
  /** The quantile a QUANTILE metric reads (0.95 for P95); null otherwise. */
  quantile: number | null;
  /** The minimum detectable effect the plan sized for (relative unless mdeAbsolute). */
  mde: number;
  mdeAbsolute: boolean;
  /** A guardrail's margin: the worst change still acceptable (relative unless marginAbsolute); null for none. */
  margin: number | null;
  marginAbsolute: boolean;
  variants: VariantSummary[];
  /** Treatment minus control, one per treatment with enough data (see lib/stats/compare.types.ts). */
  comparisons: Comparison[];
  /** CUPED: the pre-exposure covariate's adjustment, when one is logged for this mean metric (lib/results/cuped.ts). */
  cuped?: MetricCuped | null;
}

/** Per variant, whatever the scorecard: traffic, failures and spend. */
export interface VariantTotals {
  variant: string;
  name: string;
  isControl: boolean;
  /** The variant's share of traffic, 0..1 (weights normalised). */
  weight: number;
  interactions: number;
  /** Distinct users with at least one interaction. */
  users: number;
  /** Interactions with an upstream error, 0..1; null with no interactions. */
  errorRate: number | null;
  /** Mean cost of an interaction x 1,000, in the prices' currency (USD); null when no cost is known. */
  costPer1k: number | null;
}

export interface SampleRatioCheck {
  /** Distinct users per variant against the weights (chi-square goodness of fit). */
  chi2: number;
  df: number;
  pValue: number;
  /** pValue < 0.001: the split is broken; a Deploy recommendation is blocked. */
  flag: boolean;
}

export interface SampleProgress {
  /** Units per variant the plan needs (the largest among its metrics); null without a plan. */
  plannedPerVariant: number | null;
  /** The smallest variant's units so far (the arm that sets the pace). */
  currentPerVariant: number;
  /** 0..1 of plannedPerVariant (capped at 1); null without a plan. */
  fraction: number | null;
  /** When the plan's sample is expected, from the pace since the start (ISO); null before any data or without a plan. */
  eta: string | null;
}

/** Each mean or proportion metric's cumulative value per variant at the end of each time bucket (the chart's data). */
export interface TimelineSeries {
  bucket: "hour" | "day";
  metrics: { metric: string; points: { t: string; values: Record<string, number | null> }[] }[];
}

export interface ExperimentResults {
  experiment: string;
  control: string;
  status: string;
  /** When these results were computed (ISO). */
  computedAt: string;
  alpha: number;
  correction: Correction;
  /** Peeking-safe confidence sequences instead of fixed-horizon tests. */
  sequential: boolean;
  /** The split is set by Thompson sampling: fixed-horizon p-values do not hold; read P(best) (GET .../allocation). */
  adaptive?: boolean;
  variants: VariantTotals[];
  /** Null until every variant has 8 users. */
  srm: SampleRatioCheck | null;
  sample: SampleProgress;
  metrics: MetricResult[];
  timeline: TimelineSeries;
}
