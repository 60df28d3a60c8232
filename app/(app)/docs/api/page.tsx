import { pageIdentity } from "@/lib/auth/guard";
import { openApiDocument, operations } from "@/lib/openapi/document";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { ApiOperation } from "@/components/docs/ApiOperation";

export const dynamic = "force-dynamic";
export const metadata = { title: "API reference" };

/** The API reference, rendered from the same generated document that /api/v1/openapi.json serves. */
export default async function ApiReferencePage() {
  const { identity, allowed } = await pageIdentity("me:read", "/docs/api");
  if (!allowed) return <Forbidden role={identity.role} />;
  const doc = openApiDocument();
  const tags = [...new Set(operations.map((o) => o.tag))];
  return (
    <>
      <PageHeader
        title="API reference"
        description={
          <>
            Every endpoint of <code className="font-mono">/api/v1</code>. Send{" "}
            <code className="font-mono">Authorization: Bearer &lt;api key&gt;</code> (create a key under Settings › API keys). A refusal
            always reads <code className="font-mono">{"{error: {code, message}}"}</code>, and its message says what to fix. The
            machine-readable version:{" "}
            <a className="text-brand-700 underline underline-offset-2" href="/api/v1/openapi.json">
              openapi.json
            </a>
            .
          </>
        }
      />
      <nav aria-label="API sections" className="mb-6 flex flex-wrap gap-2 text-sm">
        {tags.map((t) => (
          <a
            key={t}
            href={`#${t.toLowerCase()}`}
            className="rounded-md bg-white px-3 py-1.5 text-brand-700 ring-1 ring-slate-200 hover:bg-slate-50"
          >
            {t}
          </a>
        ))}
      </nav>
      <div className="space-y-8">
        {tags.map((tag) => (
          <section key={tag} id={tag.toLowerCase()} aria-labelledby={`${tag.toLowerCase()}-heading`} className="space-y-3">
            <h2 id={`${tag.toLowerCase()}-heading`} className="text-lg font-semibold text-slate-900">
              {tag}
            </h2>
            {operations
              .filter((o) => o.tag === tag)
              .map((o) => (
                <ApiOperation
                  key={`${o.method} ${o.path}`}
                  op={o}
                  spec={(doc.paths[o.path] as Record<string, unknown>)[o.method] as Record<string, unknown>}
                />
              ))}
          </section>
        ))}
      </div>
    </>
  );
}
