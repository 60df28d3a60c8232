import { pageIdentity } from "@/lib/auth/guard";
import { reviewQueue } from "@/lib/reviews/service";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { EmptyState } from "@/components/ui/EmptyState";
import { Card } from "@/components/ui/Card";
import { Badge } from "@/components/ui/Badge";
import { TableScroll } from "@/components/ui/TableScroll";

export const dynamic = "force-dynamic";
export const metadata = { title: "Reviews" };

export default async function ReviewsPage() {
  const { identity, allowed } = await pageIdentity("decisions:review", "/reviews");
  if (!allowed) return <Forbidden role={identity.role} />;
  const decisions = await reviewQueue();
  return (
    <>
      <PageHeader
        title="Reviews"
        description="Deploy decisions waiting for your sign-off, and the ones already made. Each keeps its decision matrix and the reviewer's comment."
      />
      {decisions.length === 0 ? (
        <EmptyState title="Nothing to review">When a PM stops an experiment and requests a deploy decision, it appears here.</EmptyState>
      ) : (
        <Card>
          <TableScroll label="Deploy decisions table">
            <table className="w-full text-left text-sm">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-2">Experiment</th>
                  <th>Recommendation</th>
                  <th>Status</th>
                  <th>Requested by</th>
                  <th>Comment</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {decisions.map((d) => (
                  <tr key={d.id}>
                    <td className="py-2 font-medium">{d.experiment.name}</td>
                    <td>{d.recommendation}</td>
                    <td>
                      <Badge tone={d.status === "APPROVED" ? "green" : d.status === "REJECTED" ? "red" : "amber"}>{d.status}</Badge>
                    </td>
                    <td>{d.requestedBy?.name ?? "—"}</td>
                    <td className="text-slate-600">{d.comment ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </Card>
      )}
    </>
  );
}
