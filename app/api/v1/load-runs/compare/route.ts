import { withAuth } from "@/lib/auth/guard";
import { validBody } from "@/lib/http/body";
import { compareLoadRuns } from "@/lib/loadRuns/service";
import { compareQuerySchema } from "@/lib/validation/loadRuns";

export const dynamic = "force-dynamic";

/** GET /api/v1/load-runs/compare?baseline=ID[&baseline=ID2]&optimized=ID[&seed=S]: as `assay compare`. */
export const GET = withAuth("loadRuns:read", async ({ req }) => {
  const q = new URL(req.url).searchParams;
  const input = validBody(
    { baseline: q.getAll("baseline"), optimized: q.getAll("optimized"), ...(q.has("seed") ? { seed: Number(q.get("seed")) } : {}) },
    compareQuerySchema,
  );
  return { comparison: await compareLoadRuns(input) };
});
