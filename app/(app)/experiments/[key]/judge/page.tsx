import Link from "next/link";
import { notFound } from "next/navigation";
import { pageIdentity } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { listEndpoints } from "@/lib/endpoints/service";
import { experimentIsRunning, experimentVariants, listJudgeRuns } from "@/lib/judge/runs";
import { listDatasets } from "@/lib/datasets/service";
import { judgeAgreement } from "@/lib/judge/agreement";
import { listRubricVersions } from "@/lib/judge/rubrics";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { Card } from "@/components/ui/Card";
import { JudgeRuns } from "@/components/judge/JudgeRuns";
import { Agreement } from "@/components/judge/Agreement";
import { Pairwise } from "@/components/judge/Pairwise";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ key: string }> }) {
  return { title: `Judge ${(await params).key}` };
}

export default async function ExperimentJudgePage({ params }: { params: Promise<{ key: string }> }) {
  const { key } = await params;
  const { identity, allowed } = await pageIdentity("experiments:read", `/experiments/${key}/judge`);
  if (!allowed) return <Forbidden role={identity.role} />;
  const runs = await listJudgeRuns(key).catch((err) => {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    throw err;
  });
  // A rubric version whose stored criteria cannot be read is a message in place of the report, not a broken page.
  const agreement = can(identity.role, "interactions:read")
    ? await judgeAgreement(key).catch((err) => {
        if (err instanceof AppError && err.code === "VALIDATION") return err.message;
        throw err;
      })
    : null;
  const canRun = can(identity.role, "judge:run");
  const versions = await listRubricVersions();
  const rubrics = versions.map((v, i) => ({
    name: v.name,
    version: v.version,
    latest: i === 0 || versions[i - 1].name !== v.name,
    criteria: v.criteria.map((c) => ({ name: c.name, label: c.label, min: c.min, max: c.max })),
  }));
  const defaultRubric = versions.find((v) => v.name === "default")!;
  const endpoints =
    canRun && can(identity.role, "endpoints:read")
      ? (await listEndpoints()).map((e) => ({ name: e.name, defaultModel: e.defaultModel }))
      : [];
  const datasets = canRun ? (await listDatasets()).filter((d) => d.experiment === key).map((d) => d.name) : [];
  const running = await experimentIsRunning(key);
  const variants = canRun ? await experimentVariants(key) : [];
  return (
    <>
      <PageHeader
        title="Judge"
        description={
          <>
            <Link href={`/experiments/${encodeURIComponent(key)}`} className="text-brand-700 underline underline-offset-2">
              {key}
            </Link>{" "}
            · a strong model scores each answer, so quality can be compared at scale
          </>
        }
        actions={
          <Link href={`/experiments/${encodeURIComponent(key)}/results`} className="text-sm text-brand-700 underline underline-offset-2">
            Results
          </Link>
        }
      />
      <div className="space-y-6">
        <Card title="What the judge scores">
          <ul className="list-disc space-y-1 pl-5 text-sm text-slate-800">
            {defaultRubric.criteria.map((c) => (
              <li key={c.name}>
                <strong>{c.label}</strong> ({c.min}-{c.max}): {c.description}
              </li>
            ))}
          </ul>
          <p className="mt-2 text-sm text-slate-700">
            That is the default rubric (version {defaultRubric.version}); a run can use another, written on the{" "}
            <Link href="/rubrics" className="text-brand-700 underline underline-offset-2">
              Rubrics
            </Link>{" "}
            page. Each interaction gets one score per rubric version, with a short reasoning. A judgment that fails is counted and shown,
            never given a default score.
          </p>
        </Card>
        <Card title={canRun ? "Judge this experiment's interactions" : "Judge runs"}>
          <JudgeRuns
            experimentKey={key}
            endpoints={endpoints}
            rubrics={rubrics}
            datasets={datasets}
            running={running}
            canRun={canRun}
            initial={runs}
          />
        </Card>
        {agreement !== null ? (
          <Card title="Agreement with user ratings">
            {typeof agreement === "string" ? (
              <p className="text-sm text-slate-700">{agreement}</p>
            ) : (
              <Agreement
                // A refresh with new scores (a run finished) starts the section again from the server's report.
                key={`${agreement.rubric.name}:${agreement.rubric.version}:${agreement.n}:${agreement.versions.map((v) => v.scored).join(",")}`}
                experimentKey={key}
                initial={agreement}
              />
            )}
          </Card>
        ) : null}
        {canRun && endpoints.length > 0 && variants.length > 1 ? (
          <Card title="Head to head">
            <Pairwise experimentKey={key} variants={variants} endpoints={endpoints} />
          </Card>
        ) : null}
      </div>
    </>
  );
}
