import { withAuth } from "@/lib/auth/guard";
import { resultsFileOf } from "@/lib/loadRuns/service";

export const dynamic = "force-dynamic";

/** GET /api/v1/load-runs/{id}/results: the results file (varcas's keys and records, with Assay's section). */
export const GET = withAuth<{ id: string }>("loadRuns:read", async ({ params }) => {
  const file = await resultsFileOf(params.id);
  return new Response(JSON.stringify(file, null, 2), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="results-${params.id}.json"`,
    },
  });
});
