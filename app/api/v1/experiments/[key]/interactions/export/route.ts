import { withAuth } from "@/lib/auth/guard";
import { exportInteractions } from "@/lib/interactions/explorer";
import { exportInteractionsQuerySchema, queryObject } from "@/lib/validation/interactions";
import { validationError } from "@/lib/validation/issues";

export const dynamic = "force-dynamic";

/** GET /api/v1/experiments/{key}/interactions/export?format=jsonl|csv&<the list's filters>: every matching interaction as a download, streamed. */
export const GET = withAuth<{ key: string }>("interactions:read", async ({ req, params }) => {
  const parsed = exportInteractionsQuerySchema.safeParse(queryObject(new URL(req.url).searchParams));
  if (!parsed.success) throw validationError(parsed.error);
  const file = await exportInteractions(params.key, parsed.data);
  return new Response(file.body, {
    headers: { "content-type": file.contentType, "content-disposition": `attachment; filename="${file.filename}"` },
  });
});
