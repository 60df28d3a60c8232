import { pageIdentity } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { listEndpoints } from "@/lib/endpoints/service";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { EndpointsManager } from "@/components/settings/EndpointsManager";

export const dynamic = "force-dynamic";
export const metadata = { title: "Endpoints" };

export default async function EndpointsPage() {
  const { identity, allowed } = await pageIdentity("endpoints:read", "/settings/endpoints");
  if (!allowed) return <Forbidden role={identity.role} />;
  const endpoints = await listEndpoints();
  return (
    <>
      <PageHeader
        title="Endpoints"
        description={
          <>
            OpenAI-compatible model servers (vLLM, Llama API, Ollama, …) that Assay&apos;s gateway forwards a variant&apos;s requests to.
            Point a variant at one on its experiment&apos;s design. An API key is stored encrypted and never shown again: this page says
            only whether one is set.
          </>
        }
      />
      <EndpointsManager
        canManage={can(identity.role, "endpoints:manage")}
        endpoints={endpoints.map((e) => ({
          id: e.id,
          name: e.name,
          baseUrl: e.baseUrl,
          defaultModel: e.defaultModel,
          apiKeySet: e.apiKeySet,
          updatedAt: e.updatedAt.toISOString(),
        }))}
      />
    </>
  );
}
