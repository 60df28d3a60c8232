import { withAuth } from "@/lib/auth/guard";
import { readBody } from "@/lib/http/body";
import { tryRubric } from "@/lib/judge/tryRubric";
import { MAX_RUBRIC_TRY_BODY_BYTES, tryRubricSchema } from "@/lib/validation/rubrics";

export const dynamic = "force-dynamic";

/** POST /api/v1/rubrics/try: judge one pasted interaction with a rubric on a model endpoint; nothing is stored. */
export const POST = withAuth("judge:run", async ({ req }) => {
  const input = await readBody(req, tryRubricSchema, { maxBytes: MAX_RUBRIC_TRY_BODY_BYTES });
  return { judgment: await tryRubric(input) };
});
