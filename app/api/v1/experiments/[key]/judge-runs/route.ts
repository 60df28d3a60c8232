import { withAuth } from "@/lib/auth/guard";
import { readBody } from "@/lib/http/body";
import { listJudgeRuns, startJudgeRun } from "@/lib/judge/runs";
import { judgeRunRequestSchema } from "@/lib/validation/judgeRuns";

export const dynamic = "force-dynamic";

/** GET /api/v1/experiments/{key}/judge-runs: the experiment's judge runs, newest first, with their progress. */
export const GET = withAuth<{ key: string }>("experiments:read", async ({ params }) => ({ runs: await listJudgeRuns(params.key) }));

/** POST /api/v1/experiments/{key}/judge-runs: score the experiment's interactions with the LLM judge in the background. */
export const POST = withAuth<{ key: string }>("judge:run", async ({ req, identity, params }) => {
  const input = await readBody(req, judgeRunRequestSchema);
  return Response.json({ run: await startJudgeRun(identity, params.key, input) }, { status: 201 });
});
