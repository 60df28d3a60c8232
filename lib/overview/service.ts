import type { Identity } from "@/lib/auth/identity";
import { listRecentExperimentActivity } from "@/lib/db/audit";
import { countExperimentsByStatus } from "@/lib/db/experiments";
import { waitingCountFor } from "@/lib/reviews/service";

/** What the overview page shows a role: experiments per status, reviews waiting (reviewers), the latest experiment activity. */
export async function overviewFor(identity: Identity) {
  const [statusCounts, activity, pendingReviews] = await Promise.all([
    countExperimentsByStatus(),
    listRecentExperimentActivity(8),
    waitingCountFor(identity),
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
