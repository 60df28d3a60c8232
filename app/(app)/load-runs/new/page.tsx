import Link from "next/link";
import { pageIdentity } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { listTraces } from "@/lib/loadRuns/service";
import { listEndpoints } from "@/lib/endpoints/service";
import { PROFILES } from "@/lib/harness/profiles";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { Card } from "@/components/ui/Card";
import { NewLoadRunForm } from "@/components/loadRuns/NewLoadRunForm";

export const dynamic = "force-dynamic";
export const metadata = { title: "New load run" };

export default async function NewLoadRunPage({ searchParams }: { searchParams: Promise<{ trace?: string }> }) {
  const { identity, allowed } = await pageIdentity("loadRuns:run", "/load-runs/new");
  if (!allowed) return <Forbidden role={identity.role} />;
  const { trace } = await searchParams;
  const endpoints = can(identity.role, "endpoints:read") ? await listEndpoints() : [];
  const traces = await listTraces();
  return (
    <>
      <PageHeader
        title="New load run"
        description="Choose where to send, what to send and how fast. The whole schedule is planned before the first request, so a setting that cannot work is refused here."
        actions={
          <Link href="/load-runs" className="text-sm text-brand-700 underline underline-offset-2">
            All load tests
          </Link>
        }
      />
      <Card>
        <NewLoadRunForm
          endpoints={endpoints.map((e) => ({ name: e.name, defaultModel: e.defaultModel }))}
          profiles={[...PROFILES.values()].map((p) => ({ name: p.name, description: p.description }))}
          traces={traces.map((t) => ({ id: t.id, name: t.name, requestCount: t.requestCount, hasTimestamps: t.hasTimestamps }))}
          initialTrace={trace}
        />
      </Card>
    </>
  );
}
