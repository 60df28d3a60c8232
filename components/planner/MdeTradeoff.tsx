import { Badge } from "@/components/ui/Badge";
import { Card } from "@/components/ui/Card";
import { SampleSizeByMdeChart } from "@/components/charts/SampleSizeByMdeChart";
import type { PlanReport } from "@/lib/planner/report";
import { count, short, signedPercent } from "./format";
import { TableScroll } from "@/components/ui/TableScroll";

type Row = {
  mde: number;
  feasible: boolean;
  perVariant: number | null;
  total: number | null;
  days: number | null;
  current: boolean;
  extra?: boolean;
};

/** The MDE trade-off: n per variant, total and days at 1-15% relative, as a table and a log-scale chart, the plan's MDE marked. */
export function MdeTradeoff({ report }: { report: PlanReport }) {
  const { plan, table, relativeMde } = report;
  if (table.length === 0 || relativeMde === null) {
    return (
      <Card title="MDE trade-off">
        <p className="text-sm text-slate-600">The table uses relative MDEs, which need a non-zero baseline.</p>
      </Card>
    );
  }
  const baseline = plan.metric === "proportion" ? plan.p1! : plan.baselineMean!;
  // The plan's own MDE gets a row of its own when it is not one of the table's.
  const rows: Row[] = table.some((r) => r.current)
    ? table
    : [
        ...table,
        { mde: relativeMde, feasible: true, perVariant: plan.perVariant, total: plan.total, days: plan.days, current: true, extra: true },
      ].sort((a, b) => Math.abs(a.mde) - Math.abs(b.mde));
  const decrease = relativeMde < 0;
  // Rounded so 0.1 · 100 = 10.000000000000002 lands on the 10% tick and matches the plan's own point.
  const percentOf = (mde: number) => Number((Math.abs(mde) * 100).toPrecision(6));
  const points = table.filter((r) => r.feasible).map((r) => ({ mdePercent: percentOf(r.mde), perVariant: r.perVariant! }));
  const current = { mdePercent: percentOf(relativeMde), perVariant: plan.perVariant };

  return (
    <Card title="MDE trade-off">
      <p className="mb-3 text-sm text-slate-600">
        Halving the MDE roughly quadruples the sample. Same alpha, power, variants and traffic as above
        {decrease ? "; a decrease of each size" : ""}.
      </p>
      <div className="grid gap-6 2xl:grid-cols-2">
        <TableScroll label="Sample size by MDE table">
          <table className="w-full text-right text-sm tabular-nums" data-testid="mde-table">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-2 text-left font-medium">MDE (relative)</th>
                <th className="font-medium">{plan.metric === "proportion" ? "Rate" : "Mean"}</th>
                <th className="font-medium">Per variant</th>
                <th className="font-medium">Total</th>
                <th className="font-medium">Days</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((r) => (
                <tr
                  key={`${r.mde}-${r.extra ? "x" : ""}`}
                  className={r.current ? "bg-amber-50 font-medium" : ""}
                  data-current={r.current || undefined}
                >
                  <td className="py-2 pl-1 text-left">
                    {signedPercent(r.mde)} {r.current ? <Badge tone="amber">your MDE</Badge> : null}
                  </td>
                  <td>{short(baseline * (1 + r.mde))}</td>
                  {r.feasible ? (
                    <>
                      <td>{count(r.perVariant!)}</td>
                      <td>{count(r.total!)}</td>
                      <td className="pr-1">{r.days === null ? "—" : count(r.days)}</td>
                    </>
                  ) : (
                    <td colSpan={3} className="pr-1">
                      <span title={`${short(baseline)} × (1 ${r.mde < 0 ? "−" : "+"} ${short(Math.abs(r.mde) * 100)}%) is outside 0–1`}>
                        <Badge tone="red">not possible: rate outside 0–1</Badge>
                      </span>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <SampleSizeByMdeChart points={points} current={current} xLabel={decrease ? "MDE (% relative decrease)" : "MDE (% relative)"} />
      </div>
    </Card>
  );
}
