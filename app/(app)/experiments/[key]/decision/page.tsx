import Link from "next/link";
import { notFound } from "next/navigation";
import { pageIdentity } from "@/lib/auth/guard";
import { AppError } from "@/lib/errors";
import { experimentDecisionView, proposalWords } from "@/lib/reviews/service";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { buttonClass } from "@/components/ui/button";
import { DecisionMatrixView } from "@/components/decision/DecisionMatrixView";
import { DecisionRulesForm } from "@/components/decision/DecisionRulesForm";
import { RequestReviewForm } from "@/components/decision/RequestReviewForm";
import { ReviewList } from "@/components/decision/ReviewList";
import { ShipConfiguration } from "@/components/decision/ShipConfiguration";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ key: string }> }) {
  return { title: `Decision ${(await params).key}` };
}

export default async function ExperimentDecisionPage({ params }: { params: Promise<{ key: string }> }) {
  const { key } = await params;
  const { identity, allowed } = await pageIdentity("experiments:read", `/experiments/${key}/decision`);
  if (!allowed) return <Forbidden role={identity.role} />;
  const view = await experimentDecisionView(identity, key).catch((err) => {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    throw err;
  });
  const { experiment, matrix } = view;
  const experimentHref = `/experiments/${encodeURIComponent(experiment.key)}`;
  const proposal = matrix?.proposal ?? experiment.variants.find((v) => v.isControl)?.key ?? experiment.variants[0]?.key;
  return (
    <>
      <PageHeader
        title={`Decision: ${experiment.name}`}
        description={
          <>
            <Link href="/experiments" className="text-brand-700 underline underline-offset-2">
              Experiments
            </Link>{" "}
            /{" "}
            <Link href={experimentHref} className="font-mono text-brand-700 underline underline-offset-2">
              {experiment.key}
            </Link>{" "}
            · the decision matrix, each variant&apos;s recommendation, and the reviewer&apos;s sign-off.
          </>
        }
        actions={
          <Link href={experimentHref} className={buttonClass.secondary}>
            Design
          </Link>
        }
      />
      <div className="space-y-6">
        {view.ship ? <ShipConfiguration ship={view.ship} approved={view.approved} /> : null}
        {view.pending ? (
          <Card title="Waiting for a reviewer">
            <p className="text-sm text-slate-800" data-testid="pending-review">
              <span className="font-medium">{view.pending.recommendation}</span> — requested by {view.pending.requestedBy ?? "an API key"}.
              The reviewer decides on the matrix as it was frozen then.{" "}
              <Link href={`/reviews/${view.pending.id}`} className="text-brand-700 underline underline-offset-2">
                Open the review
              </Link>
            </p>
          </Card>
        ) : null}
        <Card title={experiment.status === "DECIDED" && view.approved?.matrix ? "Decision matrix as approved" : "Decision matrix"}>
          {experiment.status === "DECIDED" && view.approved?.matrix ? (
            <DecisionMatrixView matrix={view.approved.matrix} caption={`Decision matrix of ${experiment.name}, as approved`} />
          ) : matrix ? (
            <DecisionMatrixView matrix={matrix} caption={`Decision matrix of ${experiment.name}`} />
          ) : (
            <EmptyState title="No results yet">The matrix fills in once the experiment has started and interactions arrive.</EmptyState>
          )}
        </Card>
        {view.canRequest && proposal ? (
          <Card title="Request review">
            <RequestReviewForm
              experimentKey={experiment.key}
              proposal={proposal}
              variants={experiment.variants.map((v) => ({
                key: v.key,
                label: `${proposalWords(v)}${matrix?.rows.find((r) => r.variant === v.key)?.recommendation === "deploy" ? " — the rules say deploy" : ""}`,
              }))}
            />
          </Card>
        ) : experiment.status === "RUNNING" && view.canEditRules ? (
          <p className="text-sm text-slate-700">
            A review can be requested once the experiment is stopped: it freezes the results of a finished test.
          </p>
        ) : null}
        {view.canEditRules ? (
          <Card title="Decision rules">
            <DecisionRulesForm experimentKey={experiment.key} rules={view.rules} />
          </Card>
        ) : null}
        <Card title="Reviews">
          <ReviewList reviews={view.reviews} empty="No review has been requested yet." />
        </Card>
      </div>
    </>
  );
}
