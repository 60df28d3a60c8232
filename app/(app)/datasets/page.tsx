import Link from "next/link";
import { pageIdentity } from "@/lib/auth/guard";
import { datasetModeWords, listDatasets } from "@/lib/datasets/service";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { EmptyState } from "@/components/ui/EmptyState";
import { Card } from "@/components/ui/Card";
import { Time } from "@/components/ui/Time";

export const dynamic = "force-dynamic";
export const metadata = { title: "Datasets" };

export default async function DatasetsPage() {
  const { identity, allowed } = await pageIdentity("interactions:read", "/datasets");
  if (!allowed) return <Forbidden role={identity.role} />;
  const datasets = await listDatasets();
  return (
    <>
      <PageHeader
        title="Datasets"
        description="Interactions picked from an experiment's results (the lowest scores, the unsafe answers, where the judge and users disagree, a sample), kept as they were, to judge again or replay against a new build."
      />
      {datasets.length === 0 ? (
        <EmptyState title="No dataset yet">Save one from an experiment&apos;s results page: &ldquo;Save as dataset&rdquo;.</EmptyState>
      ) : (
        <Card>
          <ul className="divide-y divide-slate-200">
            {datasets.map((d) => (
              <li key={d.id} className="flex flex-wrap items-baseline justify-between gap-2 py-3" data-testid="dataset">
                <div className="min-w-0">
                  <p className="break-words font-medium text-slate-900">{d.name}</p>
                  <p className="text-sm text-slate-700">
                    {d.itemCount.toLocaleString("en-US")} interactions · {datasetModeWords(d.mode)}
                    {d.experiment ? (
                      <>
                        {" "}
                        from{" "}
                        <Link
                          href={`/experiments/${encodeURIComponent(d.experiment)}/results`}
                          className="text-brand-700 underline underline-offset-2"
                        >
                          {d.experiment}
                        </Link>
                      </>
                    ) : null}{" "}
                    · <Time value={d.createdAt} relative />
                  </p>
                  {d.description ? <p className="mt-1 text-sm text-slate-700">{d.description}</p> : null}
                </div>
                <a
                  href={`/api/v1/datasets/${encodeURIComponent(d.id)}/download`}
                  className="text-sm text-brand-700 underline underline-offset-2"
                >
                  Download (JSONL)
                </a>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </>
  );
}
