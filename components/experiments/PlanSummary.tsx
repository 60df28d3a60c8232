import { Badge } from "@/components/ui/Badge";
import { MethodNote } from "@/components/ui/MethodNote";
import { notSizedText, type ExperimentPlan, type ExperimentPlanView, type MetricRequirement } from "@/lib/experiments/plan";
import { TableScroll } from "@/components/ui/TableScroll";
import { stackedTable } from "@/components/ui/stackedTable";
import { percent } from "@/lib/format/number";
import { fullWeeksText } from "@/lib/planner/duration";

const int = (x: number) => x.toLocaleString("en-US");
const pct = percent;
const days = (n: number) => `${int(n)} ${n === 1 ? "day" : "days"}`;
const signed = (x: number) => (x > 0 ? `+${x}` : String(x));

/** "+5% relative" / "−0.005 (absolute)": an MDE or margin as the scorecard states it. */
function effectText(effect: number, absolute: boolean): string {
  return absolute ? `${signed(effect)} (absolute)` : `${effect > 0 ? "+" : ""}${pct(effect)} relative`;
}

/** "1,872 per variant" or, with an unequal split, "9,358 in A · 1,040 in B". */
export function armsText(plan: Pick<ExperimentPlan, "unequalSplit" | "perVariant">, arms: { key: string; n: number }[]): string {
  return plan.unequalSplit ? arms.map((a) => `${int(a.n)} in ${a.key}`).join(" · ") : `${int(plan.perVariant)} per variant`;
}

function RequirementRow({ r, plan, started }: { r: MetricRequirement; plan: ExperimentPlan; started: boolean }) {
  const sets = r.sized && r.metricName === plan.duration.metricName;
  return (
    <tr className={`${stackedTable.tr} ${sets ? "bg-amber-50" : ""}`} data-sets-duration={sets || undefined}>
      <td className={`py-2 pr-3 font-medium ${stackedTable.td}`} data-label="Metric">
        {r.metricName} {sets ? <Badge tone="amber">sets the duration</Badge> : null}
      </td>
      <td className={`pr-3 ${stackedTable.td}`} data-label="Type">
        {r.role === "GOAL" ? "goal" : "guardrail"}
      </td>
      {r.sized ? (
        <>
          <td className={`pr-3 ${stackedTable.td}`} data-label="Sized to">
            {r.test === "non-inferiority"
              ? `no more than ${r.absolute ? Math.abs(r.effect) : pct(Math.abs(r.effect))} worse (${r.absolute ? "absolute" : "relative"}, one-sided)`
              : `detect ${effectText(r.effect, r.absolute)}`}
          </td>
          <td className={`pr-3 text-right tabular-nums ${stackedTable.td}`} data-label={plan.unequalSplit ? "Per arm" : "Per variant"}>
            {plan.unequalSplit ? r.arms.map((a) => int(a.n)).join(" / ") : int(r.perVariant)}
          </td>
          <td className={`pr-3 text-right tabular-nums ${stackedTable.td}`} data-label="Total">
            {int(r.total)}
          </td>
          <td className={`text-right tabular-nums ${stackedTable.td}`} data-label="Days">
            {r.days === null ? "—" : int(r.days)}
          </td>
        </>
      ) : (
        <td colSpan={4} className={`text-slate-600 ${stackedTable.td}`} data-label="Not sized">
          {notSizedText(r, started)}
        </td>
      )}
    </tr>
  );
}

/**
 * The plan in one line a PM can repeat ("1,872 per variant · 3,744 total · 2 days"), what every metric needs, which one
 * sets the duration, and how it follows from the inputs. `started`: the scorecard is locked, so no "type a baseline"
 * to-dos; `locked`: the plan is fixed too (data collection has ended), so no advice on how long to run.
 */
export function PlanSummary({
  plan,
  note,
  started = false,
  locked = false,
}: {
  plan: ExperimentPlanView | null;
  note?: string;
  started?: boolean;
  locked?: boolean;
}) {
  if (plan === null) {
    return (
      <p className="text-sm text-slate-600" data-testid="plan-summary">
        Add a goal metric to the scorecard to size the test.
      </p>
    );
  }
  if ("error" in plan) {
    return (
      <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200" data-testid="plan-summary">
        {plan.error}
      </p>
    );
  }
  const unit = plan.unit === "users" ? "users" : "interactions";
  const d = plan.duration;
  const setByOther = d.metricName !== plan.metricName;
  return (
    <div className="space-y-3" data-testid="plan-summary">
      <p className="text-2xl font-semibold tracking-tight text-slate-900" data-testid="plan-headline">
        {armsText({ unequalSplit: plan.unequalSplit, perVariant: d.perVariant }, d.arms)} · {int(d.total)} total ·{" "}
        {d.days === null ? "set the daily traffic for a duration" : days(d.days)}
      </p>
      {note ? <p className="text-xs font-medium text-amber-700">{note}</p> : null}
      {d.days !== null ? (
        <p className="text-sm text-slate-800" data-testid="plan-duration">
          <span className="font-medium">
            Duration: {days(d.days)}
            {!locked && d.fullWeekDays !== null && d.fullWeekDays !== d.days ? `, run ${fullWeeksText(d.fullWeekDays)}` : ""}
          </span>
          {" · "}
          set by {d.metricName}
          {setByOther ? `, which needs ${int(d.total)} ${unit} in all` : ""}
          {plan.requirements.filter((r) => r.sized).length > 1 ? " (the largest requirement of the scorecard)" : ""}.
        </p>
      ) : null}
      {[...(locked ? [] : plan.advice), ...plan.warnings].map((text) => (
        <p
          key={text}
          className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200"
          data-testid={plan.warnings.includes(text) ? "plan-warning" : "plan-advice"}
        >
          {text}
        </p>
      ))}
      <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-3 lg:grid-cols-6">
        <div>
          <dt className="text-slate-500">Sized on</dt>
          <dd className="font-medium">{plan.metricName}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Baseline</dt>
          <dd className="font-medium">
            {plan.baseline}
            {plan.sd !== undefined ? ` (sd ${plan.sd})` : ""}
            {plan.history
              ? ` · ${plan.baselineSource === "control-history" ? "" : "sd "}from the control's ${int(plan.history.n)} logged interactions`
              : ""}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">MDE</dt>
          <dd className="font-medium">{effectText(plan.mde, plan.mdeAbsolute)}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Significance · power</dt>
          <dd className="font-medium">
            α {plan.alpha} · {pct(plan.power)}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">The sample counts</dt>
          <dd className="font-medium" data-testid="plan-unit">
            {unit}
            {plan.unit === "interactions" && plan.interactionsPerUser !== undefined ? ` (${plan.interactionsPerUser} per user)` : ""}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Traffic split</dt>
          <dd className="font-medium" data-testid="plan-split">
            {plan.arms.map((a) => `${a.key} ${a.weight}%`).join(" · ")}
            {plan.excludedVariants.length ? ` · ${plan.excludedVariants.join(", ")} at 0% (not an arm)` : ""}
          </dd>
        </div>
      </dl>
      {plan.requirements.length > 1 ? (
        <div>
          {/* Above the scroll box, not a caption inside it: a caption is as wide as its table and was cut off at 390 px. */}
          <p id="plan-requirements-caption" className="mb-1 text-xs text-slate-600">
            What each metric needs (
            {plan.unequalSplit ? `${unit} per arm, ${plan.arms.map((a) => a.key).join(" / ")}` : `${unit} per variant`}
            ). Guardrails with a non-inferiority margin are sized to show the variant is no worse than the margin.
          </p>
          <TableScroll label="What each metric needs">
            <table
              className={`${stackedTable.table} sm:min-w-[36rem]`}
              data-testid="plan-requirements"
              aria-describedby="plan-requirements-caption"
            >
              <thead className={stackedTable.thead}>
                <tr>
                  <th className="py-2 pr-3 font-medium">Metric</th>
                  <th className="pr-3 font-medium">Type</th>
                  <th className="pr-3 font-medium">Sized to</th>
                  <th className="pr-3 text-right font-medium">{plan.unequalSplit ? "Per arm" : "Per variant"}</th>
                  <th className="pr-3 text-right font-medium">Total</th>
                  <th className="text-right font-medium">Days</th>
                </tr>
              </thead>
              <tbody className={stackedTable.tbody}>
                {plan.requirements.map((r) => (
                  <RequirementRow key={r.metricName} r={r} plan={plan} started={started || locked} />
                ))}
              </tbody>
            </table>
          </TableScroll>
        </div>
      ) : null}
      <MethodNote title="Method: how the numbers follow">
        <p data-testid="plan-explanation">{plan.explanation}</p>
        <p className="text-slate-600">Sources: {plan.method}</p>
      </MethodNote>
    </div>
  );
}
