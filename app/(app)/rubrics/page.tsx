import { pageIdentity } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { listEndpoints } from "@/lib/endpoints/service";
import { listRubricVersions } from "@/lib/judge/rubrics";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { RubricsWorkbench } from "@/components/rubrics/RubricsWorkbench";

export const dynamic = "force-dynamic";
export const metadata = { title: "Rubrics" };

export default async function RubricsPage() {
  const { identity, allowed } = await pageIdentity("rubrics:read", "/rubrics");
  if (!allowed) return <Forbidden role={identity.role} />;
  const versions = await listRubricVersions();
  const canTry = can(identity.role, "judge:run") && can(identity.role, "endpoints:read");
  const endpoints = canTry ? (await listEndpoints()).map((e) => ({ name: e.name, defaultModel: e.defaultModel })) : [];
  return (
    <>
      <PageHeader
        title="Rubrics"
        description="What the judge scores each answer on. A rubric keeps every version it had: a saved version never changes, and each judge run and score names the version it used."
      />
      <RubricsWorkbench versions={versions} endpoints={endpoints} canManage={can(identity.role, "rubrics:manage")} canTry={canTry} />
    </>
  );
}
