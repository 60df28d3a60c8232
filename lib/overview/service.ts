import { can } from "@/lib/auth/permissions";
import type { Identity } from "@/lib/auth/identity";
import { listRecentExperimentActivity } from "@/lib/db/audit";
import { countPendingDecisions } from "@/lib/db/decisions";
import { countExperimentsByStatus } from "@/lib/db/experiments";

/** What the overview page shows a role: experiments per status, reviews waiting (reviewers), the latest experiment activity. */
export async function overviewFor(identity: Identity) {
  const [statusCounts, activity, pendingReviews] = await Promise.all([
    countExperimentsByStatus(),
    listRecentExperimentActivity(8),
    can(identity.role, "decisions:review") ? countPendingDecisions() : Promise.resolve(null),
  ]);
  return {
    statusCounts,
    pendingReviews,
    activity: activity.map((e) => ({
      id: e.id,
      action: e.action,
      actor: e.actor?.name ?? e.actorLabel,
      details: e.details,
      experiment: e.experiment ? { key: e.experiment.key, name: e.experiment.name } : null,
      createdAt: e.createdAt,
    })),
  };
}
