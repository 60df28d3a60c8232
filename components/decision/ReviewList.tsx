import Link from "next/link";
import type { ReviewSummary } from "@/lib/reviews/service";
import { Badge } from "@/components/ui/Badge";
import { Time } from "@/components/ui/Time";

const STATUS_WORDS = { PENDING: "Waiting", APPROVED: "Approved", REJECTED: "Rejected" } as const;
const STATUS_TONE = { PENDING: "amber", APPROVED: "green", REJECTED: "red" } as const;

/** Reviews as a list of cards (readable at 390 px): what was proposed, by whom, the verdict and its comment. */
export function ReviewList({
  reviews,
  empty,
  showExperiment = false,
}: {
  reviews: ReviewSummary[];
  empty: string;
  showExperiment?: boolean;
}) {
  if (!reviews.length) return <p className="text-sm text-slate-600">{empty}</p>;
  return (
    <ul className="divide-y divide-slate-100">
      {reviews.map((r) => (
        <li key={r.id} className="py-3" data-review={r.id}>
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone={STATUS_TONE[r.status]}>{STATUS_WORDS[r.status]}</Badge>
            <Link href={`/reviews/${r.id}`} className="font-medium text-brand-700 underline underline-offset-2">
              {showExperiment ? `${r.experiment.name}: ${r.recommendation}` : r.recommendation}
            </Link>
          </div>
          <p className="mt-1 text-xs text-slate-600">
            Requested by {r.requestedBy ?? "an API key"} <Time value={r.createdAt} relative />
            {showExperiment && r.experiment.owner ? ` · experiment owned by ${r.experiment.owner}` : ""}
          </p>
          {r.note ? <p className="mt-1 text-sm text-slate-700">Note: {r.note}</p> : null}
          {r.status !== "PENDING" ? (
            <p className="mt-1 text-sm text-slate-800">
              {STATUS_WORDS[r.status]} by {r.reviewedBy ?? "a former user"}
              {r.comment ? <>: “{r.comment}”</> : null}
            </p>
          ) : !r.canDecide && r.cannotDecideReason && showExperiment ? (
            <p className="mt-1 text-xs text-slate-600">{r.cannotDecideReason}</p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
