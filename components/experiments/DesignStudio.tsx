"use client";

import { useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import { buttonClass } from "@/components/ui/button";
import type { PlanFormValues } from "@/components/planner/PlanPanel";
import type { MetricTemplate } from "@/lib/experiments/metricTemplates";
import { configDifferences } from "@/lib/experiments/singleVariable";
import { hypothesisEffect } from "@/lib/experiments/hypothesis";
import type { UpdateExperimentInput, VariableUnderTest } from "@/lib/validation/experiments";
import { AuditTimeline } from "./AuditTimeline";
import { ErrorSummary } from "./ErrorSummary";
import { HypothesisFields } from "./HypothesisFields";
import { LeaveGuard } from "./LeaveGuard";
import { NameDescriptionFields } from "./NameDescriptionFields";
import { LifecyclePanel } from "./LifecyclePanel";
import { listInWords } from "@/lib/text/listInWords";
import { OverviewFacts } from "./OverviewFacts";
import { GatewayToggle } from "./GatewayToggle";
import { PlanExplorer } from "./PlanExplorer";
import { PlanSummary } from "./PlanSummary";
import { ScorecardEditor } from "./ScorecardEditor";
import { ScorecardTable } from "./ScorecardTable";
import { DESIGN_SECTIONS, DesignSection, SectionNav } from "./SectionNav";
import { SingleVariableCheck } from "./SingleVariableCheck";
import { VariableChoice } from "./VariableChoice";
import { VariantsEditor } from "./VariantsEditor";
import {
  configOf,
  metricDraftOf,
  metricOf,
  numberText,
  variantDraftOf,
  variantOf,
  withMetricMde,
  type HypothesisDraft,
  type VariantDraft,
} from "./draft";
import { livePlan, planDraftOf, planOf } from "./planDraft";
import { PlanSettingsFields } from "./PlanSettingsFields";
import { sendJson, type FieldErrors } from "@/components/ui/apiRequest";
import type { DesignView } from "./designView";
import { formatDateTime } from "@/lib/format/dateTime";

type Variable = VariableUnderTest;

export interface StudioPermissions {
  /** experiments:edit (PM, ADMIN). */
  edit: boolean;
  /** experiments:editVariantSettings (PM, ADMIN, ENGINEER). */
  editSettings: boolean;
  /** experiments:lifecycle (PM, ADMIN). */
  lifecycle: boolean;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What the save bar and the leave dialog call each part of the design. */
const PART_WORDS = {
  name: "name",
  description: "description",
  hypothesis: "hypothesis",
  variableUnderTest: "variable",
  gatewayEnabled: "gateway",
  variants: "variants",
  metrics: "scorecard",
  plan: "plan",
} as const;

/** The design page of a draft for roles that may change something: every section, a live single-variable check and plan, and a sticky save bar. */
export function DesignStudio({
  view,
  can,
  templates,
  role,
  endpoints = [],
}: {
  view: DesignView;
  can: StudioPermissions;
  templates: MetricTemplate[];
  role: string;
  /** Managed endpoints a variant can be pointed at. */
  endpoints?: { id: string; name: string }[];
}) {
  const router = useRouter();
  // The page shows this studio for drafts only; a started design is read as text (DesignReadOnly).
  const editDesign = can.edit;
  const editNames = can.edit;
  const editSettings = can.editSettings;

  const initial = useMemo(
    () => ({
      name: view.name,
      description: view.description,
      hypothesis: view.hypothesis as HypothesisDraft,
      variable: view.variableUnderTest as Variable,
      gateway: view.gatewayEnabled,
      variants: view.variants.map(variantDraftOf),
      metrics: view.metrics.map(metricDraftOf),
      plan: planDraftOf(view.planSettings),
    }),
    [view],
  );
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  const [hypothesis, setHypothesis] = useState(initial.hypothesis);
  const [variable, setVariable] = useState(initial.variable);
  const [gateway, setGateway] = useState(initial.gateway);
  const [variants, setVariants] = useState(initial.variants);
  const [metrics, setMetrics] = useState(initial.metrics);
  const [plan, setPlan] = useState(initial.plan);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const changed = {
    name: name !== initial.name,
    description: description !== initial.description,
    hypothesis: !same(hypothesis, initial.hypothesis),
    variableUnderTest: variable !== initial.variable,
    gatewayEnabled: gateway !== initial.gateway,
    variants: !same(variants, initial.variants),
    metrics: !same(metrics, initial.metrics),
    plan: !same(plan, initial.plan),
  };
  const dirty = Object.values(changed).some(Boolean);

  const changedParts = (Object.keys(changed) as (keyof typeof changed)[]).filter((k) => changed[k]).map((k) => PART_WORDS[k]);

  const differences = configDifferences(
    variable,
    variants.map((v: VariantDraft) => ({ key: v.key, config: configOf(v.config) })),
  );
  const planPreview =
    changed.metrics || changed.plan || changed.variants ? livePlan(metrics, plan, variants, view.coverage, view.plan) : view.plan;
  const goalNames = metrics.filter((m) => m.name.trim()).map((m) => m.name.trim());
  const effect = hypothesisEffect(hypothesis.expectation, metrics.map(metricOf), planOf(plan));

  async function save() {
    const body: UpdateExperimentInput = {};
    if (editNames && changed.name) body.name = name;
    if (editNames && changed.description) body.description = description;
    if (editDesign && changed.hypothesis) body.hypothesis = hypothesis;
    if (editDesign && changed.variableUnderTest) body.variableUnderTest = variable;
    if (editDesign && changed.gatewayEnabled) body.gatewayEnabled = gateway;
    if ((editDesign || editSettings) && changed.variants) body.variants = variants.map(variantOf);
    if (editDesign && changed.metrics) body.metrics = metrics.map(metricOf);
    if (editNames && changed.plan) body.plan = planOf(plan);
    setSaving(true);
    setErrors({});
    setMessage(null);
    const res = await sendJson(`/api/v1/experiments/${encodeURIComponent(view.key)}`, "PATCH", body);
    setSaving(false);
    if (!res.ok) {
      setErrors(res.fields);
      setMessage(res.message);
      window.scrollTo({ top: 0, behavior: "smooth" });
      return;
    }
    // The page re-renders with the saved design; its new updatedAt remounts this form with fresh drafts.
    router.refresh();
  }

  /** Copies numbers tried in the planner into the sized metric (PM, ADMIN in DRAFT) and the plan settings. */
  const applyExplored = (values: PlanFormValues) => {
    const sized = plan.metricName
      ? metrics.findIndex((m) => m.name.trim() === plan.metricName)
      : metrics.findIndex((m) => m.role === "GOAL");
    if (editDesign && sized >= 0) {
      setMetrics(
        metrics.map((m, j) =>
          j !== sized
            ? m
            : {
                ...m,
                kind: values.metric === "proportion" ? "PROPORTION" : "MEAN",
                baseline: numberText(values.baseline),
                baselineSd: values.sd !== null && Number.isFinite(values.sd) ? numberText(values.sd) : m.baselineSd,
                mde: numberText(values.mdeAbsolute ? Math.abs(values.mde) : Math.abs(values.mde) * 100),
                mdeAbsolute: values.mdeAbsolute,
              },
        ),
      );
    }
    setPlan({
      ...plan,
      dailyTraffic: values.dailyTraffic === null ? "" : numberText(values.dailyTraffic),
      alpha: numberText(values.alpha),
      power: numberText(values.power),
      correction: values.correction,
      effectSize: values.effectSize,
    });
  };

  const discard = () => {
    setName(initial.name);
    setDescription(initial.description);
    setHypothesis(initial.hypothesis);
    setVariable(initial.variable);
    setGateway(initial.gateway);
    setVariants(initial.variants);
    setMetrics(initial.metrics);
    setPlan(initial.plan);
    setErrors({});
    setMessage(null);
  };

  const scopeNote =
    !can.edit && can.editSettings
      ? `Your role (${role}) can change the variants' technical settings (model, endpoint, prompts, parameters, prices) while the experiment is a draft; the rest of the design is read-only for you.`
      : null;
  const editable = editDesign || editNames || editSettings;

  return (
    <div>
      <LeaveGuard dirty={dirty} what={`this design (${listInWords([...changedParts])})`} />
      <SectionNav sections={DESIGN_SECTIONS.filter((s) => s.id !== "lifecycle" || can.lifecycle)} />
      <div className="space-y-6">
        {scopeNote ? (
          <p className="rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-700" data-testid="role-scope">
            {scopeNote}
          </p>
        ) : null}
        <ErrorSummary message={message} errors={errors} variantKeys={variants.map((v) => v.key)} metricNames={metrics.map((m) => m.name)} />

        <DesignSection
          id="overview"
          title="Overview"
          help="What this experiment tests and why: If we change [variable], we expect [outcome] because [reasoning]."
        >
          {/* The description has its own input below for those who may edit it. */}
          <OverviewFacts view={view} withDescription={!editNames} />
          {editNames ? (
            <NameDescriptionFields
              name={name}
              description={description}
              onName={setName}
              onDescription={setDescription}
              errors={errors}
              className="mt-5 grid gap-4 border-t border-slate-100 pt-5 md:grid-cols-2"
            />
          ) : null}
          {editDesign ? (
            <div className="mt-5 space-y-5 border-t border-slate-100 pt-5">
              <HypothesisFields
                value={hypothesis}
                onChange={setHypothesis}
                errors={errors}
                effect={effect}
                onUseStatedEffect={(mde) => effect && setMetrics(withMetricMde(metrics, effect.metricName, mde))}
              />
              <VariableChoice value={variable} onChange={setVariable} error={errors.variableUnderTest} />
              <GatewayToggle checked={gateway} onChange={setGateway} />
            </div>
          ) : null}
        </DesignSection>

        <DesignSection
          id="variants"
          title="Variants"
          help="2 to 8 versions users are split between. One is the control (what runs today). Each configuration is versioned: saving a change gives that variant a new configuration version, and interactions log which one served them."
        >
          <VariantsEditor
            variants={variants}
            onChange={setVariants}
            errors={errors}
            can={{ structure: editDesign, settings: editSettings }}
            variable={variable}
            endpoints={endpoints}
          />
        </DesignSection>

        <DesignSection
          id="single-variable"
          title="Single-variable check"
          help="Test one variable at a time: if the variants differ in more than the variable under test, you cannot tell which difference caused the result. Highlighted rows differ between variants."
        >
          <SingleVariableCheck
            variants={variants.map((v) => ({ key: v.key, name: v.name, isControl: v.isControl, config: configOf(v.config) }))}
            variable={variable}
            differences={differences}
          />
        </DesignSection>

        <DesignSection
          id="scorecard"
          title="Scorecard"
          help="Goal metrics measure the outcome your hypothesis expects; guardrails (safety, latency, cost) must not get worse. The MDE is the smallest change that would justify shipping: smaller MDEs need longer tests."
        >
          {editDesign ? (
            <ScorecardEditor
              metrics={metrics}
              onChange={setMetrics}
              errors={errors}
              editable
              templates={templates}
              descriptions={Object.fromEntries(templates.map((t) => [t.name, t.description]))}
            />
          ) : (
            <ScorecardTable metrics={view.metrics} />
          )}
        </DesignSection>

        <DesignSection
          id="plan"
          title="Plan"
          help="How many users (or interactions) each variant needs to detect the MDE of the sized metric, and how many days that takes at your daily traffic."
        >
          <PlanSummary
            plan={planPreview}
            note={planPreview !== view.plan ? "Preview of your unsaved changes: save to keep them." : undefined}
          />
          {editNames ? (
            <div className="mt-5 border-t border-slate-100 pt-5">
              <PlanSettingsFields plan={plan} onChange={setPlan} errors={errors} metricNames={goalNames} />
            </div>
          ) : null}
          <div className="mt-5">
            <PlanExplorer plan={planPreview} onUse={editNames ? applyExplored : undefined} />
          </div>
        </DesignSection>

        {can.lifecycle ? (
          <DesignSection id="lifecycle" title="Lifecycle" help="DRAFT → RUNNING → STOPPED → DECIDED.">
            <LifecyclePanel view={view} dirty={dirty} />
          </DesignSection>
        ) : null}

        <DesignSection
          id="audit"
          title="Audit timeline"
          help="Every change to this experiment, who made it and when; newest first. The log cannot be edited."
        >
          <AuditTimeline items={view.audit} experimentKey={view.key} />
        </DesignSection>
      </div>

      {editable ? (
        <div
          className="sticky bottom-0 z-30 -mx-4 mt-6 border-t border-slate-200 bg-white/95 px-4 py-3 shadow-[0_-2px_6px_rgba(15,23,42,0.06)] backdrop-blur sm:-mx-6 sm:px-6 lg:-mx-8 lg:px-8 print:hidden"
          data-testid="save-bar"
        >
          <div className="flex items-center justify-between gap-4">
            <p className={`min-w-0 text-xs sm:text-sm ${dirty ? "font-medium text-amber-800" : "text-slate-600"}`}>
              {dirty ? `Unsaved changes: ${changedParts.join(", ")}` : `All changes saved · last change ${formatDateTime(view.updatedAt)}`}
            </p>
            <div className="flex shrink-0 gap-2">
              {dirty ? (
                <button type="button" className={buttonClass.secondary} onClick={discard} disabled={saving}>
                  Discard
                </button>
              ) : null}
              <button type="button" className={buttonClass.primary} onClick={save} disabled={!dirty || saving}>
                {saving ? "Saving…" : "Save changes"}
              </button>
            </div>
          </div>
        </div>
      ) : null}
    </div>
  );
}
