import { pageIdentity } from "@/lib/auth/guard";
import { checkHealth } from "@/lib/health";
import { liveWorkers } from "@/lib/workers/status";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { Card } from "@/components/ui/Card";
import { Badge } from "@/components/ui/Badge";
import { Time } from "@/components/ui/Time";
import { TableScroll } from "@/components/ui/TableScroll";

export const dynamic = "force-dynamic";
export const metadata = { title: "System health" };

export default async function SystemPage() {
  const { identity, allowed } = await pageIdentity("system:read", "/admin/system");
  if (!allowed) return <Forbidden role={identity.role} />;
  const [health, workers] = await Promise.all([checkHealth(), liveWorkers()]);
  const checks = [
    { name: "Database", value: health.db, help: "The database answers queries." },
    {
      name: "Job queue",
      value: health.queue,
      help: "The job queue is set up in the database, so background work (load tests, scoring) can be queued.",
    },
    { name: "Workers", value: health.worker, help: "A worker ran a heartbeat job in the last minute." },
  ];
  return (
    <>
      <PageHeader title="System health" description={`Version ${health.version}. The same checks answer GET /api/v1/health.`} />
      <div className="grid gap-4 md:grid-cols-3">
        {checks.map((c) => (
          <Card key={c.name}>
            <div className="flex items-center justify-between">
              <p className="font-medium">{c.name}</p>
              <Badge tone={c.value === "ok" ? "green" : "red"}>{c.value}</Badge>
            </div>
            <p className="mt-2 text-sm text-slate-600">{c.help}</p>
          </Card>
        ))}
      </div>
      <Card title="Live workers" className="mt-6">
        {workers.length === 0 ? (
          <p className="text-sm text-slate-600">
            No worker has sent a heartbeat in the last minute. Start one with <code>npm run worker</code>.
          </p>
        ) : (
          <TableScroll label="Live workers table">
            <table className="w-full text-left text-sm">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-2">Worker</th>
                  <th>Host</th>
                  <th>PID</th>
                  <th>Last heartbeat</th>
                </tr>
              </thead>
              <tbody>
                {workers.map((w) => (
                  <tr key={w.workerId}>
                    <td className="py-1 font-mono text-xs">{w.workerId}</td>
                    <td>{w.hostname}</td>
                    <td>{w.pid}</td>
                    <td>
                      <Time value={w.lastBeat} relative compact />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </Card>
    </>
  );
}
