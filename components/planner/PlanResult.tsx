import { Card } from "@/components/ui/Card";
import type { Plan } from "@/lib/stats/power";
import { durationAdvice } from "@/lib/planner/duration";
import { count, minus, short } from "./format";
import { decimals } from "@/lib/format/number";

function Stat({ testId, value, unit, sub }: { testId: string; value: string; unit: string; sub?: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <p data-testid={testId} className="text-slate-600">
        <span className="text-3xl font-semibold tabular-nums tracking-tight text-slate-900">{value}</span> {unit}
      </p>
      {sub ? <p className="mt-1 text-xs text-slate-500">{sub}</p> : null}
    </div>
  );
}

const methodName = (plan: Plan) =>
  plan.metric === "mean" ? "(target − baseline) / SD" : plan.effectSizeMethod === "cohens-h" ? "Cohen's h" : "pooled SD";

/** The plan's big numbers (per variant, total, days) with the effect size and exact n behind them. */
export function PlanResult({ plan, compact = false }: { plan: Plan | null; compact?: boolean }) {
  if (!plan) {
    return (
      <Card title="Sample size">
        <div className="grid grid-cols-3 gap-4 opacity-50" aria-hidden>
          <Stat testId="plan-per-variant-empty" value="—" unit="per variant" />
          <Stat testId="plan-total-empty" value="—" unit="total" />
          <Stat testId="plan-days-empty" value="—" unit="days" />
        </div>
        <p className="mt-4 text-sm text-rose-700" role="status">
          Fix the highlighted input to see the plan.
        </p>
      </Card>
    );
  }
  const perDay = plan.dailyTraffic === null ? null : plan.dailyTraffic * plan.coverage;
  const target =
    plan.metric === "proportion" ? `${short(plan.p1!)} → ${short(plan.p2!)}` : `${short(plan.baselineMean!)} → ${short(plan.targetMean!)}`;
  return (
    <Card title="Sample size">
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3" data-testid="plan-result">
        <Stat
          testId="plan-per-variant"
          value={count(plan.perVariant)}
          unit={plan.unequalSplit ? "in the largest arm" : "per variant"}
          sub={
            plan.unequalSplit
              ? `arms ${plan.arms.map((a) => count(a.n)).join(" / ")} for a ${plan.arms.map((a) => short(a.share * 100)).join("/")} split`
              : `exact n ${short(plan.nExact)}, rounded up`
          }
        />
        <Stat
          testId="plan-total"
          value={count(plan.total)}
          unit="total"
          sub={plan.unequalSplit ? `sum of the ${plan.variants} arms` : `${plan.variants} variants × ${count(plan.perVariant)}`}
        />
        {plan.days === null ? (
          <Stat testId="plan-days" value="—" unit="days" sub="Enter daily traffic to estimate the duration." />
        ) : (
          <Stat
            testId="plan-days"
            value={count(plan.days)}
            unit={plan.days === 1 ? "day" : "days"}
            sub={`at ${count(Number(perDay!.toPrecision(12)))}/day in the experiment${plan.coverage < 1 ? ` (${count(plan.dailyTraffic!)} × ${short(plan.coverage * 100)}%)` : ""}`}
          />
        )}
      </div>
      <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-1 border-t border-slate-100 pt-3 text-sm sm:grid-cols-4">
        <div>
          <dt className="text-xs text-slate-500">Effect size</dt>
          <dd className="tabular-nums text-slate-900" data-testid="plan-effect-size">
            {minus(decimals(plan.effectSize))}
          </dd>
          <dd className="text-xs text-slate-500">{methodName(plan)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">{plan.metric === "proportion" ? "Rate" : "Mean"}</dt>
          <dd className="tabular-nums text-slate-900">{target}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Alpha per comparison</dt>
          <dd className="tabular-nums text-slate-900">{short(plan.alphaPerComparison)}</dd>
          <dd className="text-xs text-slate-500">
            two-sided{plan.alphaPerComparison !== plan.alpha ? `, Bonferroni ÷ ${plan.comparisons}` : ""}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Power</dt>
          <dd className="tabular-nums text-slate-900">{plan.power}</dd>
        </div>
      </dl>
      {compact
        ? null
        : durationAdvice(plan.days).map((text) => (
            <p key={text} className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800" data-testid="duration-advice">
              {text}
            </p>
          ))}
    </Card>
  );
}
