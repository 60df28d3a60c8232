import Link from "next/link";
import { Badge } from "@/components/ui/Badge";
import type { ExperimentListItem } from "@/lib/experiments/types";
import { variableLabels } from "@/lib/validation/experiments";
import { statusTone } from "./statusTone";
import { Time } from "@/components/ui/Time";
import { TableScroll } from "@/components/ui/TableScroll";

/** The experiments, most recently changed first, each with its hypothesis under its name. */
export function ExperimentTable({ experiments }: { experiments: ExperimentListItem[] }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <TableScroll label="Experiments table">
        <table className="w-full text-left text-sm" data-testid="experiments-table">
          <thead className="border-b border-slate-200 text-xs uppercase text-slate-600">
            <tr>
              <th className="px-4 py-3 sm:px-5">Experiment</th>
              <th className="pr-4">Status</th>
              <th className="hidden pr-4 md:table-cell">Variable under test</th>
              <th className="hidden pr-4 md:table-cell">Variants</th>
              <th className="hidden pr-4 sm:table-cell">Owner</th>
              <th className="hidden pr-5 sm:table-cell">Last change</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {experiments.map((e) => (
              <tr key={e.id} className="align-top">
                <td className="max-w-xl px-4 py-3 sm:px-5">
                  <Link className="font-medium text-brand-700 hover:underline" href={`/experiments/${encodeURIComponent(e.key)}`}>
                    {e.name}
                  </Link>
                  <span className="block font-mono text-xs text-slate-600 sm:ml-2 sm:inline">{e.key}</span>
                  <p className="mt-0.5 line-clamp-2 text-xs text-slate-600">
                    {e.hypothesisSentence || <span className="italic text-slate-600">No hypothesis yet</span>}
                  </p>
                  <p className="mt-1 text-xs text-slate-600 sm:hidden">
                    Changed <Time value={e.updatedAt} />
                  </p>
                </td>
                <td className="py-3 pr-4">
                  <Badge tone={statusTone[e.status]}>{e.status}</Badge>
                  {e.archivedAt ? (
                    <span className="ml-1">
                      <Badge>archived</Badge>
                    </span>
                  ) : null}
                </td>
                <td className="hidden py-3 pr-4 md:table-cell">{variableLabels[e.variableUnderTest]}</td>
                <td className="hidden py-3 pr-4 md:table-cell">{e.variantCount}</td>
                <td className="hidden whitespace-nowrap py-3 pr-4 sm:table-cell">{e.owner?.name ?? "—"}</td>
                <td className="hidden whitespace-nowrap py-3 pr-5 text-slate-600 sm:table-cell">
                  <Time value={e.updatedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </div>
  );
}
