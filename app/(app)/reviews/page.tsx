import { pageIdentity } from "@/lib/auth/guard";
import { reviewQueueFor } from "@/lib/reviews/service";
import { PageHeader } from "@/components/ui/PageHeader";
import { Forbidden } from "@/components/ui/Forbidden";
import { EmptyState } from "@/components/ui/EmptyState";
import { Card } from "@/components/ui/Card";
import { ReviewList } from "@/components/decision/ReviewList";

export const dynamic = "force-dynamic";
export const metadata = { title: "Reviews" };

export default async function ReviewsPage() {
  const { identity, allowed } = await pageIdentity("decisions:review", "/reviews");
  if (!allowed) return <Forbidden role={identity.role} />;
  const queue = await reviewQueueFor(identity);
  const nothing = !queue.waiting.length && !queue.otherPending.length && !queue.decided.length;
  return (
    <>
      <PageHeader
        title="Reviews"
        description="Deploy decisions waiting for your sign-off, and the ones already made. Each keeps its decision matrix as it was when the review was requested, and the reviewer's comment."
      />
      {nothing ? (
        <EmptyState title="Nothing to review">When a PM stops an experiment and requests a deploy decision, it appears here.</EmptyState>
      ) : (
        <div className="space-y-6">
          <Card title={`Waiting for you (${queue.waiting.length})`}>
            <div data-testid="waiting-for-me">
              <ReviewList reviews={queue.waiting} empty="Nothing is waiting for you." showExperiment />
            </div>
          </Card>
          {queue.otherPending.length ? (
            <Card title={`Waiting for another reviewer (${queue.otherPending.length})`}>
              <p className="mb-2 text-sm text-slate-600">
                You requested these, or own their experiments, so another reviewer decides them.
              </p>
              <ReviewList reviews={queue.otherPending} empty="" showExperiment />
            </Card>
          ) : null}
          <Card title="Decided">
            <ReviewList reviews={queue.decided} empty="No decision has been made yet." showExperiment />
          </Card>
        </div>
      )}
    </>
  );
}
