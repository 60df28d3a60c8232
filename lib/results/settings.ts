// How an experiment's results are analysed: the multiple-comparison correction across metrics x treatments, and
// fixed-horizon or peeking-safe (sequential) tests. The data is not touched, so they may change while the experiment
// runs or after it stopped, but not once decided; every change is audited, so a reviewer sees when the reading changed.
import type { Identity } from "@/lib/auth/identity";
import { actorLabel } from "@/lib/auth/identity";
import { appendAuditEvent } from "@/lib/db/audit";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { AnalysisSettingsChange } from "@/lib/validation/analysis";

export interface AnalysisSettings {
  experiment: string;
  correction: string;
  sequential: boolean;
}

async function load(key: string) {
  const e = await db().experiment.findUnique({
    where: { key },
    select: { id: true, key: true, status: true, correction: true, sequential: true },
  });
  if (!e) throw new AppError("NOT_FOUND", `No experiment has the key "${key}".`);
  return e;
}

export async function getAnalysisSettings(key: string): Promise<AnalysisSettings> {
  const e = await load(key);
  return { experiment: e.key, correction: e.correction, sequential: e.sequential };
}

/** Changes the analysis settings (experiments:edit); refused once the experiment is decided. */
export async function updateAnalysisSettings(identity: Identity, key: string, change: AnalysisSettingsChange): Promise<AnalysisSettings> {
  const e = await load(key);
  if (e.status === "DECIDED")
    throw new AppError("CONFLICT", `"${key}" is decided: its results are read as they were when the decision was made.`);
  const after = { correction: change.correction ?? e.correction, sequential: change.sequential ?? e.sequential };
  if (after.correction === e.correction && after.sequential === e.sequential) return getAnalysisSettings(key);
  await db().$transaction(async (tx) => {
    await tx.experiment.update({ where: { id: e.id }, data: { ...after, updatedAt: new Date() } });
    await appendAuditEvent(
      {
        actorId: identity.userId,
        actorLabel: actorLabel(identity),
        entityType: "Experiment",
        entityId: e.id,
        experimentId: e.id,
        action: "analysis.settings",
        details: { before: { correction: e.correction, sequential: e.sequential }, after },
      },
      tx,
    );
  });
  return getAnalysisSettings(key);
}
