import { withAuth } from "@/lib/auth/guard";
import { getRubric } from "@/lib/judge/rubrics";

export const dynamic = "force-dynamic";

/** GET /api/v1/rubrics/{name}: every version of one rubric with its whole definition, newest first. */
export const GET = withAuth<{ name: string }>("rubrics:read", async ({ params }) => ({ rubric: await getRubric(params.name) }));
