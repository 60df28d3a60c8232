// An experiment's ramp plan as stored (RampPlan), and the moves along it: advance to the next step (its weights and
// coverage applied through the traffic controls, so kept users stay where they are), hold, resume, and roll back (all
// new users to the control). Each move is audited with its step, its numbers and its reason.
import type { Identity } from "@/lib/auth/identity";
import { actorLabel } from "@/lib/auth/identity";
import { auditExperiment } from "@/lib/db/audit";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getTrafficControls, updateTrafficControls } from "@/lib/traffic/control";
import { fieldIssuesError } from "@/lib/validation/issues";
import { announce } from "@/lib/webhooks/service";
import type { RampAction, RampPlanRequest } from "@/lib/validation/ramp";
import { addedRanges, RAMP_PRESETS, rampPlanIssues, stepWeights, type AddedRange, type RampStep } from "./ramp";

export type RampState = "PLANNED" | "RAMPING" | "HELD" | "ROLLED_BACK" | "COMPLETE";

export interface RampView {
  experiment: string;
  steps: RampStep[];
  /** The step applied now (0-based); -1 before the first. */
  currentStep: number;
  state: RampState;
  stepStartedAt: string | null;
  lastReason: string | null;
  /** The automatic check's last look (ISO time and what it found); null before the first. */
  lastCheck: { at: string; finding: string } | null;
  /** What advancing would do: the step, its weights and coverage, and the new users it adds to each variant. */
  next: { index: number; weights: Record<string, number>; coverage: number; adds: AddedRange[] } | null;
}

async function experimentOf(key: string) {
  const e = await db().experiment.findUnique({
    where: { key },
    include: { variants: { orderBy: { position: "asc" } }, ramp: true },
  });
  if (!e) throw new AppError("NOT_FOUND", `No experiment has the key "${key}".`);
  return e;
}

type Loaded = Awaited<ReturnType<typeof experimentOf>>;

/** The variants with the weights they had when the plan was set (a rolled-back ramp has every treatment at 0). */
const variantsOf = (e: Loaded) => {
  const designed = (e.ramp?.designWeights ?? {}) as Record<string, number>;
  return e.variants.map((v) => ({ key: v.key, isControl: v.isControl, weight: designed[v.key] ?? v.weight }));
};

function viewOf(e: Loaded): RampView | null {
  const r = e.ramp;
  if (!r) return null;
  const steps = r.steps as unknown as RampStep[];
  const state = r.state as RampState;
  const nextIndex = state === "ROLLED_BACK" ? Math.max(0, r.currentStep) : r.currentStep + 1;
  let next: RampView["next"] = null;
  if (nextIndex < steps.length && state !== "COMPLETE") {
    const step = steps[nextIndex];
    const weights = stepWeights(variantsOf(e), step);
    const coverage = step.coverage ?? e.coverage;
    const keys = e.variants.map((v) => v.key);
    const adds = addedRanges(
      keys,
      { weights: e.variants.map((v) => v.weight), coverage: e.coverage },
      { weights: keys.map((k) => weights[k]), coverage },
    );
    next = { index: nextIndex, weights, coverage, adds };
  }
  return {
    experiment: e.key,
    steps,
    currentStep: r.currentStep,
    state,
    stepStartedAt: r.stepStartedAt?.toISOString() ?? null,
    lastReason: r.lastReason,
    lastCheck: r.lastCheckedAt && r.lastCheck ? { at: r.lastCheckedAt.toISOString(), finding: r.lastCheck } : null,
    next,
  };
}

export async function getRamp(key: string): Promise<RampView | null> {
  return viewOf(await experimentOf(key));
}

/** Sets (or replaces) the plan; it starts PLANNED, and traffic changes only when it advances. */
export async function setRampPlan(identity: Identity, key: string, input: RampPlanRequest): Promise<RampView> {
  const e = await experimentOf(key);
  if (e.status === "STOPPED" || e.status === "DECIDED")
    throw new AppError("CONFLICT", `"${key}" has stopped: there is no traffic left to ramp.`);
  if (e.ramp?.state === "RAMPING" || e.ramp?.state === "HELD")
    throw new AppError("CONFLICT", "The ramp is under way: roll it back before you replace its plan.");
  const steps: RampStep[] = input.preset ? RAMP_PRESETS[input.preset] : (input.steps as RampStep[]);
  const issues = rampPlanIssues(steps);
  if (issues.length) throw fieldIssuesError(issues);
  await db().$transaction(async (tx) => {
    const data = {
      steps: steps as unknown as Prisma.InputJsonValue,
      designWeights: Object.fromEntries(e.variants.map((v) => [v.key, v.weight])),
      currentStep: -1,
      state: "PLANNED",
      stepStartedAt: null,
      lastReason: null,
    };
    await tx.rampPlan.upsert({
      where: { experimentId: e.id },
      create: { ...data, experimentId: e.id, createdById: identity.userId },
      update: data,
    });
    await auditExperiment(
      identity,
      e.id,
      "ramp.plan",
      { preset: input.preset ?? null, steps: steps as unknown as Prisma.InputJsonValue },
      tx,
    );
  });
  return (await getRamp(key))!;
}

/** Moves along the plan: advance (apply the next step), hold, resume, or roll back (every new user to the control). */
export async function moveRamp(identity: Identity, key: string, action: RampAction, reason?: string): Promise<RampView> {
  const e = await experimentOf(key);
  const view = viewOf(e);
  if (!view) throw new AppError("CONFLICT", `"${key}" has no ramp plan: set one first (PUT /api/v1/experiments/${key}/ramp).`);
  if (e.status !== "RUNNING") throw new AppError("CONFLICT", `"${key}" is not running: a ramp moves only while it runs.`);
  const why = reason?.trim() || `moved by ${actorLabel(identity)}`;
  const controls = await getTrafficControls(key);
  let data: Prisma.RampPlanUpdateInput;
  let details: Record<string, unknown>;
  if (action === "advance") {
    if (!view.next) throw new AppError("CONFLICT", "The ramp is at its last step: there is nothing to advance to.");
    if (view.state === "HELD") throw new AppError("CONFLICT", "The ramp is on hold: resume it before you advance.");
    if (e.allocation === "THOMPSON")
      throw new AppError("CONFLICT", "The split adapts by Thompson sampling: switch the allocation back to a fixed split before you ramp.");
    const { index, weights, coverage } = view.next;
    await updateTrafficControls(identity, key, { weights, coverage });
    data = {
      currentStep: index,
      state: index === view.steps.length - 1 ? "COMPLETE" : "RAMPING",
      stepStartedAt: new Date(),
      lastReason: why,
    };
    details = { step: index + 1, of: view.steps.length, before: controls.weights, after: weights, coverage, reason: why };
  } else if (action === "rollback") {
    if (view.state === "ROLLED_BACK") throw new AppError("CONFLICT", "The ramp is already rolled back.");
    const weights = Object.fromEntries(controls.variants.map((v) => [v.key, v.isControl ? 100 : 0]));
    await updateTrafficControls(identity, key, { weights });
    data = { state: "ROLLED_BACK", lastReason: why };
    details = { step: view.currentStep + 1, before: controls.weights, after: weights, reason: why };
  } else if (action === "hold") {
    if (view.state !== "RAMPING") throw new AppError("CONFLICT", `Only a ramp under way can be held (it is ${view.state.toLowerCase()}).`);
    data = { state: "HELD", lastReason: why };
    details = { step: view.currentStep + 1, reason: why };
  } else {
    if (view.state !== "HELD") throw new AppError("CONFLICT", `Only a ramp on hold can be resumed (it is ${view.state.toLowerCase()}).`);
    data = { state: "RAMPING", lastReason: why };
    details = { step: view.currentStep + 1, reason: why };
  }
  await db().$transaction(async (tx) => {
    await tx.rampPlan.update({ where: { experimentId: e.id }, data });
    await auditExperiment(identity, e.id, `ramp.${action}`, details as Prisma.InputJsonValue, tx);
  });
  const after = (await getRamp(key))!;
  await announce(e.id, `ramp.${action}`, {
    ...details,
    actor: actorLabel(identity),
    ramp: { state: after.state, currentStep: after.currentStep, steps: after.steps.length },
  });
  return after;
}
