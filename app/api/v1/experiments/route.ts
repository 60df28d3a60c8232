import { withAuth } from "@/lib/auth/guard";
import { createExperiment, listExperimentsFor } from "@/lib/experiments/service";
import { readBody } from "@/lib/http/body";
import { createExperimentSchema, listExperimentsQuerySchema } from "@/lib/validation/experiments";
import { validationError } from "@/lib/validation/issues";

export const dynamic = "force-dynamic";

/** GET /api/v1/experiments?status=&owner=&q=&archived=: experiments, most recently changed first. */
export const GET = withAuth("experiments:read", async ({ req, identity }) => {
  const parsed = listExperimentsQuerySchema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw validationError(parsed.error);
  return { experiments: await listExperimentsFor(identity, parsed.data) };
});

/** POST /api/v1/experiments: a new DRAFT experiment. */
export const POST = withAuth("experiments:create", async ({ req, identity }) => {
  const input = await readBody(req, createExperimentSchema);
  return Response.json({ experiment: await createExperiment(identity, input) }, { status: 201 });
});
