import { pageIdentity } from "@/lib/auth/guard";
import { recentLoadRuns } from "@/lib/loadRuns/service";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { EmptyState } from "@/components/ui/EmptyState";
import { Card } from "@/components/ui/Card";
import { Badge } from "@/components/ui/Badge";
import { Time } from "@/components/ui/Time";
import { TableScroll } from "@/components/ui/TableScroll";

export const dynamic = "force-dynamic";
export const metadata = { title: "Load tests" };

export default async function LoadRunsPage() {
  const { identity, allowed } = await pageIdentity("loadRuns:read", "/load-runs");
  if (!allowed) return <Forbidden role={identity.role} />;
  const runs = await recentLoadRuns();
  return (
    <>
      <PageHeader
        title="Load tests"
        description="Load-harness runs against OpenAI-compatible servers (vLLM, Llama API, Ollama, or Assay's simulator), and replays of saved traces."
      />
      {runs.length === 0 ? (
        <EmptyState title="No load tests yet">
          Try the harness against the built-in simulator: <code className="font-mono">npx assay simulate --port 8000</code>.
        </EmptyState>
      ) : (
        <Card>
          <TableScroll label="Load tests table">
            <table className="w-full text-left text-sm">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-2">Run</th>
                  <th>Target</th>
                  <th>Status</th>
                  <th>Started</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {runs.map((r) => (
                  <tr key={r.id}>
                    <td className="py-2 font-medium">{r.name}</td>
                    <td className="font-mono text-xs">
                      {r.target ?? "—"} {r.model ?? ""}
                    </td>
                    <td>
                      <Badge tone={r.status === "SUCCEEDED" ? "green" : r.status === "FAILED" ? "red" : "blue"}>{r.status}</Badge>
                    </td>
                    <td>
                      <Time value={r.createdAt} />
                    </td>
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
