import Link from "next/link";
import { notFound } from "next/navigation";
import { pageIdentity } from "@/lib/auth/guard";
import { loadTrafficExperiment } from "@/lib/traffic/experiments";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { InteractionUpload } from "@/components/interactions/InteractionUpload";

export const dynamic = "force-dynamic";
export const metadata = { title: "Upload interactions" };

export default async function UploadInteractionsPage({ params }: { params: Promise<{ key: string }> }) {
  const { key } = await params;
  const { identity, allowed } = await pageIdentity("interactions:write", `/experiments/${key}/upload`);
  if (!allowed) return <Forbidden role={identity.role} />;
  const experiment = await loadTrafficExperiment(key);
  if (!experiment) notFound();
  return (
    <>
      <PageHeader
        title="Upload interactions"
        description={
          <>
            <Link href={`/experiments/${encodeURIComponent(key)}`} className="text-brand-700 underline underline-offset-2">
              {experiment.name}
            </Link>{" "}
            · logs from your own systems, one row per interaction. Rows without an experiment_key go to this experiment; variant_id is one
            of {experiment.variants.map((v) => v.key).join(", ")}.
          </>
        }
      />
      <InteractionUpload experimentKey={key} />
    </>
  );
}
