import { z } from "zod";
import { withAuth } from "@/lib/auth/guard";
import { readBody } from "@/lib/http/body";
import { traceFromDataset } from "@/lib/loadRuns/service";

export const dynamic = "force-dynamic";

const schema = z.strictObject({
  datasetId: z.string({ error: "datasetId must be a dataset's id" }).trim().min(1, "choose a dataset").max(100),
  name: z
    .string({ error: "name must be text" })
    .trim()
    .min(1, "give the trace a name")
    .max(100, "a trace's name is at most 100 characters"),
});

/** POST /api/v1/traces/from-dataset {datasetId, name}: a dataset's inputs as a trace to replay (no timestamps: give a rate). */
export const POST = withAuth("loadRuns:run", async ({ req, identity }) => {
  const input = await readBody(req, schema);
  return Response.json({ trace: await traceFromDataset(identity, input) }, { status: 201 });
});
