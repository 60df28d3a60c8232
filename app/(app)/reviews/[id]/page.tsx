import Link from "next/link";
import { notFound } from "next/navigation";
import { pageIdentity } from "@/lib/auth/guard";
import { AppError } from "@/lib/errors";
import { getReview } from "@/lib/reviews/service";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { Card } from "@/components/ui/Card";
import { Badge } from "@/components/ui/Badge";
import { Time } from "@/components/ui/Time";
import { DecisionMatrixView } from "@/components/decision/DecisionMatrixView";
import { ReviewVerdictForm } from "@/components/decision/ReviewVerdictForm";

export const dynamic = "force-dynamic";
export const metadata = { title: "Review" };

export default async function ReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { identity, allowed } = await pageIdentity("experiments:read", `/reviews/${id}`);
  if (!allowed) return <Forbidden role={identity.role} />;
  const review = await getReview(identity, id).catch((err) => {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    throw err;
  });
  const experimentHref = `/experiments/${encodeURIComponent(review.experiment.key)}`;
  return (
    <>
      <PageHeader
        title={`Review: ${review.recommendation}`}
        description={
          <>
            <Link href="/reviews" className="text-brand-700 underline underline-offset-2">
              Reviews
            </Link>{" "}
            /{" "}
            <Link href={`${experimentHref}/decision`} className="text-brand-700 underline underline-offset-2">
              {review.experiment.name}
            </Link>
          </>
        }
      />
      <div className="space-y-6">
        <Card title="The request">
          <dl className="grid gap-3 text-sm sm:grid-cols-2 lg:grid-cols-4">
            <div>
              <dt className="text-slate-600">Status</dt>
              <dd className="mt-0.5">
                <Badge tone={review.status === "APPROVED" ? "green" : review.status === "REJECTED" ? "red" : "amber"}>
                  {review.status === "PENDING" ? "Waiting for a reviewer" : review.status === "APPROVED" ? "Approved" : "Rejected"}
                </Badge>
              </dd>
            </div>
            <div>
              <dt className="text-slate-600">Proposed</dt>
              <dd className="mt-0.5 font-medium">{review.recommendation}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Requested by</dt>
              <dd className="mt-0.5">
                {review.requestedBy ?? "an API key"}, <Time value={review.createdAt} />
              </dd>
            </div>
            <div>
              <dt className="text-slate-600">Experiment owner</dt>
              <dd className="mt-0.5">{review.experiment.owner ?? "nobody"}</dd>
            </div>
          </dl>
          {review.note ? <p className="mt-3 text-sm text-slate-800">Note from the requester: {review.note}</p> : null}
          {review.status !== "PENDING" ? (
            <p className="mt-3 text-sm text-slate-900" data-testid="verdict">
              {review.status === "APPROVED" ? "Approved" : "Rejected"} by {review.reviewedBy ?? "a former user"}
              {review.reviewedAt ? (
                <>
                  {" "}
                  on <Time value={review.reviewedAt} />
                </>
              ) : null}
              : “{review.comment}”
            </p>
          ) : null}
        </Card>
        <Card title="Decision matrix, as frozen when the review was requested">
          {review.matrix ? (
            <DecisionMatrixView matrix={review.matrix} caption={`Decision matrix of ${review.experiment.name} for this review`} />
          ) : (
            <p className="text-sm text-slate-700">This decision was recorded without a decision matrix.</p>
          )}
        </Card>
        {review.status === "PENDING" ? (
          <Card title="Your decision">
            {review.canDecide ? (
              <ReviewVerdictForm reviewId={review.id} recommendation={review.recommendation} />
            ) : (
              <p className="text-sm text-slate-800" data-testid="cannot-decide">
                {review.cannotDecideReason}
              </p>
            )}
          </Card>
        ) : null}
      </div>
    </>
  );
}
