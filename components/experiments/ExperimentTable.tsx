import Link from "next/link";
import { Badge } from "@/components/ui/Badge";
import { Card } from "@/components/ui/Card";
import type { ExperimentListItem } from "@/lib/experiments/types";
import { variableLabels } from "@/lib/validation/experiments";
import { statusTone } from "./statusTone";
import { Time } from "@/components/ui/Time";

/** The experiments, most recently changed first, each with its hypothesis under its name. */
export function ExperimentTable({ experiments }: { experiments: ExperimentListItem[] }) {
  return (
    <Card className="p-0">
      <table className="w-full text-left text-sm" data-testid="experiments-table">
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
          <tr>
            <th className="px-5 py-3">Experiment</th>
            <th className="pr-4">Status</th>
            <th className="pr-4">Variable under test</th>
            <th className="pr-4">Variants</th>
            <th className="pr-4">Owner</th>
            <th className="pr-5">Last change</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {experiments.map((e) => (
            <tr key={e.id} className="align-top">
              <td className="max-w-xl px-5 py-3">
                <Link className="font-medium text-brand-700 hover:underline" href={`/experiments/${encodeURIComponent(e.key)}`}>
                  {e.name}
                </Link>
                <span className="ml-2 font-mono text-xs text-slate-400">{e.key}</span>
                <p className="mt-0.5 line-clamp-2 text-xs text-slate-600">
                  {e.hypothesisSentence || <span className="italic text-slate-400">No hypothesis yet</span>}
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
              <td className="py-3 pr-4">{variableLabels[e.variableUnderTest]}</td>
              <td className="py-3 pr-4">{e.variantCount}</td>
              <td className="whitespace-nowrap py-3 pr-4">{e.owner?.name ?? "—"}</td>
              <td className="whitespace-nowrap py-3 pr-5 text-slate-600">
                <Time value={e.updatedAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
