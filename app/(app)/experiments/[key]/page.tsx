import Link from "next/link";
import { notFound } from "next/navigation";
import { pageIdentity } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { listEndpoints } from "@/lib/endpoints/service";
import { getExperimentDetail } from "@/lib/experiments/service";
import { metricTemplates } from "@/lib/experiments/metricTemplates";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { buttonClass } from "@/components/ui/button";
import { DesignStudio } from "@/components/experiments/DesignStudio";
import { DesignReadOnly } from "@/components/experiments/DesignReadOnly";
import { AfterStartEditor } from "@/components/experiments/AfterStartEditor";
import { LifecyclePanel } from "@/components/experiments/LifecyclePanel";
import { designViewOf } from "@/components/experiments/designView";
import { TrafficPanel } from "@/components/experiments/TrafficPanel";
import { getTrafficControls } from "@/lib/traffic/control";
import { getRamp } from "@/lib/rollouts/rampService";
import { env } from "@/lib/env";
import { RampPanel } from "@/components/experiments/RampPanel";
import { WebhookPanel } from "@/components/experiments/WebhookPanel";
import { AllocationPanel } from "@/components/experiments/AllocationPanel";
import { getAllocation } from "@/lib/rollouts/allocation";
import { getWebhook } from "@/lib/webhooks/service";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ key: string }> }) {
  return { title: `Experiment ${(await params).key}` };
}

export default async function ExperimentDesignPage({ params }: { params: Promise<{ key: string }> }) {
  const { key } = await params;
  const { identity, allowed } = await pageIdentity("experiments:read", `/experiments/${key}`);
  if (!allowed) return <Forbidden role={identity.role} />;
  const detail = await getExperimentDetail(key).catch((err) => {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    throw err;
  });
  const view = designViewOf(detail);
  const permissions = {
    edit: can(identity.role, "experiments:edit"),
    editSettings: can(identity.role, "experiments:editVariantSettings"),
    lifecycle: can(identity.role, "experiments:lifecycle"),
  };
  // Once started, every role reads the design as text; what may still change comes as a small form beside it.
  const readOnly = (!permissions.edit && !permissions.editSettings && !permissions.lifecycle) || view.status !== "DRAFT";
  const traffic = view.status === "RUNNING" ? await getTrafficControls(key) : null;
  const ramp = traffic ? await getRamp(key) : null;
  const allocation = traffic ? await getAllocation(key) : null;
  const webhook = can(identity.role, "experiments:control") ? await getWebhook(key) : null;
  return (
    <>
      <PageHeader
        title={view.name}
        description={
          <>
            <Link href="/experiments" className="text-brand-700 underline underline-offset-2">
              Experiments
            </Link>{" "}
            / <span className="font-mono">{view.key}</span> · the design: hypothesis, variants, scorecard and plan.
          </>
        }
        actions={
          <>
            {view.status !== "DRAFT" && can(identity.role, "interactions:read") ? (
              <Link href={`/experiments/${encodeURIComponent(view.key)}/results`} className={buttonClass.primary}>
                Results
              </Link>
            ) : null}
            <Link href={`/experiments/${encodeURIComponent(view.key)}/interactions`} className={buttonClass.secondary}>
              Interactions
            </Link>
            {view.status !== "DRAFT" ? (
              <Link href={`/experiments/${encodeURIComponent(view.key)}/judge`} className={buttonClass.secondary}>
                Judge
              </Link>
            ) : null}
            {can(identity.role, "interactions:write") ? (
              <Link href={`/experiments/${encodeURIComponent(view.key)}/upload`} className={buttonClass.secondary}>
                Upload interactions
              </Link>
            ) : null}
            <Link href={`/experiments/${encodeURIComponent(view.key)}/document`} className={buttonClass.secondary}>
              Design document
            </Link>
            <Link href={`/experiments/${encodeURIComponent(view.key)}/aa`} className={buttonClass.secondary}>
              A/A check
            </Link>
            {view.status !== "DRAFT" ? (
              <Link href={`/experiments/${encodeURIComponent(view.key)}/decision`} className={buttonClass.primary}>
                Decision
              </Link>
            ) : null}
          </>
        }
      />
      {readOnly ? (
        <DesignReadOnly
          view={view}
          role={identity.role}
          can={permissions}
          editor={permissions.edit && view.status !== "DRAFT" ? <AfterStartEditor key={view.updatedAt} view={view} /> : undefined}
          lifecycle={permissions.lifecycle ? <LifecyclePanel view={view} dirty={false} /> : undefined}
          traffic={
            traffic ? (
              <div className="space-y-6">
                <RampPanel
                  experiment={view.key}
                  ramp={ramp}
                  variants={traffic.variants}
                  canChange={can(identity.role, "experiments:control")}
                  checkSeconds={Math.max(env().ASSAY_RAMP_CHECK_SECONDS, env().ASSAY_HEARTBEAT_SECONDS)}
                />
                {allocation ? (
                  <AllocationPanel
                    allocation={allocation}
                    names={Object.fromEntries(traffic.variants.map((v) => [v.key, v.name]))}
                    canChange={can(identity.role, "experiments:control")}
                  />
                ) : null}
                {/* Keyed on the split, so a ramp's move redraws the split form with the new weights. */}
                <TrafficPanel
                  key={`${JSON.stringify(traffic.weights)}:${traffic.coverage}`}
                  traffic={traffic}
                  canChange={can(identity.role, "experiments:control")}
                />
              </div>
            ) : undefined
          }
        />
      ) : (
        <DesignStudio
          key={view.updatedAt}
          view={view}
          can={permissions}
          templates={metricTemplates}
          role={identity.role}
          endpoints={can(identity.role, "endpoints:read") ? (await listEndpoints()).map((e) => ({ id: e.id, name: e.name })) : []}
        />
      )}
      {webhook ? (
        <div className="mt-6">
          <WebhookPanel experiment={view.key} initial={webhook} />
        </div>
      ) : null}
    </>
  );
}
