import { withPublic } from "@/lib/auth/guard";
import { checkHealth } from "@/lib/health";

export const dynamic = "force-dynamic";

/** GET /api/v1/health (no auth): database, queue and worker status. */
export const GET = withPublic(async () => {
  const health = await checkHealth();
  return Response.json(health, { status: health.db === "ok" ? 200 : 503 });
});
