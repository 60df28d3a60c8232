import { withAuth } from "@/lib/auth/guard";
import { readBody } from "@/lib/http/body";
import { createRubric, listRubrics } from "@/lib/judge/rubrics";
import { createRubricSchema, MAX_RUBRIC_BODY_BYTES } from "@/lib/validation/rubrics";

export const dynamic = "force-dynamic";

/** GET /api/v1/rubrics: every rubric with its versions, newest first, and what uses each. */
export const GET = withAuth("rubrics:read", async () => ({ rubrics: await listRubrics() }));

/** POST /api/v1/rubrics: save a rubric as version 1 or the next version of its name (the latest one again: 200, nothing new). */
export const POST = withAuth("rubrics:manage", async ({ req, identity }) => {
  const input = await readBody(req, createRubricSchema, { maxBytes: MAX_RUBRIC_BODY_BYTES });
  const saved = await createRubric(identity, input);
  return Response.json(saved, { status: saved.created ? 201 : 200 });
});
