"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import {
  fieldsFromValues,
  GUIDE_EXAMPLE,
  readPlanForm,
  toggleMdeKind,
  type PlanFormFields,
  type PlanFormValues,
} from "@/lib/planner/planForm";
import type { Plan } from "@/lib/stats/power";
import { short, signedPercent, signedShort } from "./format";
import { MdeTradeoff } from "./MdeTradeoff";
import { PlanInputs } from "./PlanInputs";
import { PlanInverse } from "./PlanInverse";
import { PlanMethod } from "./PlanMethod";
import { PlanResult } from "./PlanResult";

export type { PlanFormValues };

export type PlanPanelProps = {
  /** Starting values; anything left out comes from the guide's example (0.76, +5%, 2,000/day, 7 days for the inverse). */
  initial?: Partial<PlanFormValues>;
  /**
   * Called after every edit (and once on mount) with the values as numbers (NaN where a field holds no number)
   * and the plan, or null while a field is invalid.
   */
  onChange?: (values: PlanFormValues, plan: Plan | null) => void;
  /** Inputs and the big numbers only: no inverse, MDE table, chart or method text (for embedding in a form). */
  compact?: boolean;
};

/** "0.76 → 0.798 (+0.038)" or "1500 → 1350 (−10%)": what the MDE means for the metric. */
function mdePreview(plan: Plan): string {
  const [from, to] = plan.metric === "proportion" ? [plan.p1!, plan.p2!] : [plan.baselineMean!, plan.targetMean!];
  const other = plan.mdeAbsolute
    ? from === 0
      ? null
      : signedPercent(plan.absoluteDifference / from)
    : signedShort(plan.absoluteDifference);
  return `${short(from)} → ${short(to)}${other ? ` (${other})` : ""}`;
}

/** The sample-size planner: inputs that recompute the plan as you type, the result, and (unless compact) the inverse, MDE table, chart and method. */
export function PlanPanel({ initial, onChange, compact = false }: PlanPanelProps) {
  const [fields, setFields] = useState<PlanFormFields>(() => fieldsFromValues({ ...GUIDE_EXAMPLE, ...definedOnly(initial) }));
  const state = useMemo(() => readPlanForm(fields), [fields]);
  const plan = state.report?.plan ?? null;

  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);
  useEffect(() => {
    onChangeRef.current?.(state.values, state.report?.plan ?? null);
  }, [state]);

  const update = (patch: Partial<PlanFormFields>) => setFields((f) => ({ ...f, ...patch }));
  const inputs = (
    <PlanInputs
      fields={fields}
      errors={state.errors}
      onChange={update}
      onToggleMdeKind={(absolute) => setFields((f) => toggleMdeKind(f, absolute))}
      mdePreview={plan ? mdePreview(plan) : null}
    />
  );

  if (compact) {
    return (
      <div className="grid gap-4 md:grid-cols-2" data-testid="plan-panel">
        {inputs}
        <div className="min-w-0">
          <PlanResult plan={plan} compact />
        </div>
      </div>
    );
  }
  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(20rem,24rem)_minmax(0,1fr)]" data-testid="plan-panel">
      <div>{inputs}</div>
      <div className="min-w-0 space-y-6">
        <PlanResult plan={plan} />
        <PlanInverse
          plan={plan}
          days={fields.days}
          onDaysChange={(days) => update({ days })}
          inverse={state.inverse}
          error={state.inverseError}
        />
        {state.report ? <MdeTradeoff report={state.report} /> : null}
        <PlanMethod plan={plan} />
      </div>
    </div>
  );
}

/** Drops keys set to undefined so they do not override the defaults. */
function definedOnly<T extends object>(values: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(values ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
