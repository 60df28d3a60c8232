import Link from "next/link";
import { pageIdentity } from "@/lib/auth/guard";
import { listExperiments } from "@/lib/db/experiments";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { EmptyState } from "@/components/ui/EmptyState";
import { Card } from "@/components/ui/Card";
import { Badge } from "@/components/ui/Badge";
import { statusTone } from "@/components/experiments/statusTone";

export const dynamic = "force-dynamic";
export const metadata = { title: "Experiments" };


export default async function ExperimentsPage() {
  const { identity, allowed } = await pageIdentity("experiments:read", "/experiments");
  if (!allowed) return <Forbidden role={identity.role} />;
  const experiments = await listExperiments();
  return (
    <>
      <PageHeader title="Experiments" description="Every A/B experiment: its hypothesis, variants and where it stands." />
      {experiments.length === 0 ? (
        <EmptyState title="No experiments yet">Design the first one: a hypothesis, the one variable under test, variants and a scorecard.</EmptyState>
      ) : (
        <Card>
          <table className="w-full text-left text-sm" data-testid="experiments-table">
            <thead className="text-xs uppercase text-slate-500"><tr><th className="py-2">Experiment</th><th>Status</th><th>Variants</th><th>Owner</th><th>Last change</th></tr></thead>
            <tbody className="divide-y divide-slate-100">
              {experiments.map((e) => (
                <tr key={e.id}>
                  <td className="py-2"><Link className="font-medium text-brand-700 hover:underline" href={`/experiments/${e.key}`}>{e.name}</Link><p className="font-mono text-xs text-slate-500">{e.key}</p></td>
                  <td><Badge tone={statusTone[e.status]}>{e.status}</Badge></td>
                  <td>{e._count.variants}</td>
                  <td>{e.owner?.name ?? "—"}</td>
                  <td className="text-slate-600">{e.updatedAt.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </>
  );
}
