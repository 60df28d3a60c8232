// CUPED's SQL: a pre-exposure covariate per user, logged as the reserved `metrics` key pre_<field> of the metric it
// adjusts (pre_helpfulness for helpfulness, pre_latency_ms for latency_ms), averaged over the user's interactions;
// then, per variant, over the same interactions the metric's n counts, the covariate's mean and sd and the sample
// covariance of (metric, covariate). A user with no logged covariate counts as the mean of the logged ones over those
// interactions (a constant: the adjustment stays unbiased, and leaves that user's values as they are; counting them as 0
// would make theta chase the gap between 0 and the mean). Computed by PostgreSQL, never in Node.
import { Prisma } from "@/lib/generated/prisma/client";
import { metricValueSql } from "./interactions";
import { aggregate, analysedValue, scopeConditions, type ResultsMetricSpec, type ResultsScope } from "./results";

/** The reserved `metrics` key that carries a metric's pre-exposure covariate. */
export const covariateKey = (field: string) => `pre_${field}`;

export interface CovariateAggregate {
  /** Interactions with a value of the metric (the metric's own n). */
  n: number;
  /** Of those, how many belong to a user with a logged covariate. */
  covered: number;
  mean: number;
  sd: number;
  /** Sample covariance (n - 1) of the metric and the covariate. */
  covariance: number;
}

/**
 * Per metric (null: not adjusted), per variant id: the covariate's aggregates; null for a metric whose covariate no
 * interaction in scope logs. One cheap existence check for all the keys, then one scan per metric that has one.
 */
export async function metricCovariates(
  scope: ResultsScope,
  metrics: (ResultsMetricSpec | null)[],
): Promise<(Map<string, CovariateAggregate> | null)[]> {
  const wanted = metrics.flatMap((m, k) => (m ? [{ m, k, key: covariateKey(m.field) }] : []));
  if (wanted.length === 0) return metrics.map(() => null);
  const checks = wanted.map(
    (w, j) =>
      Prisma.sql`EXISTS (SELECT 1 FROM "Interaction" i WHERE ${scopeConditions(scope)} AND i."customMetrics" ? ${w.key}) AS ${Prisma.raw(`h${j}`)}`,
  );
  const [logged] = await aggregate(Prisma.sql`SELECT ${Prisma.join(checks, ", ")}`);
  const out: (Map<string, CovariateAggregate> | null)[] = metrics.map(() => null);
  await Promise.all(
    wanted.map(async (w, j) => {
      if (!logged?.[`h${j}`]) return;
      const x = metricValueSql({ source: "CUSTOM_VALUE", field: w.key });
      const rows = await aggregate(Prisma.sql`
        WITH pre AS (
          SELECT i."userId" AS u, avg(${x})::float8 AS x
          FROM "Interaction" i WHERE ${scopeConditions(scope)} AND i."customMetrics" ? ${w.key}
          GROUP BY i."userId"
        ),
        b AS (
          SELECT i."variantId" AS variant, i."userId" AS u, ${analysedValue(w.m)} AS y
          FROM "Interaction" i WHERE ${scopeConditions(scope)}
        ),
        j AS (SELECT b.variant, b.y, pre.x FROM b LEFT JOIN pre ON pre.u = b.u WHERE b.y IS NOT NULL),
        m AS (SELECT avg(j.x) AS mx FROM j)
        SELECT j.variant, count(*)::int AS n, count(j.x)::int AS covered,
          avg(coalesce(j.x, m.mx))::float8 AS mean, stddev_samp(coalesce(j.x, m.mx))::float8 AS sd,
          covar_samp(j.y, coalesce(j.x, m.mx))::float8 AS covariance
        FROM j CROSS JOIN m
        GROUP BY j.variant`);
      out[w.k] = new Map(
        rows.map((r) => [
          String(r.variant),
          {
            n: Number(r.n),
            covered: Number(r.covered),
            mean: Number(r.mean),
            sd: Number(r.sd ?? 0),
            covariance: Number(r.covariance ?? 0),
          },
        ]),
      );
    }),
  );
  return out;
}
