import { withAuth } from "@/lib/auth/guard";
import { readBody } from "@/lib/http/body";
import { createDataset } from "@/lib/datasets/service";
import { createDatasetSchema } from "@/lib/validation/datasets";

export const dynamic = "force-dynamic";

/** POST /api/v1/experiments/{key}/datasets: pick the experiment's interactions into a named dataset (a snapshot). */
export const POST = withAuth<{ key: string }>("datasets:manage", async ({ req, identity, params }) => {
  const input = await readBody(req, createDatasetSchema);
  return Response.json({ dataset: await createDataset(identity, params.key, input) }, { status: 201 });
});
