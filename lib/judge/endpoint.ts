// The judge's model endpoint, as judge runs, "try it" and head-to-head comparisons name it: the managed endpoint by
// name, the model (given, or the endpoint's default) and the target the OpenAI-compatible client calls, its key
// decrypted here and never returned. A missing endpoint or model is a 400 naming the field.
import { db } from "@/lib/db/client";
import { decryptEndpointApiKey } from "@/lib/endpoints/apiKeyEncryption";
import type { UpstreamTarget } from "@/lib/openai/transport";
import { fieldIssuesError } from "@/lib/validation/issues";

export async function judgeEndpoint(
  name: string,
  model: string | undefined,
): Promise<{ endpoint: { id: string; name: string }; model: string; target: UpstreamTarget }> {
  const endpoint = await db().endpoint.findUnique({ where: { name } });
  if (!endpoint)
    throw fieldIssuesError([{ field: "endpoint", message: `no model endpoint is called "${name}"; add it in Settings > Endpoints` }]);
  const chosen = model ?? endpoint.defaultModel;
  if (!chosen)
    throw fieldIssuesError([{ field: "model", message: `name the judge model: endpoint "${endpoint.name}" has no default model` }]);
  return { endpoint: { id: endpoint.id, name: endpoint.name }, model: chosen, target: judgeTarget(endpoint) };
}

/** The client's target for a stored endpoint row. */
export function judgeTarget(endpoint: { name: string; baseUrl: string; apiKeyEncrypted: string | null }, label?: string): UpstreamTarget {
  return {
    baseUrl: endpoint.baseUrl,
    apiKey: endpoint.apiKeyEncrypted ? decryptEndpointApiKey(endpoint.apiKeyEncrypted, endpoint.name) : null,
    label: label ?? `The judge's endpoint "${endpoint.name}"`,
  };
}
