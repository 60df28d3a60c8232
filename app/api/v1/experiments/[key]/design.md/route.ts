import { withAuth } from "@/lib/auth/guard";
import { experimentDesignMarkdown } from "@/lib/experiments/designDocument";
import { getExperimentDetail } from "@/lib/experiments/service";

export const dynamic = "force-dynamic";

/** GET /api/v1/experiments/{key}/design.md: the design document as a Markdown download. */
export const GET = withAuth<{ key: string }>("experiments:read", async ({ params }) => {
  const detail = await getExperimentDetail(params.key);
  return new Response(experimentDesignMarkdown(detail), {
    headers: { "content-type": "text/markdown; charset=utf-8", "content-disposition": `attachment; filename="${detail.key}-design.md"` },
  });
});
