import { withAuth } from "@/lib/auth/guard";
import { datasetJsonl, getDataset } from "@/lib/datasets/service";

export const dynamic = "force-dynamic";

/** GET /api/v1/datasets/{id}/download: the dataset as JSONL, one {input, output, metadata} line per item. */
export const GET = withAuth<{ id: string }>("interactions:read", async ({ params }) => {
  const d = await getDataset(params.id);
  const file = `${d.name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "dataset"}.jsonl`;
  return new Response(datasetJsonl(d.id), {
    headers: { "content-type": "application/x-ndjson; charset=utf-8", "content-disposition": `attachment; filename="${file}"` },
  });
});
