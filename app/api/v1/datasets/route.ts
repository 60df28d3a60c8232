import { withAuth } from "@/lib/auth/guard";
import { listDatasets } from "@/lib/datasets/service";

export const dynamic = "force-dynamic";

/** GET /api/v1/datasets: every dataset, newest first. */
export const GET = withAuth("interactions:read", async () => ({ datasets: await listDatasets() }));
