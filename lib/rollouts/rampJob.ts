// The worker's automatic ramp check (job rampCheck, queued by every worker at each heartbeat): each ramp under way on a
// running experiment is looked at, at most once every ASSAY_RAMP_CHECK_SECONDS, under an advisory lock so two workers
// never move it twice. Its results are computed with peeking-safe confidence sequences (the check runs again and
// again); lib/rollouts/guardrails.ts decides; an advance or a rollback goes through the same moves as a person's, with
// the check's reason and numbers in the audit trail. A wait only notes what it found.
import type { Identity } from "@/lib/auth/identity";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { computeResults } from "@/lib/results/service";
import { rampCheck } from "./guardrails";
import type { RampStep } from "./ramp";
import { moveRamp } from "./rampService";

/** Who the audit trail names for an automatic move. */
export const RAMP_CHECK_IDENTITY: Identity = { via: "session", userId: null, email: null, name: "Automatic ramp check", role: "ADMIN" };

/** Checks every ramp under way that is due; returns what it did, per experiment (for logs and tests). */
export async function runRampChecks(now = new Date()): Promise<{ experiment: string; action: string; reason: string }[]> {
  const dueBefore = new Date(now.getTime() - env().ASSAY_RAMP_CHECK_SECONDS * 1000);
  const ramps = await db().rampPlan.findMany({
    where: {
      state: "RAMPING",
      experiment: { status: "RUNNING" },
      OR: [{ lastCheckedAt: null }, { lastCheckedAt: { lt: dueBefore } }],
    },
    select: { experimentId: true, experiment: { select: { key: true } } },
    take: 100,
  });
  const done: { experiment: string; action: string; reason: string }[] = [];
  for (const r of ramps) {
    const outcome = await checkOne(r.experimentId, r.experiment.key, now).catch((err: unknown) => ({
      action: "error",
      reason: `the check failed: ${err instanceof Error ? err.message : String(err)}`,
    }));
    if (outcome) done.push({ experiment: r.experiment.key, ...outcome });
  }
  return done;
}

async function checkOne(experimentId: string, key: string, now: Date): Promise<{ action: string; reason: string } | null> {
  // One checker per ramp at a time, across workers: the lock lasts as long as this transaction.
  return db().$transaction(
    async (tx) => {
      const [{ locked }] = await tx.$queryRaw<
        { locked: boolean }[]
      >`SELECT pg_try_advisory_xact_lock(hashtext(${`ramp:${experimentId}`})) AS locked`;
      if (!locked) return null;
      const ramp = await tx.rampPlan.findUnique({ where: { experimentId } });
      if (!ramp || ramp.state !== "RAMPING") return null;
      const steps = ramp.steps as unknown as RampStep[];
      const step = steps[ramp.currentStep];
      const note = (reason: string) => tx.rampPlan.update({ where: { experimentId }, data: { lastCheckedAt: now, lastCheck: reason } });
      if (!step) {
        await note("waiting: the ramp has not applied a step yet");
        return { action: "wait", reason: "no step applied" };
      }
      const results = await computeResults(key, { sequential: true });
      if (!results.sequential) {
        const reason = "cannot judge: the design has no sample size plan, and peeking-safe intervals need one";
        await note(reason);
        return { action: "wait", reason };
      }
      const check = rampCheck(results, step, ramp.stepStartedAt, now);
      // The move runs on its own connections (the traffic controls' transaction), the lock held meanwhile. It comes
      // before this transaction writes the ramp's row: a write here first would hold that row until the end, and the
      // move would wait on it for ever.
      if (check.action !== "wait") await moveRamp(RAMP_CHECK_IDENTITY, key, check.action, `automatic check: ${check.reason}`);
      await note(`${check.action === "wait" ? "waiting" : check.action === "advance" ? "advanced" : "rolled back"}: ${check.reason}`);
      return { action: check.action, reason: check.reason };
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}
