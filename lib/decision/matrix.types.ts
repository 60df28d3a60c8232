// The shapes of the decision matrix (issue 9, point 4): rows are variants, columns the guide's Quality, Latency P95, Safety
// and Cost per 1k requests, then every other scorecard metric. Pure data: JSON-serialisable, frozen into a review's snapshot.
import type { DecisionRules } from "@/lib/validation/decisions";

export type { DecisionRules };

/**
 * What a cell says about a treatment against the control: "better" significantly better; "worse" significantly worse
 * (past the metric's margin where it has one; any significant change for the worse in safety); "neutral" no significant
 * change, or worse but within the margin; "untested" shown but not tested; "noData" too little data; "baseline" the control.
 */
export type CellStatus = "better" | "worse" | "neutral" | "untested" | "noData" | "baseline";

export type Recommendation = "deploy" | "doNotDeploy" | "keepRunning" | "inconclusive";

export type ColumnKind = "quality" | "latency" | "safety" | "cost" | "metric";

/** How a value reads: a share (percent), milliseconds, US dollars, or a plain number (a 1-5 score). */
export type ValueUnit = "percent" | "ms" | "usd" | "number";

export interface MatrixColumn {
  id: string;
  kind: ColumnKind;
  label: string;
  /** What the column reads, in words ("Helpfulness (judge), mean of the normalised score"). */
  description: string;
}

/** One number in a cell: a metric's value for the variant, and its change against the control. */
export interface MatrixReading {
  label: string;
  /** The scorecard metric read; null for the cost totals. */
  metric: string | null;
  unit: ValueUnit;
  value: number | null;
  /** The control's value, for "from X to Y". */
  controlValue: number | null;
  /** Values counted for this variant. */
  n: number | null;
  /** Treatment minus control, with its confidence interval at 1 - alpha. */
  delta: number | null;
  deltaCi: [number, number] | null;
  /** Relative change (0.1 = +10%) and its interval. */
  relDelta: number | null;
  relDeltaCi: [number, number] | null;
  /** Cost only: the variant's cost per 1k requests / the control's. */
  ratio: number | null;
  pValue: number | null;
  pAdjusted: number | null;
  status: CellStatus;
  /** What the status means, in words (never colour alone). */
  statusText: string;
}

export interface MatrixCell {
  column: string;
  /** The cell's reading that matters most: worse over better over neutral. */
  status: CellStatus;
  statusText: string;
  readings: MatrixReading[];
}

export interface MatrixRow {
  variant: string;
  name: string;
  isControl: boolean;
  cells: MatrixCell[];
  /** Null for the control (the baseline). */
  recommendation: Recommendation | null;
  /** Plain sentences naming the metric and the number behind the recommendation. */
  reasons: string[];
}

export interface DecisionMatrix {
  experiment: string;
  control: string;
  /** When the results behind it were computed (ISO). */
  computedAt: string;
  alpha: number;
  sequential: boolean;
  rules: DecisionRules;
  /** The sample-ratio check blocked every deploy. */
  srmFlag: boolean;
  /** 0..1 of the planned sample; null without a plan. */
  sampleFraction: number | null;
  columns: MatrixColumn[];
  rows: MatrixRow[];
  /** The variant the rules would ship: the "deploy" row with the largest goal improvement; null when none. */
  proposal: string | null;
}
