import { withAuth } from "@/lib/auth/guard";
import { validBody } from "@/lib/http/body";
import { readTextBody } from "@/lib/http/rawText";
import { listTraces, MAX_TRACE_BYTES, uploadTrace } from "@/lib/loadRuns/service";
import { traceUploadQuerySchema } from "@/lib/validation/loadRuns";

export const dynamic = "force-dynamic";

/** GET /api/v1/traces: the trace library, newest first (counts, span, rate, length histograms). */
export const GET = withAuth("loadRuns:read", async () => ({ traces: await listTraces() }));

/**
 * POST /api/v1/traces?name=N[&format=F]: the file itself as the body (any format Assay reads; detected unless given).
 * The whole file is checked before anything is stored: a bad line is a 400 naming the line and field.
 */
export const POST = withAuth("loadRuns:run", async ({ req, identity }) => {
  const url = new URL(req.url);
  const query = validBody(Object.fromEntries(url.searchParams), traceUploadQuerySchema);
  const text = await readTextBody(req, MAX_TRACE_BYTES, "The trace");
  return Response.json({ trace: await uploadTrace(identity, { ...query, text }) }, { status: 201 });
});
