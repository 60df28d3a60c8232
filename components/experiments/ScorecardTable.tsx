import { Badge } from "@/components/ui/Badge";
import { TableScroll } from "@/components/ui/TableScroll";
import type { MetricInput } from "@/lib/validation/experiments";
import { percent, quantileLabel, significant } from "@/lib/format/number";

const amount = (m: MetricInput, x: number | undefined) =>
  x === undefined || x === null ? "—" : m.mdeAbsolute ? significant(x) : percent(x);
const kinds = { MEAN: "mean", PROPORTION: "proportion", QUANTILE: "quantile" } as const;
const sources = { LOG_FIELD: "log", JUDGE_CRITERION: "judge", CUSTOM_VALUE: "custom" } as const;

/** The scorecard as a table (read-only views and the design document). */
export function ScorecardTable({ metrics }: { metrics: MetricInput[] }) {
  if (!metrics.length) return <p className="text-sm text-slate-600">No metrics in the scorecard yet.</p>;
  return (
    <TableScroll label="Scorecard table">
      <table className="w-full text-left text-sm" data-testid="scorecard-table">
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th className="py-2 pr-3">Metric</th>
            <th className="pr-3">Type</th>
            <th className="pr-3">Kind</th>
            <th className="pr-3">Reads</th>
            <th className="pr-3">Better when</th>
            <th className="pr-3">MDE</th>
            <th className="pr-3">Non-inferiority margin</th>
            <th className="pr-3">Baseline</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {metrics.map((m) => (
            <tr key={m.name}>
              <td className="break-words py-2 pr-3 font-medium">{m.name}</td>
              <td className="pr-3">
                <Badge tone={m.role === "GOAL" ? "green" : "amber"}>{m.role === "GOAL" ? "goal" : "guardrail"}</Badge>
              </td>
              <td className="pr-3">
                {kinds[m.kind]}
                {m.kind === "QUANTILE" && m.quantile ? ` (${quantileLabel(m.quantile)})` : ""}
              </td>
              <td className="pr-3">
                <span className="text-slate-500">{sources[m.source ?? "LOG_FIELD"]}</span>{" "}
                <span className="break-all font-mono text-xs">{m.field || "—"}</span>
              </td>
              <td className="pr-3">{m.direction === "INCREASE" ? "goes up" : "goes down"}</td>
              <td className="pr-3">
                {amount(m, m.mde)}
                {m.mdeAbsolute ? " abs." : " rel."}
              </td>
              <td className="pr-3">{m.role === "GUARDRAIL" ? amount(m, m.nonInferiorityMargin) : "—"}</td>
              <td className="pr-3">
                {m.baseline ?? "from logs"}
                {m.baselineSd ? ` (sd ${m.baselineSd})` : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
