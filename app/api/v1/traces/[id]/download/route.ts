import { withAuth } from "@/lib/auth/guard";
import { varcasTraceText } from "@/lib/harness/traces";
import { promptForLengths } from "@/lib/harness/workload";
import { traceRequests } from "@/lib/loadRuns/service";

export const dynamic = "force-dynamic";

/** GET /api/v1/traces/{id}/download: the trace in varcas's trace format (prompts synthesised for length-only traces). */
export const GET = withAuth<{ id: string }>("loadRuns:read", async ({ params }) => {
  const t = await traceRequests(params.id);
  const text = varcasTraceText(
    t.requests,
    { profile: `trace:${t.name}` },
    { promptFor: (r, i) => promptForLengths(42, i, r.inputTokens ?? 1) },
  );
  return new Response(text, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${t.name.replace(/[^\w.-]+/g, "_")}.trace.json"`,
    },
  });
});
