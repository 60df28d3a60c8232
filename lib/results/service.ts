// An experiment's results: every scorecard metric per variant from SQL aggregates (lib/db/results.ts), each treatment
// compared with the control by lib/stats/compare.ts, p-values corrected across metrics x treatments, the sample-ratio
// check of users per variant, the sample so far against the plan, and each metric over time. Results are cached per
// experiment and recomputed only when its interactions, judge scores or design changed (lib/results/cache.ts).
import { AppError } from "@/lib/errors";
import { getExperimentDetail } from "@/lib/experiments/service";
import {
  metricBuckets,
  quantilePass,
  splitHistory,
  variantAggregates,
  variantUsers,
  variantUsersByPeriod,
  type ResultsScope,
} from "@/lib/db/results";
import { resultsCacheKey } from "@/lib/db/resultsVersion";
import { compareMetric, adjustPValues } from "@/lib/stats/compare";
import type { AnalysisKind, ArmSummary, Correction } from "@/lib/stats/compare.types";
import { chiSquareGoodnessOfFit } from "@/lib/stats/chiSquare";
import { PLAN_DEFAULTS } from "@/lib/stats/power";
import normal from "@stdlib/stats-base-dists-normal";
import { cachedResults } from "./cache";
import { resultsCovariates } from "./cuped";
import type { ExperimentResults, MetricResult, SampleProgress, TimelineSeries, VariantTotals } from "./types";

/** Users per variant before the sample-ratio check is computed (fewer make its chi-square meaningless). */
export const SRM_MIN_USERS = 8;
/** p below which the split of users is called broken. */
export const SRM_ALPHA = 0.001;
const CORRECTIONS: readonly Correction[] = ["holm", "bh", "none"];

const KIND: Record<string, AnalysisKind> = { MEAN: "mean", PROPORTION: "proportion", QUANTILE: "quantile" };

/** Results of the experiment with this key (cached until its data or design changes). */
export async function experimentResults(key: string): Promise<ExperimentResults> {
  const cacheKey = await resultsCacheKey(key);
  if (!cacheKey) throw new AppError("NOT_FOUND", `No experiment has the key "${key}".`);
  return cachedResults(cacheKey, () => computeResults(key));
}

/**
 * The results computed afresh, bypassing the cache (the benchmark's cold figure). `sequential: true` asks for peeking-safe
 * confidence sequences whatever the experiment's setting (the ramp's automatic check, which looks again and again); they
 * need the design's sample size plan, and `sequential` in the answer says whether they were given.
 */
export async function computeResults(key: string, opts: { sequential?: boolean } = {}): Promise<ExperimentResults> {
  const e = await getExperimentDetail(key);
  // Under adaptive allocation the split follows the data, so fixed-horizon p-values are biased: peeking-safe intervals instead.
  const adaptive = e.allocation === "THOMPSON";
  const sequentialAsked = opts.sequential ?? (e.sequential || adaptive);
  const control = e.variants.find((v) => v.isControl) ?? e.variants[0];
  const plan = e.plan && !("error" in e.plan) ? e.plan : null;
  const alpha = plan?.alpha ?? e.planSettings?.alpha ?? PLAN_DEFAULTS.alpha;
  const correction = (CORRECTIONS as readonly string[]).includes(e.correction) ? (e.correction as Correction) : "holm";
  const scope: ResultsScope = { experimentId: e.id, excludedUsers: e.forcedUsers };
  // A normalised score (a 1-5 score read as a rate) divides by its scale's top, as the plan reads it.
  const specs = e.metrics.map((m) => ({
    source: m.source,
    field: m.field || m.name,
    divisor: m.kind === "PROPORTION" && m.scale ? m.scale.max : undefined,
  }));
  const bucket = timelineBucket(e.startedAt);
  const timed = e.metrics.map((m, k) => ({ m, k })).filter(({ m }) => m.kind !== "QUANTILE");

  const [aggregates, users, buckets, covariates] = await Promise.all([
    variantAggregates(scope, specs),
    variantUsers(scope),
    metricBuckets(
      scope,
      timed.map(({ k }) => specs[k]),
      bucket,
    ),
    resultsCovariates(scope, e.metrics, specs),
  ]);
  const byId = new Map(aggregates.map((a) => [a.variantId, a]));
  const empty = { n: 0, mean: null, sd: null, p50: null, p95: null, p99: null };
  const z = normal.quantile(1 - alpha / 2, 0, 1);

  // Quantile metrics: the order statistics of each arm's quantile CI and the Mann-Whitney rank sums, in parallel.
  const quantilePasses = await Promise.all(
    e.metrics.map(async (m, k) => {
      if (m.kind !== "QUANTILE") return null;
      const q = m.quantile ?? 0.95;
      const levels = e.variants.map((v) => {
        const n = byId.get(v.id)?.metrics[k].n ?? 0;
        const half = n > 0 ? z * Math.sqrt((q * (1 - q)) / n) : 0;
        return { variantId: v.id, levels: [q - half, q, q + half] as [number, number, number] };
      });
      return quantilePass(scope, specs[k], control.id, levels);
    }),
  );

  const metrics: MetricResult[] = e.metrics.map((m, k) => {
    const kind = KIND[m.kind];
    const pass = quantilePasses[k];
    const arms: ArmSummary[] = e.variants.map((v) => {
      const a = byId.get(v.id)?.metrics[k] ?? empty;
      const arm: ArmSummary = { variant: v.key, ...a, ...covariates.armCovariate(k, v.id) };
      const b = pass?.bounds.get(v.id);
      if (b && b.value !== null && b.lower !== null && b.upper !== null)
        arm.quantile = { q: m.quantile ?? 0.95, value: b.value, lower: b.lower, upper: b.upper };
      return arm;
    });
    const ranks = pass
      ? e.variants.flatMap((v) => {
          const r = pass.ranks.get(v.id);
          return r && v.id !== control.id ? [{ variant: v.key, ...r }] : [];
        })
      : undefined;
    const guardrail = m.role === "GUARDRAIL" && m.nonInferiorityMargin != null;
    const comparisons = compareMetric({
      kind,
      control: control.key,
      arms,
      ranks,
      alpha,
      direction: m.direction === "DECREASE" ? "decrease" : "increase",
      margin: guardrail ? m.nonInferiorityMargin : null,
      marginAbsolute: m.mdeAbsolute,
      sequential: sequentialAsked && plan ? { nStar: plan.duration.perVariant } : null,
    });
    return {
      metric: m.name,
      role: m.role,
      kind: m.kind,
      field: m.field || m.name,
      direction: m.direction,
      quantile: m.kind === "QUANTILE" ? (m.quantile ?? 0.95) : null,
      mde: m.mde,
      mdeAbsolute: m.mdeAbsolute,
      margin: m.nonInferiorityMargin ?? null,
      marginAbsolute: m.mdeAbsolute,
      variants: arms.map(({ variant, n, mean, sd, p50, p95, p99 }) => ({ variant, n, mean, sd, p50, p95, p99 })),
      comparisons,
      cuped: covariates.summary(k, arms, control.key),
    };
  });
  adjustPValues(
    metrics.map((m) => m.comparisons),
    correction,
    alpha,
  );

  const weightTotal = e.variants.reduce((s, v) => s + v.weight, 0) || 1;
  const variants: VariantTotals[] = e.variants.map((v) => {
    const a = byId.get(v.id);
    return {
      variant: v.key,
      name: v.name,
      isControl: v.id === control.id,
      weight: v.weight / weightTotal,
      interactions: a?.interactions ?? 0,
      users: users.get(v.id) ?? 0,
      errorRate: a && a.interactions > 0 ? a.errors / a.interactions : null,
      costPer1k: a?.costMean != null ? a.costMean * 1000 : null,
    };
  });

  const arms = variants.filter((v) => v.weight > 0);
  const expectedShares = await expectedUserShares(
    scope,
    e.id,
    e.variants,
    arms.map((v) => v.variant),
  );
  const srm =
    arms.length >= 2 && arms.every((v) => v.users >= SRM_MIN_USERS)
      ? (() => {
          const r = chiSquareGoodnessOfFit(
            arms.map((v) => v.users),
            expectedShares ?? arms.map((v) => v.weight),
          );
          return { chi2: r.statistic, df: r.df, pValue: r.pValue, flag: r.pValue < SRM_ALPHA };
        })()
      : null;

  const unitUsers = (plan?.unit ?? e.planSettings?.unit) === "users";
  const current = arms.length ? Math.min(...arms.map((v) => (unitUsers ? v.users : v.interactions))) : 0;
  const sample = sampleProgress(plan?.duration.perVariant ?? null, current, e.startedAt, e.status === "RUNNING");

  return {
    experiment: e.key,
    control: control.key,
    status: e.status,
    computedAt: new Date().toISOString(),
    alpha,
    correction,
    sequential: opts.sequential !== undefined || (adaptive && !e.sequential) ? Boolean(sequentialAsked && plan) : e.sequential,
    adaptive,
    variants,
    srm,
    sample,
    metrics,
    timeline: timeline(
      bucket,
      buckets,
      timed.map(({ m }) => m.name),
      e.variants.map((v) => ({ id: v.id, key: v.key })),
    ),
  };
}

/** Hours for an experiment younger than three days, days after. */
function timelineBucket(startedAt: Date | null): "hour" | "day" {
  return startedAt && Date.now() - startedAt.getTime() < 3 * 86_400_000 ? "hour" : "day";
}

/** The sample so far against the plan, and when the plan's sample is expected at the pace since the start. */
export function sampleProgress(
  planned: number | null,
  current: number,
  startedAt: Date | null,
  running: boolean,
  now = Date.now(),
): SampleProgress {
  const fraction = planned ? Math.min(1, current / planned) : null;
  let eta: string | null = null;
  if (planned && running && startedAt && current > 0 && current < planned) {
    const elapsed = now - startedAt.getTime();
    if (elapsed > 0) eta = new Date(now + ((planned - current) * elapsed) / current).toISOString();
  }
  return { plannedPerVariant: planned, currentPerVariant: current, fraction, eta };
}

/** Each metric's cumulative mean per variant at the end of each bucket. */
function timeline(
  bucket: "hour" | "day",
  rows: Awaited<ReturnType<typeof metricBuckets>>,
  names: string[],
  variants: { id: string; key: string }[],
): TimelineSeries {
  const key = new Map(variants.map((v) => [v.id, v.key]));
  const byStart = new Map<number, typeof rows>();
  for (const r of rows) {
    const t = r.start.getTime();
    byStart.set(t, [...(byStart.get(t) ?? []), r]);
  }
  const starts = [...byStart.keys()].sort((a, b) => a - b);
  const metrics = names.map((metric, k) => {
    const running = new Map<string, { n: number; sum: number }>();
    const points = starts.map((t) => {
      for (const r of byStart.get(t)!) {
        const v = key.get(r.variantId);
        if (!v) continue;
        const acc = running.get(v) ?? { n: 0, sum: 0 };
        acc.n += r.n[k];
        acc.sum += r.sum[k];
        running.set(v, acc);
      }
      const values: Record<string, number | null> = {};
      for (const v of variants) {
        const acc = running.get(v.key);
        values[v.key] = acc && acc.n > 0 ? acc.sum / acc.n : null;
      }
      return { t: new Date(t).toISOString(), values };
    });
    return { metric, points };
  });
  return { bucket, metrics };
}

/**
 * What share of users each arm should have when the split changed while the test ran (a ramp, the adaptive allocation,
 * a person): each user expected at the split in force at their first interaction, summed; null when it never changed
 * (the current weights are then the expectation).
 */
async function expectedUserShares(
  scope: ResultsScope,
  experimentId: string,
  variants: { key: string; weight: number }[],
  armKeys: string[],
): Promise<number[] | null> {
  const history = await splitHistory(experimentId, Object.fromEntries(variants.map((v) => [v.key, v.weight])));
  if (history.length < 2) return null;
  const rows = await variantUsersByPeriod(
    scope,
    history.slice(1).map((h) => h.from!),
  );
  const perPeriod = history.map((_, p) => rows.filter((r) => r.period === p).reduce((s, r) => s + r.users, 0));
  const share = (w: Record<string, number>, key: string) => {
    const total = armKeys.reduce((s, k) => s + (w[k] ?? 0), 0);
    return total > 0 ? (w[key] ?? 0) / total : 0;
  };
  const expected = armKeys.map((k) => perPeriod.reduce((s, n, p) => s + n * share(history[p].weights, k), 0));
  return expected.some((x) => x > 0) ? expected : null;
}
