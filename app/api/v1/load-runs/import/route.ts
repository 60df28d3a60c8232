import { withAuth } from "@/lib/auth/guard";
import { validBody } from "@/lib/http/body";
import { readTextBody } from "@/lib/http/rawText";
import { importResults, MAX_TRACE_BYTES } from "@/lib/loadRuns/service";
import { z } from "zod";

export const dynamic = "force-dynamic";

const query = z.strictObject({
  name: z.string({ error: "name must be text" }).trim().min(1, "give the run a name").max(100, "a run's name is at most 100 characters"),
});

/** POST /api/v1/load-runs/import?name=N: a results file (varcas's or Assay's) as the body, kept as a finished run. */
export const POST = withAuth("loadRuns:run", async ({ req, identity }) => {
  const { name } = validBody(Object.fromEntries(new URL(req.url).searchParams), query);
  const text = await readTextBody(req, MAX_TRACE_BYTES, "The results file");
  return Response.json({ run: await importResults(identity, { name, text }) }, { status: 201 });
});
