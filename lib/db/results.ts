// The results engine's SQL: every aggregate an experiment's results need, computed by PostgreSQL over the interaction
// rows (never loaded into Node). One scan gives each variant's totals and, for every metric, n / mean / sd and the
// percentiles (percentile_cont interpolates linearly, as numpy's default); quantile metrics get a second pass for the
// order statistics of their confidence interval and the Mann-Whitney rank sums against the control; a third groups
// the metrics by time bucket for the charts.
import { db } from "./client";
import { metricValueSql } from "./interactions";
import { analysisPool } from "@/lib/dataPlane/pool";
import { Prisma } from "@/lib/generated/prisma/client";
import type { MetricSource } from "@/lib/generated/prisma/enums";

export interface ResultsMetricSpec {
  source: MetricSource;
  field: string;
  /** A normalised score reads value / divisor (a 1-5 judge score as a rate: divisor 5). */
  divisor?: number;
}

export interface ResultsScope {
  experimentId: string;
  /** Users left out of the analysis (QA overrides). */
  excludedUsers: string[];
}

export interface MetricAggregate {
  n: number;
  mean: number | null;
  sd: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface VariantAggregate {
  variantId: string;
  interactions: number;
  errors: number;
  costN: number;
  costMean: number | null;
  metrics: MetricAggregate[];
}

export function scopeConditions(scope: ResultsScope): Prisma.Sql {
  const conditions = [Prisma.sql`i."experimentId" = ${scope.experimentId}`];
  if (scope.excludedUsers.length > 0) conditions.push(Prisma.sql`NOT (i."userId" = ANY(${scope.excludedUsers}::text[]))`);
  return Prisma.join(conditions, " AND ");
}

/** A metric's value for the analysis: failed calls (an upstream error) carry no metric value. */
export function analysedValue(metric: ResultsMetricSpec): Prisma.Sql {
  const value = metric.divisor ? Prisma.sql`(${metricValueSql(metric)}) / ${metric.divisor}::float8` : metricValueSql(metric);
  return Prisma.sql`CASE WHEN i."error" IS NULL THEN ${value} END`;
}

type Row = Record<string, unknown>;

/** Runs one aggregate query on the analysis connections (room to sort in memory; see analysisPool). */
export async function aggregate<T = Row>(query: Prisma.Sql): Promise<T[]> {
  const result = await analysisPool().query(query.text, query.values as unknown[]);
  return result.rows as T[];
}
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Per variant: interactions, failures, cost, and every metric's n, mean, sd, P50/P95/P99, in one scan. */
export async function variantAggregates(scope: ResultsScope, metrics: ResultsMetricSpec[]): Promise<VariantAggregate[]> {
  const values = metrics.map((m, k) => Prisma.sql`${analysedValue(m)} AS ${Prisma.raw(`m${k}`)}`);
  const aggregates = metrics.map((_, k) => {
    const m = Prisma.raw(`b.m${k}`);
    return Prisma.sql`count(${m})::int AS ${Prisma.raw(`n${k}`)}, avg(${m})::float8 AS ${Prisma.raw(`mean${k}`)},
      stddev_samp(${m})::float8 AS ${Prisma.raw(`sd${k}`)},
      percentile_cont(ARRAY[0.5, 0.95, 0.99]::float8[]) WITHIN GROUP (ORDER BY ${m}) AS ${Prisma.raw(`q${k}`)}`;
  });
  const rows = await aggregate(Prisma.sql`
    SELECT b.variant, count(*)::int AS interactions, count(b.err)::int AS errors,
      count(b.cost)::int AS cost_n, avg(b.cost)::float8 AS cost_mean
      ${aggregates.length ? Prisma.sql`, ${Prisma.join(aggregates, ", ")}` : Prisma.empty}
    FROM (
      SELECT i."variantId" AS variant, i."error" AS err, i."cost"::float8 AS cost
        ${values.length ? Prisma.sql`, ${Prisma.join(values, ", ")}` : Prisma.empty}
      FROM "Interaction" i WHERE ${scopeConditions(scope)}
    ) b
    GROUP BY b.variant`);
  return rows.map((r) => ({
    variantId: String(r.variant),
    interactions: Number(r.interactions),
    errors: Number(r.errors),
    costN: Number(r.cost_n),
    costMean: num(r.cost_mean),
    metrics: metrics.map((_, k) => {
      const q = (r[`q${k}`] as (number | null)[] | null) ?? [null, null, null];
      return { n: Number(r[`n${k}`]), mean: num(r[`mean${k}`]), sd: num(r[`sd${k}`]), p50: num(q[0]), p95: num(q[1]), p99: num(q[2]) };
    }),
  }));
}

/** Distinct users per variant (the sample-ratio check's units). */
export async function variantUsers(scope: ResultsScope): Promise<Map<string, number>> {
  const rows = await aggregate<{ variant: string; users: number }>(Prisma.sql`
    SELECT d.variant, count(*)::int AS users
    FROM (SELECT DISTINCT i."variantId" AS variant, i."userId" FROM "Interaction" i WHERE ${scopeConditions(scope)}) d
    GROUP BY d.variant`);
  return new Map(rows.map((r) => [r.variant, Number(r.users)]));
}

/**
 * The splits the experiment has had since it started, oldest first: each from its start (null: the beginning) with its
 * weights by variant key, from the traffic controls' audit events (a person's change, a ramp's move, the adaptive
 * allocation). One entry when the split never changed.
 */
export async function splitHistory(
  experimentId: string,
  current: Record<string, number>,
): Promise<{ from: Date | null; weights: Record<string, number> }[]> {
  const events = await db().auditEvent.findMany({
    where: { experimentId, action: "traffic.weights" },
    orderBy: { createdAt: "asc" },
    select: { createdAt: true, details: true },
  });
  if (!events.length) return [{ from: null, weights: current }];
  const asWeights = (x: unknown) => (x && typeof x === "object" && !Array.isArray(x) ? (x as Record<string, number>) : null);
  const first = asWeights((events[0].details as { before?: unknown } | null)?.before) ?? current;
  return [
    { from: null, weights: first },
    ...events.map((e) => ({ from: e.createdAt, weights: asWeights((e.details as { after?: unknown } | null)?.after) ?? current })),
  ];
}

/**
 * Distinct users per variant and split period, a user counted in the period of their first interaction (when they
 * were assigned): what the sample-ratio check expects under a split that changed.
 */
export async function variantUsersByPeriod(
  scope: ResultsScope,
  cuts: Date[],
): Promise<{ variant: string; period: number; users: number }[]> {
  const periodOf = cuts.length
    ? Prisma.sql`(${Prisma.join(
        cuts.map((c) => Prisma.sql`(CASE WHEN d.first >= ${c} THEN 1 ELSE 0 END)`),
        " + ",
      )})`
    : Prisma.sql`0`;
  const rows = await aggregate<{ variant: string; period: number; users: number }>(Prisma.sql`
    SELECT d.variant, ${periodOf}::int AS period, count(*)::int AS users
    FROM (SELECT i."variantId" AS variant, i."userId", min(i."timestamp") AS first FROM "Interaction" i WHERE ${scopeConditions(scope)}
          GROUP BY i."variantId", i."userId") d
    GROUP BY 1, 2`);
  return rows.map((r) => ({ variant: r.variant, period: Number(r.period), users: Number(r.users) }));
}

export interface QuantilePass {
  /** Per variant id: the sample quantiles at its three requested levels (lower bound, the quantile, upper bound). */
  bounds: Map<string, { lower: number | null; value: number | null; upper: number | null }>;
  /** Per treatment variant id: Mann-Whitney U of the control sample against it, and the pooled tie term. */
  ranks: Map<string, { u: number; tieTerm: number }>;
}

/**
 * A quantile metric's second pass: each variant's sample quantiles at its own two levels (the order statistics of the
 * quantile's confidence interval), and, against the control, U = sum over control values x of (#treatment < x +
 * #treatment = x / 2), which is scipy's U1 for x = control, with the tie term sum (t^3 - t) over the pair's pooled ties.
 */
export async function quantilePass(
  scope: ResultsScope,
  metric: ResultsMetricSpec,
  controlId: string,
  levels: { variantId: string; levels: [number, number, number] }[],
): Promise<QuantilePass> {
  const treatments = levels.map((l) => l.variantId).filter((id) => id !== controlId);
  const clamp = (x: number) => Math.min(1, Math.max(0, x));
  const boundColumns = levels.map(
    (l, k) =>
      Prisma.sql`percentile_cont(${l.levels.map(clamp)}::float8[]) WITHIN GROUP (ORDER BY b.m)
        FILTER (WHERE b.variant = ${l.variantId}) AS ${Prisma.raw(`b${k}`)}`,
  );
  const counts = treatments.map((id, k) => Prisma.sql`count(*) FILTER (WHERE b.variant = ${id})::float8 AS ${Prisma.raw(`n${k}`)}`);
  const below = treatments.map(
    (_, k) =>
      Prisma.sql`${Prisma.raw(`n${k}`)}, sum(${Prisma.raw(`n${k}`)}) OVER (ORDER BY m) - ${Prisma.raw(`n${k}`)} AS ${Prisma.raw(`below${k}`)}`,
  );
  const sums = treatments.map((_, k) => {
    const [n, b] = [Prisma.raw(`w.n${k}`), Prisma.raw(`w.below${k}`)];
    return Prisma.sql`sum(w.nc * (${b} + 0.5 * ${n}))::float8 AS ${Prisma.raw(`u${k}`)},
      sum(power(w.nc + ${n}, 3) - (w.nc + ${n}))::float8 AS ${Prisma.raw(`tie${k}`)}`;
  });
  const rankQueries = treatments.length
    ? Prisma.sql`, g AS (SELECT b.m, count(*) FILTER (WHERE b.variant = ${controlId})::float8 AS nc, ${Prisma.join(counts, ", ")}
          FROM b GROUP BY b.m),
        w AS (SELECT nc, ${Prisma.join(below, ", ")} FROM g),
        r AS (SELECT ${Prisma.join(sums, ", ")} FROM w)`
    : Prisma.empty;
  const [boundsRow] = await aggregate(Prisma.sql`
    WITH b AS MATERIALIZED (
      SELECT x.variant, x.m FROM (
        SELECT i."variantId" AS variant, ${analysedValue(metric)} AS m FROM "Interaction" i WHERE ${scopeConditions(scope)}
      ) x WHERE x.m IS NOT NULL
    ),
    q AS (SELECT ${Prisma.join(boundColumns, ", ")} FROM b) ${rankQueries}
    SELECT * FROM q ${treatments.length ? Prisma.sql`, r` : Prisma.empty}`);
  const bounds = new Map(
    levels.map((l, k) => {
      const q = (boundsRow?.[`b${k}`] as (number | null)[] | null) ?? [null, null, null];
      return [l.variantId, { lower: num(q[0]), value: num(q[1]), upper: num(q[2]) }] as const;
    }),
  );
  const ranks = new Map(
    treatments.map((id, k) => [id, { u: Number(boundsRow?.[`u${k}`] ?? 0), tieTerm: Number(boundsRow?.[`tie${k}`] ?? 0) }] as const),
  );
  return { bounds, ranks };
}

export interface TimeBucket {
  start: Date;
  variantId: string;
  /** Per metric: values counted and their sum in this bucket (cumulative means are built from them). */
  n: number[];
  sum: number[];
}

/** Per time bucket and variant, each (mean or proportion) metric's count and sum: the data of the metric-over-time chart. */
export async function metricBuckets(scope: ResultsScope, metrics: ResultsMetricSpec[], bucket: "hour" | "day"): Promise<TimeBucket[]> {
  if (metrics.length === 0) return [];
  const values = metrics.map((m, k) => Prisma.sql`${analysedValue(m)} AS ${Prisma.raw(`m${k}`)}`);
  const aggregates = metrics.map(
    (_, k) =>
      Prisma.sql`count(b.${Prisma.raw(`m${k}`)})::int AS ${Prisma.raw(`n${k}`)}, coalesce(sum(b.${Prisma.raw(`m${k}`)}), 0)::float8 AS ${Prisma.raw(`s${k}`)}`,
  );
  const rows = await aggregate(Prisma.sql`
    SELECT b.t, b.variant, ${Prisma.join(aggregates, ", ")}
    FROM (
      SELECT date_trunc(${bucket}, i."timestamp") AS t, i."variantId" AS variant, ${Prisma.join(values, ", ")}
      FROM "Interaction" i WHERE ${scopeConditions(scope)}
    ) b
    GROUP BY b.t, b.variant ORDER BY b.t`);
  return rows.map((r) => ({
    start: r.t as Date,
    variantId: String(r.variant),
    n: metrics.map((_, k) => Number(r[`n${k}`])),
    sum: metrics.map((_, k) => Number(r[`s${k}`])),
  }));
}
