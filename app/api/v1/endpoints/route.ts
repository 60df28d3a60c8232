import { withAuth } from "@/lib/auth/guard";
import { createEndpoint, listEndpoints } from "@/lib/endpoints/service";
import { readBody } from "@/lib/http/body";
import { createEndpointSchema } from "@/lib/validation/endpoints";

export const dynamic = "force-dynamic";

/** GET /api/v1/endpoints: every model endpoint (whether a key is set, never the key). */
export const GET = withAuth("endpoints:read", async () => ({ endpoints: await listEndpoints() }));

/** POST /api/v1/endpoints: a new endpoint; its API key is stored encrypted and never shown again. */
export const POST = withAuth("endpoints:manage", async ({ req, identity }) => {
  const input = await readBody(req, createEndpointSchema);
  return Response.json({ endpoint: await createEndpoint(identity, input) }, { status: 201 });
});
