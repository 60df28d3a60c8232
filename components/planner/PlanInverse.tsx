import { useId } from "react";
import { Card } from "@/components/ui/Card";
import { buttonClass } from "@/components/ui/button";
import type { InverseResult } from "@/lib/planner/report";
import type { Plan } from "@/lib/stats/power";
import { count, daysText, short, signedPercent, signedShort } from "./format";
import { decimals } from "@/lib/format/number";

/** "With N days you can detect an MDE of X%": mdeForDays for the plan's inputs and a number of days. */
export function PlanInverse({
  plan,
  days,
  onDaysChange,
  inverse,
  error,
}: {
  plan: Plan | null;
  days: string;
  onDaysChange: (days: string) => void;
  inverse: InverseResult | null;
  error: string | null;
}) {
  const id = useId();
  const mdeText = (r: InverseResult) => (plan?.mdeAbsolute ? `${signedShort(r.mde)} (absolute)` : `${signedPercent(r.mde)} (relative)`);
  return (
    <Card title="What a fixed duration can detect">
      <div className="flex flex-wrap items-center gap-x-2 gap-y-2 text-base text-slate-800">
        <label htmlFor={id}>With</label>
        <input
          id={id}
          type="text"
          inputMode="decimal"
          aria-label="Days for the inverse"
          value={days}
          onChange={(e) => onDaysChange(e.target.value)}
          aria-invalid={error ? true : undefined}
          className="w-20 rounded-md border-0 px-2 py-1 text-center text-base tabular-nums shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500"
        />
        <span>days you can detect an MDE of</span>
        <span className="font-semibold text-slate-900" data-testid="inverse-mde">
          {inverse ? mdeText(inverse) : "—"}
        </span>
        {plan?.days != null && String(plan.days) !== days.trim() ? (
          <button
            type="button"
            className={`${buttonClass.secondary} ml-auto px-2.5 py-1 text-xs`}
            onClick={() => onDaysChange(String(plan.days))}
          >
            Use the plan&apos;s {daysText(plan.days)}
          </button>
        ) : null}
      </div>
      {error ? (
        <p className="mt-2 text-sm text-rose-700" data-testid="inverse-error">
          {error}
        </p>
      ) : null}
      {!plan ? <p className="mt-2 text-sm text-slate-500">Fix the inputs to see what a duration can detect.</p> : null}
      {plan && inverse ? (
        <p className="mt-2 text-sm text-slate-600">
          {daysText(inverse.days)} × {count(plan.dailyTraffic!)}/day{plan.coverage < 1 ? ` × ${short(plan.coverage * 100)}%` : ""} ÷{" "}
          {plan.variants} variants = {count(inverse.perVariant)} per variant, which detects an effect size of{" "}
          {decimals(Math.abs(inverse.effectSize))}
          {inverse.p2 !== undefined
            ? ` (${short(inverse.p1!)} → ${short(inverse.p2)})`
            : inverse.targetMean !== undefined
              ? ` (${short(inverse.baselineMean!)} → ${short(inverse.targetMean)})`
              : ""}
          .
        </p>
      ) : null}
    </Card>
  );
}
