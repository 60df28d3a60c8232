// Traffic controls of an experiment: weights and coverage (which apply to new users only: kept assignments stay),
// QA overrides, the kill switch and targeting. Every change is one transaction with an audit event naming who made it.
import type { Identity } from "@/lib/auth/identity";
import { actorLabel } from "@/lib/auth/identity";
import { appendAuditEvent } from "@/lib/db/audit";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { TargetingCondition } from "@/lib/assignment";
import { fieldIssuesError, type FieldIssue } from "@/lib/validation/issues";
import type { TrafficChange } from "@/lib/validation/traffic";

export interface TrafficControls {
  experiment: string;
  status: string;
  coverage: number;
  weights: Record<string, number>;
  control: string;
  variants: { key: string; name: string; isControl: boolean }[];
  forcedVariants: Record<string, string>;
  killSwitch: { on: boolean; variant: string | null };
  targeting: TargetingCondition[];
  /** Users with a kept variant: they stay in it whatever the weights become. */
  assignedUsers: number;
}

async function load(key: string) {
  const e = await db().experiment.findUnique({ where: { key }, include: { variants: { orderBy: { position: "asc" } } } });
  if (!e) throw new AppError("NOT_FOUND", `No experiment has the key "${key}".`);
  return e;
}

function asRecord(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** The experiment's traffic controls as they are now. */
export async function getTrafficControls(key: string): Promise<TrafficControls> {
  const e = await load(key);
  const assignedUsers = await db().assignment.count({ where: { experimentId: e.id } });
  return {
    experiment: e.key,
    status: e.status,
    coverage: e.coverage,
    weights: Object.fromEntries(e.variants.map((v) => [v.key, v.weight])),
    control: e.variants.find((v) => v.isControl)?.key ?? e.variants[0]?.key ?? "",
    variants: e.variants.map((v) => ({ key: v.key, name: v.name, isControl: v.isControl })),
    forcedVariants: asRecord(e.forcedVariants),
    killSwitch: { on: e.killSwitchOn, variant: e.killSwitchVariant },
    targeting: Array.isArray(e.targeting) ? (e.targeting as unknown as TargetingCondition[]) : [],
    assignedUsers,
  };
}

/** Applies a change to the traffic controls (experiments:control); refuses keys that are not the experiment's variants. */
export async function updateTrafficControls(identity: Identity, key: string, change: TrafficChange): Promise<TrafficControls> {
  const e = await load(key);
  if (e.status === "STOPPED" || e.status === "DECIDED") {
    throw new AppError("CONFLICT", `"${key}" has stopped: it sends every user to the control, and its traffic can no longer change.`);
  }
  const keys = e.variants.map((v) => v.key);
  const known = new Set(keys);
  const issues: FieldIssue[] = [];
  const oneOf = `use one of ${keys.join(", ")}`;
  if (change.weights) {
    for (const k of Object.keys(change.weights))
      if (!known.has(k)) issues.push({ field: `weights.${k}`, message: `"${k}" is not a variant of ${key}; ${oneOf}` });
    const missing = keys.filter((k) => !(k in change.weights!));
    if (missing.length)
      issues.push({ field: "weights", message: `weights must give every variant a percentage; missing ${missing.join(", ")}` });
    const total = Object.values(change.weights).reduce((s, w) => s + w, 0);
    if (Math.abs(total - 100) > 1e-6)
      issues.push({ field: "weights", message: `weights must sum to 100; they sum to ${Number(total.toFixed(6))}` });
  }
  for (const [user, variant] of Object.entries(change.forcedVariants ?? {})) {
    if (!known.has(variant)) issues.push({ field: `forcedVariants.${user}`, message: `"${variant}" is not a variant of ${key}; ${oneOf}` });
  }
  const killVariant = change.killSwitch?.variant ?? null;
  if (killVariant !== null && !known.has(killVariant))
    issues.push({ field: "killSwitch.variant", message: `"${killVariant}" is not a variant of ${key}; ${oneOf}` });
  if (issues.length) throw fieldIssuesError(issues);

  const who = { actorId: identity.userId, actorLabel: actorLabel(identity), entityType: "Experiment", entityId: e.id, experimentId: e.id };
  await db().$transaction(async (tx) => {
    const data: Prisma.ExperimentUpdateInput = {};
    const audits: { action: string; details: Prisma.InputJsonValue }[] = [];
    if (change.weights) {
      const before = Object.fromEntries(e.variants.map((v) => [v.key, v.weight]));
      for (const v of e.variants)
        if (v.weight !== change.weights[v.key]) await tx.variant.update({ where: { id: v.id }, data: { weight: change.weights[v.key] } });
      audits.push({ action: "traffic.weights", details: { before, after: change.weights } });
    }
    if (change.coverage !== undefined && change.coverage !== e.coverage) {
      data.coverage = change.coverage;
      audits.push({ action: "traffic.coverage", details: { before: e.coverage, after: change.coverage } });
    }
    if (change.forcedVariants) {
      const before = asRecord(e.forcedVariants);
      data.forcedVariants = change.forcedVariants;
      const added = Object.entries(change.forcedVariants).filter(([u, v]) => before[u] !== v);
      const removed = Object.keys(before).filter((u) => !(u in change.forcedVariants!));
      audits.push({ action: "traffic.forced", details: { set: Object.fromEntries(added), removed } });
    }
    if (change.killSwitch) {
      data.killSwitchOn = change.killSwitch.on;
      data.killSwitchVariant = killVariant;
      audits.push({ action: change.killSwitch.on ? "traffic.killSwitchOn" : "traffic.killSwitchOff", details: { variant: killVariant } });
    }
    if (change.targeting) {
      data.targeting = change.targeting as unknown as Prisma.InputJsonValue;
      audits.push({ action: "traffic.targeting", details: { conditions: change.targeting as unknown as Prisma.InputJsonValue } });
    }
    await tx.experiment.update({ where: { id: e.id }, data: { ...data, updatedAt: new Date() } });
    for (const a of audits) await appendAuditEvent({ ...who, ...a }, tx);
  });
  return getTrafficControls(key);
}
