import { withAuth } from "@/lib/auth/guard";
import { getJudgeRun } from "@/lib/judge/runs";

export const dynamic = "force-dynamic";

/** GET /api/v1/judge-runs/{id}: one judge run's progress (scored, skipped, failed, pending, tokens, ETA). */
export const GET = withAuth<{ id: string }>("experiments:read", async ({ params }) => ({ run: await getJudgeRun(params.id) }));
