"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { buttonClass } from "@/components/ui/button";
import { sendJson, type FieldErrors } from "@/components/ui/apiRequest";
import { planIsFixed } from "@/lib/experiments/editRules";
import type { UpdateExperimentInput } from "@/lib/validation/experiments";
import { ErrorSummary } from "./ErrorSummary";
import { LeaveGuard } from "./LeaveGuard";
import { listInWords } from "@/lib/text/listInWords";
import { NameDescriptionFields } from "./NameDescriptionFields";
import { PlanSettingsFields } from "./PlanSettingsFields";
import { PlanSummary } from "./PlanSummary";
import { livePlan, planDraftOf, planOf } from "./planDraft";
import { metricDraftOf, variantDraftOf } from "./draft";
import type { DesignView } from "./designView";

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The small form for what may still change once an experiment has started: name and description, and the plan while it runs.
 * The rest of the design is shown read-only beside it.
 */
export function AfterStartEditor({ view }: { view: DesignView }) {
  const router = useRouter();
  const planEditable = !planIsFixed(view.status);
  const initial = { name: view.name, description: view.description, plan: planDraftOf(view.planSettings) };
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  const [plan, setPlan] = useState(initial.plan);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const changed = {
    name: name !== initial.name,
    description: description !== initial.description,
    plan: planEditable && !same(plan, initial.plan),
  };
  const dirty = changed.name || changed.description || changed.plan;

  const goalNames = view.metrics.filter((m) => m.role === "GOAL").map((m) => m.name);
  const preview = changed.plan
    ? livePlan(view.metrics.map(metricDraftOf), plan, view.variants.map(variantDraftOf), view.coverage, view.plan)
    : null;

  async function save() {
    const body: UpdateExperimentInput = {};
    if (changed.name) body.name = name;
    if (changed.description) body.description = description;
    if (changed.plan) body.plan = planOf(plan);
    setSaving(true);
    setErrors({});
    setMessage(null);
    const res = await sendJson(`/api/v1/experiments/${encodeURIComponent(view.key)}`, "PATCH", body);
    setSaving(false);
    if (!res.ok) {
      setErrors(res.fields);
      setMessage(res.message);
      return;
    }
    router.refresh();
  }

  const discard = () => {
    setName(initial.name);
    setDescription(initial.description);
    setPlan(initial.plan);
    setErrors({});
    setMessage(null);
  };

  return (
    <form
      className="space-y-4"
      data-testid="after-start-editor"
      onSubmit={(e) => {
        e.preventDefault();
        if (dirty && !saving) void save();
      }}
      noValidate
    >
      <LeaveGuard
        dirty={dirty}
        what={`this experiment (${listInWords([changed.name && "name", changed.description && "description", changed.plan && "plan"].filter((x): x is string => !!x))})`}
      />
      <ErrorSummary message={message} errors={errors} variantKeys={[]} metricNames={[]} />
      <NameDescriptionFields name={name} description={description} onName={setName} onDescription={setDescription} errors={errors} />
      {planEditable ? (
        <div className="space-y-3 border-t border-slate-100 pt-4">
          <p className="text-sm text-slate-700">
            The plan: correct the daily traffic or the metric to size while the test runs. The variants and the scorecard stay as they
            started.
          </p>
          <PlanSettingsFields plan={plan} onChange={setPlan} errors={errors} metricNames={goalNames} />
          {preview ? <PlanSummary plan={preview} note="Preview of your unsaved plan: save to keep it." /> : null}
        </div>
      ) : (
        <p className="border-t border-slate-100 pt-4 text-sm text-slate-700" data-testid="plan-fixed">
          The plan is fixed: data collection has ended, so the analysis tests what was planned. Clone the experiment to plan a new test.
        </p>
      )}
      <div className="flex flex-wrap items-center justify-end gap-2">
        {dirty ? (
          <>
            <span className="mr-auto text-sm font-medium text-amber-800">Unsaved changes</span>
            <button type="button" className={buttonClass.secondary} onClick={discard} disabled={saving}>
              Discard
            </button>
          </>
        ) : null}
        <button type="submit" className={buttonClass.primary} disabled={!dirty || saving}>
          {saving ? "Saving…" : "Save changes"}
        </button>
      </div>
    </form>
  );
}
