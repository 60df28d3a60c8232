import { pageIdentity } from "@/lib/auth/guard";
import { listOwnApiKeys } from "@/lib/auth/apiKeys";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { ApiKeysManager } from "@/components/settings/ApiKeysManager";

export const dynamic = "force-dynamic";
export const metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  const { identity, allowed } = await pageIdentity("apiKeys:manageOwn", "/settings/api-keys");
  if (!allowed) return <Forbidden role={identity.role} />;
  const keys = await listOwnApiKeys(identity);
  return (
    <>
      <PageHeader
        title="API keys"
        description={
          <>
            Keys let scripts, the CLI and your services call <code className="font-mono">/api/v1/*</code> as you, with your role (
            {identity.role}). Send <code className="font-mono">Authorization: Bearer &lt;key&gt;</code>. A key is shown once when created;
            Assay stores only its hash.
          </>
        }
      />
      <ApiKeysManager
        keys={keys.map((k) => ({
          id: k.id,
          name: k.name,
          prefix: k.prefix,
          createdAt: k.createdAt.toISOString(),
          lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
          revokedAt: k.revokedAt?.toISOString() ?? null,
        }))}
      />
    </>
  );
}
