// One metric's values per variant, gathered from a stream of interactions in memory that grows by 8 bytes a value and
// at most 8 bytes a distinct user (never the rows themselves), then analysed: summaries, exact percentiles and ranks
// from the sorted values, compareMetric against the control, and the sample-ratio check on distinct users.
import { adjustPValues, compareMetric } from "@/lib/stats/compare";
import type { AnalysisKind, ArmSummary, Comparison, Correction, RankSummary, VariantSummary } from "@/lib/stats/compare.types";
import { chiSquareGoodnessOfFit } from "@/lib/stats/chiSquare";
import { rankSummaryFromSorted } from "@/lib/stats/mannWhitney";
import { quantileSorted, quantileSummary } from "@/lib/stats/quantile";

/** A Float64Array that doubles when full. */
export class GrowableFloat64Array {
  private data: Float64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }
  push(x: number): void {
    if (this.length === this.data.length) this.grow(this.data.length * 2);
    this.data[this.length++] = x;
  }
  /** The values so far (a view, not a copy). */
  values(): Float64Array {
    return this.data.subarray(0, this.length);
  }
  /** Keeps the first `length` values only. */
  truncate(length: number): void {
    this.length = Math.min(this.length, length);
  }
  get capacity(): number {
    return this.data.length;
  }
  grow(capacity: number): void {
    const next = new Float64Array(capacity);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}

/**
 * A 53-bit hash of a user id (two 32-bit multiplicative hashes, each finished with murmur3's fmix32): the distinct-user
 * count keeps 8 bytes a user instead of the id; two of 4 million users share a hash with a chance below 1 in 1,000.
 */
export function userHash(id: string): number {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  const fmix = (h: number) => {
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  };
  return fmix(a) * 2097152 + (fmix(b) >>> 11);
}

/** Sorts the values in place and moves each distinct one to the front, once; returns how many there are. */
function sortUnique(x: Float64Array): number {
  x.sort();
  let k = 0;
  for (let i = 0; i < x.length; i++) if (i === 0 || x[i] !== x[k - 1]) x[k++] = x[i];
  return k;
}

/** Distinct users as sorted unique hashes, de-duplicated whenever the buffer fills, so memory follows the distinct users. */
class DistinctUsers {
  private hashes = new GrowableFloat64Array(1024);
  add(id: string): void {
    if (this.hashes.length === this.hashes.capacity) {
      this.hashes.truncate(sortUnique(this.hashes.values()));
      if (this.hashes.length > this.hashes.capacity / 2) this.hashes.grow(this.hashes.capacity * 2);
    }
    this.hashes.push(userHash(id));
  }
  count(): number {
    const n = sortUnique(this.hashes.values());
    this.hashes.truncate(n);
    return n;
  }
}

interface VariantSamples {
  values: GrowableFloat64Array;
  users: DistinctUsers;
  rows: number;
}

export interface VariantResult extends VariantSummary {
  /** Distinct users with at least one interaction (with or without a value). */
  users: number;
  /** Interactions of the variant (with or without a value). */
  rows: number;
  /** For --kind quantile: the quantile and its order-statistic interval. */
  quantile?: { q: number; value: number; lower: number; upper: number };
}

export interface SampleRatio {
  chi2: number;
  df: number;
  pValue: number;
  /** pValue < 0.001. */
  flag: boolean;
  /** The shares the users were checked against, in the variants' order. */
  weights: number[];
}

export interface MetricAnalysis {
  metric: string;
  kind: AnalysisKind;
  control: string;
  variants: VariantResult[];
  comparisons: Comparison[];
  /** Null until every variant has 8 distinct users. */
  srm: SampleRatio | null;
  alpha: number;
  correction: Correction;
  /** The quantile a quantile analysis reads; null otherwise. */
  quantile: number | null;
  /** Interactions read, and those without a value for the metric (left out of its statistics, counted for the split). */
  rows: number;
  withoutValue: number;
}

export interface AnalysisOptions {
  metric: string;
  kind: AnalysisKind;
  /** The control's variant; the first variant seen when null. */
  control: string | null;
  alpha: number;
  correction: Correction;
  /** Expected traffic shares in the variants' order (the control first, then in order of appearance); equal when null. */
  weights: number[] | null;
  /** The quantile of a quantile analysis (0.95 = P95). */
  quantile: number;
}

/** The threshold below which the split of users is called broken, and the users each variant needs before it is checked. */
export const SRM_ALPHA = 0.001;
export const SRM_MIN_USERS = 8;

/** Thrown when the samples cannot be analysed as asked (one variant, an unknown control, weights that do not fit). */
export class AnalysisInputError extends Error {
  constructor(
    readonly field: "control" | "weights" | "metric",
    message: string,
  ) {
    super(message);
  }
}

/** Per-variant values of one metric and distinct users, in the order variants first appear. */
export class MetricSamples {
  private byVariant = new Map<string, VariantSamples>();
  rows = 0;
  withoutValue = 0;

  /** One interaction: its variant, its user and its value (null when it has none for this metric). */
  add(variant: string, user: string, value: number | null): void {
    let v = this.byVariant.get(variant);
    if (!v) {
      v = { values: new GrowableFloat64Array(), users: new DistinctUsers(), rows: 0 };
      this.byVariant.set(variant, v);
    }
    this.rows++;
    v.rows++;
    v.users.add(user);
    if (value === null) this.withoutValue++;
    else v.values.push(value);
  }

  variants(): string[] {
    return [...this.byVariant.keys()];
  }

  /** Sorts each variant's values in place and analyses them (see the file's head). */
  analyse(options: AnalysisOptions): MetricAnalysis {
    const seen = this.variants();
    const withValues = seen.filter((v) => this.byVariant.get(v)!.values.length > 0);
    if (withValues.length === 0) throw new AnalysisInputError("metric", `no interaction has a value for ${options.metric}`);
    if (withValues.length < 2) {
      throw new AnalysisInputError(
        "metric",
        `only variant ${withValues[0]} has values for ${options.metric}; a comparison needs at least two variants`,
      );
    }
    const control = options.control ?? seen[0];
    if (!this.byVariant.has(control)) {
      throw new AnalysisInputError("control", `no variant is called "${control}"; the variants are ${seen.join(", ")}`);
    }
    const order = [control, ...seen.filter((v) => v !== control)];
    const sorted = new Map(order.map((v) => [v, this.byVariant.get(v)!.values.values().sort()]));
    const q = options.kind === "quantile" ? options.quantile : null;
    const arms = order.map((variant) => armSummary(variant, sorted.get(variant)!, q));
    const ranks: RankSummary[] = order.slice(1).map((v) => rankSummaryFromSorted(sorted.get(control)!, sorted.get(v)!, v));
    const comparisons = adjustPValues(
      compareMetric({ kind: options.kind, control, arms, ranks, alpha: options.alpha }),
      options.correction,
      options.alpha,
    );
    const users = order.map((v) => this.byVariant.get(v)!.users.count());
    const variants = arms.map((a, i): VariantResult => ({
      variant: a.variant,
      n: a.n,
      mean: a.mean,
      sd: a.sd,
      p50: a.p50,
      p95: a.p95,
      p99: a.p99,
      users: users[i],
      rows: this.byVariant.get(a.variant)!.rows,
      ...(a.quantile ? { quantile: a.quantile } : {}),
    }));
    return {
      metric: options.metric,
      kind: options.kind,
      control,
      variants,
      comparisons,
      srm: sampleRatio(users, options.weights),
      alpha: options.alpha,
      correction: options.correction,
      quantile: q,
      rows: this.rows,
      withoutValue: this.withoutValue,
    };
  }
}

/** n, mean and sd (two passes over the values, for accuracy), numpy-linear percentiles and, for a quantile metric, its interval. */
function armSummary(variant: string, x: Float64Array, q: number | null): ArmSummary {
  const n = x.length;
  if (n === 0) return { variant, n, mean: null, sd: null, p50: null, p95: null, p99: null };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - mean) * (x[i] - mean);
  return {
    variant,
    n,
    mean,
    sd: n > 1 ? Math.sqrt(ss / (n - 1)) : null,
    p50: quantileSorted(x, 0.5),
    p95: quantileSorted(x, 0.95),
    p99: quantileSorted(x, 0.99),
    ...(q !== null ? { quantile: quantileSummary(x, q) } : {}),
  };
}

function sampleRatio(users: number[], weights: number[] | null): SampleRatio | null {
  const shares = weights ?? users.map(() => 1 / users.length);
  if (shares.length !== users.length) {
    throw new AnalysisInputError(
      "weights",
      `${shares.length} weights were given for ${users.length} variants; give one per variant, the control first`,
    );
  }
  if (users.some((u) => u < SRM_MIN_USERS)) return null;
  const total = shares.reduce((s, w) => s + w, 0);
  const r = chiSquareGoodnessOfFit(users, shares);
  return { chi2: r.statistic, df: r.df, pValue: r.pValue, flag: r.pValue < SRM_ALPHA, weights: shares.map((w) => w / total) };
}
