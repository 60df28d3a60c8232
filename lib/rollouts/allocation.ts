// Thompson sampling as an experiment's allocation mode: the worker (job allocationUpdate, queued at each heartbeat)
// recomputes a THOMPSON experiment's weights at most every ASSAY_ALLOCATION_SECONDS from the results engine's aggregates
// of its goal metric (Beta-Bernoulli for a proportion, a normal model for a mean: lib/rollouts/thompson.ts), with the
// experiment's floor and minimum per variant, and applies them through the traffic controls, so users already assigned
// keep their variant and only new users follow the new split. Each recomputation is kept (AllocationUpdate) for the
// weight-history chart; each change of split is in the audit trail as the traffic controls record it.
import type { Identity } from "@/lib/auth/identity";
import { auditExperiment } from "@/lib/db/audit";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { computeResults } from "@/lib/results/service";
import type { MetricResult } from "@/lib/results/types";
import { updateTrafficControls } from "@/lib/traffic/control";
import type { AllocationRequest } from "@/lib/validation/allocation";
import { fieldIssuesError } from "@/lib/validation/issues";
import { probabilityBest, seededUniform, applyFloor, type ArmStats } from "./thompson";

/** Who the audit trail names for a split the worker set. */
export const ALLOCATION_IDENTITY: Identity = { via: "session", userId: null, email: null, name: "Adaptive allocation", role: "ADMIN" };

/**
 * Shares (summing to 1) as whole hundredths of a percent summing to exactly 100 (largest remainder), so the traffic
 * controls accept them; a share at or above the floor never rounds below it, since the floor is a whole number of hundredths.
 */
export function percentWeights(keys: readonly string[], shares: readonly number[]): Record<string, number> {
  const raw = shares.map((s) => s * 10_000);
  const units = raw.map(Math.floor);
  let left = 10_000 - units.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let j = 0; left > 0; j = (j + 1) % order.length, left--) units[order[j][1]]++;
  return Object.fromEntries(keys.map((k, i) => [k, units[i] / 100]));
}

/** A goal metric's arms for Thompson, in `keys` order: a DECREASE metric is turned round, since Thompson seeks the largest. */
export function armStatsOf(metric: MetricResult, keys: readonly string[]): ArmStats[] {
  const down = metric.direction === "DECREASE" || metric.direction === "decrease";
  return keys.map((k) => {
    const v = metric.variants.find((x) => x.variant === k);
    const n = v?.n ?? 0;
    const mean = v?.mean ?? 0;
    if (metric.kind === "PROPORTION") {
      const successes = Math.round((down ? 1 - mean : mean) * n);
      return { kind: "proportion", n, successes };
    }
    return { kind: "mean", n, mean: down ? -mean : mean, variance: (v?.sd ?? 0) ** 2 };
  });
}

export interface AllocationView {
  experiment: string;
  mode: "FIXED" | "THOMPSON";
  floor: number;
  minPerArm: number;
  /** The goal metric Thompson optimises (the plan's metric, else the first goal); null, with why, when it cannot. */
  goal: { metric: string; kind: string; direction: string } | null;
  goalProblem: string | null;
  lastCheckedAt: string | null;
  /** Oldest first (at most the latest 500). */
  history: {
    at: string;
    weights: Record<string, number>;
    pBest: Record<string, number> | null;
    units: Record<string, number>;
    reason: string;
  }[];
}

async function load(key: string) {
  const e = await db().experiment.findUnique({
    where: { key },
    include: { metrics: { orderBy: { position: "asc" } }, variants: { orderBy: { position: "asc" } }, ramp: true },
  });
  if (!e) throw new AppError("NOT_FOUND", `No experiment has the key "${key}".`);
  return e;
}

function goalOf(e: Awaited<ReturnType<typeof load>>): { goal: AllocationView["goal"]; problem: string | null } {
  const named = (e.plan as { metricName?: unknown } | null)?.metricName;
  const m = typeof named === "string" && named ? e.metrics.find((x) => x.name === named) : e.metrics.find((x) => x.role === "GOAL");
  if (!m) return { goal: null, problem: "The scorecard has no goal metric for the allocation to favour." };
  if (m.kind === "QUANTILE")
    return { goal: null, problem: `The goal ${m.name} is a quantile; adaptive allocation needs a mean or a proportion as its goal.` };
  return { goal: { metric: m.name, kind: m.kind, direction: m.direction }, problem: null };
}

export async function getAllocation(key: string): Promise<AllocationView> {
  const e = await load(key);
  const { goal, problem } = goalOf(e);
  const rows = await db().allocationUpdate.findMany({ where: { experimentId: e.id }, orderBy: { createdAt: "desc" }, take: 500 });
  return {
    experiment: e.key,
    mode: e.allocation,
    floor: e.banditFloor,
    minPerArm: e.banditMinPerArm,
    goal,
    goalProblem: problem,
    lastCheckedAt: e.banditCheckedAt?.toISOString() ?? null,
    history: rows.reverse().map((r) => ({
      at: r.createdAt.toISOString(),
      weights: r.weights as Record<string, number>,
      pBest: (r.pBest as Record<string, number> | null) ?? null,
      units: r.units as Record<string, number>,
      reason: r.reason,
    })),
  };
}

/** Switches the allocation mode (and Thompson's floor and minimum); audited. Going back to FIXED keeps the split as it is. */
export async function setAllocation(identity: Identity, key: string, input: AllocationRequest): Promise<AllocationView> {
  const e = await load(key);
  if (e.status === "STOPPED" || e.status === "DECIDED")
    throw new AppError("CONFLICT", `"${key}" has stopped: its allocation can no longer change.`);
  const mode = input.mode === "thompson" ? ("THOMPSON" as const) : ("FIXED" as const);
  if (mode === "THOMPSON") {
    const { problem } = goalOf(e);
    if (problem) throw new AppError("CONFLICT", problem);
    if (e.ramp && (e.ramp.state === "RAMPING" || e.ramp.state === "HELD"))
      throw new AppError("CONFLICT", `"${key}" has a ramp under way: finish or roll back the ramp before the allocation adapts.`);
    const floor = input.floor ?? e.banditFloor;
    if (floor * e.variants.length > 1)
      throw fieldIssuesError([
        {
          field: "floor",
          message: `floor ${floor} for each of ${e.variants.length} variants is over 100% in all: use at most ${Math.floor(10_000 / e.variants.length) / 10_000}`,
        },
      ]);
  }
  const data = {
    allocation: mode,
    ...(input.floor !== undefined ? { banditFloor: input.floor } : {}),
    ...(input.minPerArm !== undefined ? { banditMinPerArm: input.minPerArm } : {}),
    banditCheckedAt: null,
  };
  await db().$transaction(async (tx) => {
    await tx.experiment.update({ where: { id: e.id }, data });
    await auditExperiment(
      identity,
      e.id,
      "allocation.mode",
      { mode, floor: input.floor ?? e.banditFloor, minPerArm: input.minPerArm ?? e.banditMinPerArm },
      tx,
    );
  });
  return getAllocation(key);
}

/** Recomputes every THOMPSON experiment that is running and due; returns what it set, per experiment. */
export async function runAllocationUpdates(
  now = new Date(),
): Promise<{ experiment: string; weights?: Record<string, number>; reason: string }[]> {
  const dueBefore = new Date(now.getTime() - env().ASSAY_ALLOCATION_SECONDS * 1000);
  const due = await db().experiment.findMany({
    where: {
      allocation: "THOMPSON",
      status: "RUNNING",
      archivedAt: null,
      OR: [{ banditCheckedAt: null }, { banditCheckedAt: { lt: dueBefore } }],
    },
    select: { id: true, key: true },
    take: 100,
  });
  const done: { experiment: string; weights?: Record<string, number>; reason: string }[] = [];
  for (const d of due) {
    const outcome = await updateOne(d.id, d.key, now).catch((err: unknown) => ({
      reason: `the update failed: ${err instanceof Error ? err.message : String(err)}`,
    }));
    if (outcome) done.push({ experiment: d.key, ...outcome });
  }
  return done;
}

async function updateOne(
  experimentId: string,
  key: string,
  now: Date,
): Promise<{ weights?: Record<string, number>; reason: string } | null> {
  // One updater per experiment at a time, across workers (the same pattern as the ramp check: lib/rollouts/rampJob.ts).
  return db().$transaction(
    async (tx) => {
      const [{ locked }] = await tx.$queryRaw<
        { locked: boolean }[]
      >`SELECT pg_try_advisory_xact_lock(hashtext(${`allocation:${experimentId}`})) AS locked`;
      if (!locked) return null;
      const e = await load(key);
      if (e.allocation !== "THOMPSON" || e.status !== "RUNNING") return null;
      const { goal, problem } = goalOf(e);
      const keys = e.variants.map((v) => v.key);
      const mark = () => db().experiment.update({ where: { id: e.id }, data: { banditCheckedAt: now } });
      if (!goal) {
        await mark();
        return { reason: problem ?? "no goal" };
      }
      if (e.ramp && (e.ramp.state === "RAMPING" || e.ramp.state === "HELD")) {
        await mark();
        return { reason: "a ramp is under way: the split is the ramp's" };
      }
      const results = await computeResults(key);
      const metric = results.metrics.find((m) => m.metric === goal.metric);
      const arms = metric ? armStatsOf(metric, keys) : keys.map((): ArmStats => ({ kind: "proportion", n: 0, successes: 0 }));
      const units = Object.fromEntries(keys.map((k, i) => [k, arms[i].n]));
      let shares: number[];
      let pBest: Record<string, number> | null = null;
      let reason: string;
      const short = keys.filter((_, i) => arms[i].n < e.banditMinPerArm);
      if (short.length) {
        shares = keys.map(() => 1 / keys.length);
        reason = `an equal split until every variant has ${e.banditMinPerArm} units (${short.join(", ")} ${short.length === 1 ? "has" : "have"} fewer)`;
      } else {
        // Seeded by the experiment and the units seen, so a recomputation on the same data gives the same weights.
        const seed = [...`${key}:${arms.map((a) => a.n).join(",")}`].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);
        const p = probabilityBest(arms, 10_000, seededUniform(seed));
        pBest = Object.fromEntries(keys.map((k, i) => [k, p[i]]));
        shares = applyFloor(p, e.banditFloor);
        const best = keys[p.indexOf(Math.max(...p))];
        reason = `P(best) from ${goal.metric}: ${keys.map((k, i) => `${k} ${(p[i] * 100).toFixed(1)}%`).join(", ")}; ${best} leads`;
      }
      const weights = percentWeights(keys, shares);
      const current = Object.fromEntries(e.variants.map((v) => [v.key, v.weight]));
      const changed = keys.some((k) => Math.abs((current[k] ?? 0) - weights[k]) > 1e-9);
      // The split is applied on the traffic controls' own transaction before this one writes the experiment's row.
      if (changed) await updateTrafficControls(ALLOCATION_IDENTITY, key, { weights });
      await tx.allocationUpdate.create({
        data: {
          experimentId: e.id,
          weights: weights as Prisma.InputJsonValue,
          pBest: pBest === null ? undefined : (pBest as Prisma.InputJsonValue),
          units: units as Prisma.InputJsonValue,
          reason: changed ? reason : `${reason} (split unchanged)`,
        },
      });
      await mark();
      return { weights, reason };
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}
