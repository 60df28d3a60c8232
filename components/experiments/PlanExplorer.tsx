"use client";

import { useRef, useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { PlanPanel, type PlanFormValues } from "@/components/planner/PlanPanel";
import type { ExperimentPlanView } from "@/lib/experiments/plan";

/** The sample-size planner next to the design: try other numbers, then copy them into the design with one click. */
export function PlanExplorer({ plan, onUse }: { plan: ExperimentPlanView | null; onUse?: (values: PlanFormValues) => void }) {
  const [open, setOpen] = useState(false);
  const latest = useRef<PlanFormValues | null>(null);
  const [valid, setValid] = useState(false);
  const initial: Partial<PlanFormValues> | undefined =
    plan && !("error" in plan)
      ? {
          metric: plan.metricKind === "PROPORTION" ? "proportion" : "mean",
          baseline: plan.baseline,
          sd: plan.sd ?? null,
          mde: plan.mde,
          mdeAbsolute: plan.mdeAbsolute,
          alpha: plan.alpha,
          power: plan.power,
          variants: plan.variants,
          // The design's split, so the explorer starts from the design's own numbers.
          weights: plan.unequalSplit ? plan.arms.map((a) => a.weight) : null,
          dailyTraffic: plan.dailyTraffic ?? null,
        }
      : undefined;
  if (!open) {
    return (
      <button type="button" className={buttonClass.secondary} onClick={() => setOpen(true)}>
        Try other numbers in the planner…
      </button>
    );
  }
  return (
    <div className="rounded-lg border border-slate-200 bg-slate-50 p-4" data-testid="plan-explorer">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-700">
          What if the baseline, MDE or traffic were different? Nothing here is saved until you use the numbers.
        </p>
        <div className="flex gap-2">
          {onUse ? (
            <button type="button" className={buttonClass.primary} disabled={!valid} onClick={() => latest.current && onUse(latest.current)}>
              Use these numbers
            </button>
          ) : null}
          <button type="button" className={buttonClass.secondary} onClick={() => setOpen(false)}>
            Close
          </button>
        </div>
      </div>
      <PlanPanel
        compact
        initial={initial}
        onChange={(values, result) => {
          latest.current = values;
          setValid(result !== null);
        }}
      />
    </div>
  );
}
