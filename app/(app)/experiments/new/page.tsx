import { pageIdentity } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { listEndpoints } from "@/lib/endpoints/service";
import { metricTemplates } from "@/lib/experiments/metricTemplates";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { NewExperimentForm } from "@/components/experiments/NewExperimentForm";

export const dynamic = "force-dynamic";
export const metadata = { title: "New experiment" };

export default async function NewExperimentPage() {
  const { identity, allowed } = await pageIdentity("experiments:create", "/experiments/new");
  if (!allowed) return <Forbidden role={identity.role} />;
  return (
    <>
      <PageHeader
        title="New experiment"
        description="Design before you build: a hypothesis, the one variable you change, the variants and the metrics that decide. It is saved as a draft; nothing reaches users until you start it."
      />
      {/* The kept draft is per user: another person signing in on this browser does not see it. */}
      <NewExperimentForm
        templates={metricTemplates}
        draftKey={`assay:new-experiment:${identity.userId ?? identity.email ?? "anonymous"}`}
        endpoints={can(identity.role, "endpoints:read") ? (await listEndpoints()).map((e) => ({ id: e.id, name: e.name })) : []}
      />
    </>
  );
}
