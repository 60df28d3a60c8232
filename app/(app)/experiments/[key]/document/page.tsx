import Link from "next/link";
import { notFound } from "next/navigation";
import { pageIdentity } from "@/lib/auth/guard";
import { AppError } from "@/lib/errors";
import { getExperimentDetail } from "@/lib/experiments/service";
import { Forbidden } from "@/components/ui/Forbidden";
import { buttonClass } from "@/components/ui/button";
import { DesignDocument } from "@/components/experiments/DesignDocument";
import { PrintButton } from "@/components/experiments/PrintButton";
import { designViewOf } from "@/components/experiments/designView";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ key: string }> }) {
  return { title: `Design document ${(await params).key}` };
}

// Printing leaves out the app's sidebar and page padding: the document alone goes on paper.
const PRINT_CSS =
  "@media print { aside { display: none !important; } main { padding: 0 !important; overflow: visible !important; } body { background: white !important; } }";

export default async function DesignDocumentPage({ params }: { params: Promise<{ key: string }> }) {
  const { key } = await params;
  const { identity, allowed } = await pageIdentity("experiments:read", `/experiments/${key}/document`);
  if (!allowed) return <Forbidden role={identity.role} />;
  const detail = await getExperimentDetail(key).catch((err) => {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    throw err;
  });
  const view = designViewOf(detail);
  const path = `/experiments/${encodeURIComponent(view.key)}`;
  return (
    <>
      <style>{PRINT_CSS}</style>
      <div className="mx-auto mb-4 flex max-w-4xl flex-wrap items-center justify-between gap-3 print:hidden">
        <Link href={path} className="text-sm text-brand-700 hover:underline">
          ← Back to the design
        </Link>
        <div className="flex gap-2">
          <a href={`/api/v1${path}/design.md`} className={buttonClass.secondary} download>
            Download Markdown
          </a>
          <PrintButton />
        </div>
      </div>
      <DesignDocument view={view} />
    </>
  );
}
