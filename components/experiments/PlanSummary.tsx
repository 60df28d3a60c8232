import type { ExperimentPlanView } from "@/lib/experiments/plan";
import { MethodNote } from "@/components/ui/MethodNote";

const int = (x: number) => x.toLocaleString("en-US");
const pct = (x: number) => `${Number((x * 100).toPrecision(6))}%`;

/** The plan in one line a PM can repeat ("1,872 per variant · 3,744 total · 2 days") and how it follows from the inputs. */
export function PlanSummary({ plan, note }: { plan: ExperimentPlanView | null; note?: string }) {
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
  const signed = (x: number) => (x > 0 ? `+${x}` : String(x));
  const mde = plan.mdeAbsolute ? `${signed(plan.mde)} (absolute)` : `${plan.mde > 0 ? "+" : ""}${pct(plan.mde)} relative`;
  return (
    <div className="space-y-3" data-testid="plan-summary">
      <p className="text-2xl font-semibold tracking-tight text-slate-900" data-testid="plan-headline">
        {int(plan.perVariant)} per variant · {int(plan.total)} total ·{" "}
        {plan.days === null ? "set the daily traffic for a duration" : `${plan.days} ${plan.days === 1 ? "day" : "days"}`}
      </p>
      {note ? <p className="text-xs font-medium text-amber-700">{note}</p> : null}
      <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-4">
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
              ? ` · ${plan.baselineSource === "control-history" ? "" : "sd "}from the control's ${plan.history.n.toLocaleString("en-US")} logged interactions`
              : ""}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">MDE</dt>
          <dd className="font-medium">{mde}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Significance · power</dt>
          <dd className="font-medium">
            α {plan.alpha} · {pct(plan.power)}
          </dd>
        </div>
      </dl>
      <MethodNote title="Method: how the numbers follow">
        <p data-testid="plan-explanation">{plan.explanation}</p>
        <p className="text-slate-600">Sources: {plan.method}</p>
      </MethodNote>
    </div>
  );
}
