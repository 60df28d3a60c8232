import { withAuth } from "@/lib/auth/guard";
import { cancelJudgeRun } from "@/lib/judge/runs";

export const dynamic = "force-dynamic";

/** POST /api/v1/judge-runs/{id}/cancel: stop a run; what is already scored stays. */
export const POST = withAuth<{ id: string }>("judge:run", async ({ identity, params }) => ({
  run: await cancelJudgeRun(identity, params.id),
}));
