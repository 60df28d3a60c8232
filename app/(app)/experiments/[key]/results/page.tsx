import Link from "next/link";
import { notFound } from "next/navigation";
import { pageIdentity } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { experimentResults } from "@/lib/results/service";
import { percent, significant } from "@/lib/format/number";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { Card } from "@/components/ui/Card";
import { Time } from "@/components/ui/Time";
import { MethodNote } from "@/components/ui/MethodNote";
import { buttonClass } from "@/components/ui/button";
import { MetricResultCard, formatP } from "@/components/results/MetricResultCard";
import { AnalysisSettingsForm } from "@/components/results/AnalysisSettingsForm";
import { SaveDatasetForm } from "@/components/datasets/SaveDatasetForm";
import { getAllocation } from "@/lib/rollouts/allocation";
import { AllocationHistoryChart, PBestLine } from "@/components/experiments/AllocationHistoryChart";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ key: string }> }) {
  return { title: `Results ${(await params).key}` };
}

const CORRECTION_WORDS: Record<string, string> = {
  holm: "Holm's correction across metrics and variants",
  bh: "Benjamini-Hochberg's false-discovery-rate correction across metrics and variants",
  none: "no correction for many comparisons",
};

export default async function ExperimentResultsPage({ params }: { params: Promise<{ key: string }> }) {
  const { key } = await params;
  const { identity, allowed } = await pageIdentity("interactions:read", `/experiments/${key}/results`);
  if (!allowed) return <Forbidden role={identity.role} />;
  const results = await experimentResults(key).catch((err) => {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    throw err;
  });
  const allocation = results.adaptive ? await getAllocation(key) : null;
  const { sample, srm } = results;
  const goals = results.metrics.filter((m) => m.role === "GOAL");
  const guardrails = results.metrics.filter((m) => m.role !== "GOAL");
  const total = results.variants.reduce((s, v) => s + v.interactions, 0);
  return (
    <>
      <PageHeader
        title="Results"
        description={
          <>
            <Link href={`/experiments/${encodeURIComponent(key)}`} className="text-brand-700 underline underline-offset-2">
              {key}
            </Link>{" "}
            · {total.toLocaleString("en-US")} interactions · updated <Time value={results.computedAt} relative />
          </>
        }
        actions={
          <>
            <Link href={`/experiments/${encodeURIComponent(key)}/interactions`} className={buttonClass.secondary}>
              Interactions
            </Link>
            <Link href={`/experiments/${encodeURIComponent(key)}/aa`} className={buttonClass.secondary}>
              A/A check
            </Link>
          </>
        }
      />
      <div className="space-y-6">
        {srm?.flag ? (
          <div role="alert" className="rounded-md bg-rose-50 p-4 text-sm text-rose-900 ring-1 ring-rose-200" data-testid="srm-banner">
            <p className="font-semibold">The split of users does not match the weights (p = {formatP(srm.pValue)}).</p>
            <p className="mt-1">
              Something sends users to variants unevenly (a redirect, a crash in one variant, a filter after assignment), so the comparisons
              below may be biased. Deploying is blocked until the cause is found.
            </p>
          </div>
        ) : null}

        <Card>
          <h2 className="text-base font-semibold text-slate-900">Sample so far</h2>
          <div className="mt-3 grid gap-4 md:grid-cols-[2fr_3fr]">
            <div data-testid="sample-progress">
              {sample.plannedPerVariant ? (
                <>
                  <p className="text-sm text-slate-800">
                    {sample.currentPerVariant.toLocaleString("en-US")} of {sample.plannedPerVariant.toLocaleString("en-US")} per variant
                    planned ({percent(sample.fraction ?? 0, 3)})
                  </p>
                  <div
                    className="mt-2 h-2.5 w-full rounded-full bg-slate-200"
                    role="progressbar"
                    aria-label="Sample so far against the plan"
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={Math.round((sample.fraction ?? 0) * 100)}
                  >
                    <div className="h-2.5 rounded-full bg-brand-600" style={{ width: `${Math.round((sample.fraction ?? 0) * 100)}%` }} />
                  </div>
                  <p className="mt-2 text-sm text-slate-600">
                    {sample.fraction !== null && sample.fraction >= 1 ? (
                      "The planned sample is reached."
                    ) : sample.eta ? (
                      <>
                        At the pace so far, the planned sample is reached around <Time value={sample.eta} />. Until then a result that looks
                        significant is less reliable{results.sequential ? " (sequential tests keep it valid)" : ""}.
                      </>
                    ) : (
                      "No pace to estimate from yet."
                    )}
                  </p>
                </>
              ) : (
                <p className="text-sm text-slate-600">
                  {sample.currentPerVariant.toLocaleString("en-US")} per variant so far; the design has no plan to compare with.
                </p>
              )}
            </div>
            <div>
              <table className="w-full text-left text-sm">
                <caption className="sr-only">Traffic per variant</caption>
                <thead className="text-xs uppercase text-slate-600">
                  <tr>
                    <th className="py-1">Variant</th>
                    <th>Weight</th>
                    <th>Users</th>
                    <th>Interactions</th>
                    <th>Failed</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {results.variants.map((v) => (
                    <tr key={v.variant}>
                      <td className="py-1 font-medium">
                        {v.variant} <span className="font-normal text-slate-600">{v.name}</span>
                      </td>
                      <td>{percent(v.weight, 3)}</td>
                      <td>{v.users.toLocaleString("en-US")}</td>
                      <td>{v.interactions.toLocaleString("en-US")}</td>
                      <td>{v.errorRate === null ? "—" : percent(v.errorRate, 2)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="mt-2 text-sm text-slate-600" data-testid="srm-status">
                {srm === null
                  ? "The split check starts once every variant has 8 users."
                  : srm.flag
                    ? `Split check failed: χ² ${significant(srm.chi2, 3)}, p ${formatP(srm.pValue)}.`
                    : `Split check passed: the users per variant match the weights (p ${formatP(srm.pValue)}).`}
              </p>
            </div>
          </div>
        </Card>

        {allocation ? (
          <Card>
            <div role="note" className="space-y-3" data-testid="adaptive-note">
              <h2 className="text-base font-semibold text-slate-900">The split adapts toward the goal</h2>
              <p className="text-sm text-slate-700">
                New users are sent more often to the variant that is doing best, so the usual fixed-split p-values do not hold here: they
                come out too small. Read the chance that each variant is the best below; the intervals on this page are the kind that stay
                valid however often you look. For a confirmatory answer, run a fixed split.
              </p>
              <PBestLine allocation={allocation} names={Object.fromEntries(results.variants.map((v) => [v.variant, v.name]))} />
              {allocation.history.length > 1 ? (
                <AllocationHistoryChart
                  allocation={allocation}
                  names={Object.fromEntries(results.variants.map((v) => [v.variant, v.name]))}
                />
              ) : null}
            </div>
          </Card>
        ) : null}

        <p className="text-sm text-slate-700" data-testid="analysis-reading">
          {results.sequential
            ? "Sequential tests: safe to check at any time."
            : "Fixed-horizon tests: read them once the planned sample is reached."}{" "}
          Significance at {significant(results.alpha * 100)}%, with {CORRECTION_WORDS[results.correction] ?? results.correction}.
        </p>

        {goals.map((m) => (
          <MetricResultCard key={m.metric} results={results} metric={m} />
        ))}
        {guardrails.length ? <h2 className="pt-2 text-lg font-semibold text-slate-900">Guardrails</h2> : null}
        {guardrails.map((m) => (
          <MetricResultCard key={m.metric} results={results} metric={m} />
        ))}

        <div className="grid gap-4 md:grid-cols-2">
          {can(identity.role, "experiments:edit") && results.status !== "DECIDED" ? (
            <Card>
              <h2 className="mb-3 text-base font-semibold text-slate-900">Analysis settings</h2>
              <AnalysisSettingsForm experimentKey={key} correction={results.correction} sequential={results.sequential} />
            </Card>
          ) : null}
          {can(identity.role, "datasets:manage") ? (
            <Card>
              <h2 className="mb-1 text-base font-semibold text-slate-900">Save interactions as a dataset</h2>
              <p className="mb-3 text-sm text-slate-700">
                Keep the answers worth a closer look, to judge again or replay against a new build.
              </p>
              <SaveDatasetForm experimentKey={key} variants={results.variants.map((v) => v.variant)} />
            </Card>
          ) : null}
          <MethodNote>
            <p>
              Means: Welch&apos;s t-test and a delta-method interval for the relative change. Rates: a two-proportion z-test (pooled for the
              test, unpooled for the interval). Percentiles: the difference of quantiles with an interval from order statistics (after Deng,
              Knoblich and Lu), and a Mann-Whitney rank test. Guardrails with a margin: a one-sided non-inferiority test against it.
            </p>
            <p>
              Many comparisons: Holm or Benjamini-Hochberg across every metric and treatment. Sequential: always-valid confidence sequences
              (Waudby-Smith et al.) tuned to the planned sample. Chance to beat the control: a normal approximation with a flat prior.
              Percentiles interpolate linearly between values. Users with a QA override and failed calls are left out.
            </p>
          </MethodNote>
        </div>
      </div>
    </>
  );
}
