"use client";

import type { FieldErrors } from "@/components/ui/apiRequest";
import { PLAN_DEFAULTS } from "@/lib/stats/power";
import type { MetricDraft, VariantDraft } from "./draft";
import { livePlan, type PlanDraft } from "./planDraft";
import { PlanSettingsFields } from "./PlanSettingsFields";
import { PlanSummary } from "./PlanSummary";

/** The New form's plan: daily traffic and what it counts, and the plan of what is typed so far, recomputed as you type. */
export function NewPlanPreview({
  metrics,
  variants,
  plan,
  onChange,
  errors,
}: {
  /** The metrics that go into the experiment (the ticked ones). */
  metrics: MetricDraft[];
  variants: VariantDraft[];
  plan: PlanDraft;
  onChange: (next: PlanDraft) => void;
  errors: FieldErrors;
}) {
  const preview = livePlan(metrics, plan, variants, 1, null);
  return (
    <div className="space-y-5" data-testid="new-plan-preview">
      <PlanSettingsFields plan={plan} onChange={onChange} errors={errors} compact />
      <div className="border-t border-slate-100 pt-5">
        <PlanSummary plan={preview} />
      </div>
      <p className="text-xs text-slate-500">
        Significance {PLAN_DEFAULTS.alpha} and power {PLAN_DEFAULTS.power} until you change them on the design page, where the planner sits
        beside the design.
      </p>
    </div>
  );
}
