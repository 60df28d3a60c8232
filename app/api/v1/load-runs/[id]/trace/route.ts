import { withAuth } from "@/lib/auth/guard";
import { varcasTraceText } from "@/lib/harness/traces";
import { resultsFileOf } from "@/lib/loadRuns/service";

export const dynamic = "force-dynamic";

/** GET /api/v1/load-runs/{id}/trace: what the run sent, as a varcas trace (its send times and lengths), to replay it. */
export const GET = withAuth<{ id: string }>("loadRuns:read", async ({ params }) => {
  const file = await resultsFileOf(params.id);
  const records = [...file.records].sort(
    (a, b) => (a.assay?.intended_send_time ?? a.timestamp_sent) - (b.assay?.intended_send_time ?? b.timestamp_sent),
  );
  const t0 = records.length ? (records[0].assay?.intended_send_time ?? records[0].timestamp_sent) : 0;
  const text = varcasTraceText(
    records.map((r) => ({
      timestamp: (r.assay?.intended_send_time ?? r.timestamp_sent) - t0,
      prompt: r.prompt_text,
      maxTokens: Math.max(1, r.output_tokens),
      workloadType: r.workload_name,
      inputTokens: r.input_tokens,
      outputTokens: r.output_tokens,
    })),
    { profile: file.profile_name },
  );
  return new Response(text, {
    headers: { "content-type": "application/json; charset=utf-8", "content-disposition": `attachment; filename="trace-${params.id}.json"` },
  });
});
