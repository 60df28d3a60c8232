import { withAuth } from "@/lib/auth/guard";
import { deleteEndpoint, updateEndpoint } from "@/lib/endpoints/service";
import { readBody } from "@/lib/http/body";
import { updateEndpointSchema } from "@/lib/validation/endpoints";

export const dynamic = "force-dynamic";

/** PATCH /api/v1/endpoints/{id}: change name, baseUrl, apiKey (null removes it) or defaultModel. */
export const PATCH = withAuth<{ id: string }>("endpoints:manage", async ({ req, identity, params }) => {
  const input = await readBody(req, updateEndpointSchema);
  return { endpoint: await updateEndpoint(identity, params.id, input) };
});

/** DELETE /api/v1/endpoints/{id}: delete an endpoint no variant uses. */
export const DELETE = withAuth<{ id: string }>("endpoints:manage", async ({ identity, params }) => {
  await deleteEndpoint(identity, params.id);
  return { deleted: true };
});
