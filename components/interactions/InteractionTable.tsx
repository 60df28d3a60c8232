import Link from "next/link";
import { Badge } from "@/components/ui/Badge";
import { TableScroll } from "@/components/ui/TableScroll";
import { Time } from "@/components/ui/Time";
import { stackedTable } from "@/components/ui/stackedTable";
import type { InteractionSummary } from "@/lib/interactions/explorer";
import { milliseconds, valueOrDash } from "./interactionLabels";

/** A text preview after its short label ("Asked", "Answer"), or a dash when nothing was logged; cut previews end with an ellipsis. */
function Preview({ label, text, cut, tone }: { label: string; text: string | null; cut: boolean; tone: string }) {
  return (
    <p className={`line-clamp-2 break-words ${tone}`}>
      <span className="mr-1.5 text-xs font-medium uppercase text-slate-600">{label}</span>
      {text ? `${text}${cut ? "…" : ""}` : "—"}
    </p>
  );
}

/** One page of interactions, newest first; each row opens the interaction in full (`openHref`). Below 640 px each row is a card. */
export function InteractionTable({
  interactions,
  openHref,
}: {
  interactions: InteractionSummary[];
  openHref: (requestId: string) => string;
}) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-2 shadow-sm sm:px-5">
      <TableScroll label="Interactions table">
        <table className={`${stackedTable.table} sm:min-w-[48rem]`} data-testid="interactions-table">
          <thead className={stackedTable.thead}>
            <tr>
              <th className="w-28 py-2 pr-3">Time</th>
              <th className="pr-3">Variant</th>
              <th className="min-w-28 pr-3">User</th>
              <th className="min-w-56 pr-3">Asked and answered</th>
              <th className="pr-3 text-right">Latency</th>
              <th className="pr-3 text-right">Feedback</th>
              <th className="pr-3">Flags</th>
              <th>
                <span className="sr-only">Open</span>
              </th>
            </tr>
          </thead>
          <tbody className={stackedTable.tbody}>
            {interactions.map((i) => (
              <tr key={i.id} className={`align-top ${stackedTable.tr}`} data-request-id={i.requestId}>
                <td className={`py-2 pr-3 text-slate-700 ${stackedTable.td}`} data-label="Time">
                  <Time value={i.timestamp} />
                </td>
                <td className={`py-2 pr-3 font-mono ${stackedTable.td}`} data-label="Variant">
                  {i.variant}
                </td>
                <td className={`py-2 pr-3 ${stackedTable.td}`} data-label="User">
                  <span className="inline-block max-w-40 break-words">{i.userId}</span>
                </td>
                <td className={`py-2 pr-3 max-sm:block! ${stackedTable.td}`} data-label="Asked and answered">
                  <Preview label="Asked" text={i.userInputPreview} cut={i.userInputTruncated} tone="text-slate-900" />
                  <Preview label="Answer" text={i.modelOutputPreview} cut={i.modelOutputTruncated} tone="mt-1 text-slate-700" />
                </td>
                <td className={`whitespace-nowrap py-2 pr-3 text-right tabular-nums ${stackedTable.td}`} data-label="Latency">
                  {milliseconds(i.latencyMs)}
                </td>
                <td className={`py-2 pr-3 text-right tabular-nums ${stackedTable.td}`} data-label="Feedback">
                  {valueOrDash(i.userFeedbackScore)}
                </td>
                <td className={`py-2 pr-3 ${stackedTable.td}`} data-label="Flags">
                  <span className="flex flex-wrap gap-1 whitespace-nowrap">
                    {i.safetyFlag ? <Badge tone="red">safety flag</Badge> : null}
                    {i.error ? <Badge tone="amber">failed</Badge> : null}
                    {!i.safetyFlag && !i.error ? <span className="text-slate-500">—</span> : null}
                  </span>
                </td>
                <td className={`py-2 text-right ${stackedTable.td}`} data-label="Details">
                  <Link
                    href={openHref(i.requestId)}
                    scroll={false}
                    className="font-medium text-brand-700 hover:underline"
                    aria-label={`Open interaction ${i.requestId}`}
                  >
                    Open
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </div>
  );
}
