import { withAuth } from "@/lib/auth/guard";
import { experimentResults } from "@/lib/results/service";

export const dynamic = "force-dynamic";

/** GET /api/v1/experiments/{key}/results: per metric, each variant's n, mean and sd, and Welch's test against the control. */
export const GET = withAuth<{ key: string }>("interactions:read", async ({ params }) => experimentResults(params.key));
