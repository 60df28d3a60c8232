"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/Card";
import type { MetricTemplate } from "@/lib/experiments/metricTemplates";
import { hypothesisEffect } from "@/lib/experiments/hypothesis";
import { VARIABLES, type VariableUnderTest } from "@/lib/validation/experiments";
import { formatDateTime } from "@/lib/format/dateTime";
import { FormField, fieldClass } from "./FormField";
import { HypothesisFields } from "./HypothesisFields";
import { VariableChoice } from "./VariableChoice";
import { GatewayToggle } from "./GatewayToggle";
import { VariantsEditor } from "./VariantsEditor";
import { ScorecardEditor } from "./ScorecardEditor";
import { NewPlanPreview } from "./NewPlanPreview";
import { planDraftOf, planOf, type PlanDraft } from "./planDraft";
import { ErrorSummary } from "./ErrorSummary";
import { LeaveGuard } from "./LeaveGuard";
import { useLocalDraft } from "./localDraft";
import {
  configDraftOf,
  keyFromName,
  metricDraftOf,
  metricOf,
  variantOf,
  withMetricMde,
  type HypothesisDraft,
  type MetricDraft,
  type VariantDraft,
} from "./draft";
import { sendJson, type FieldErrors } from "@/components/ui/apiRequest";

type Variable = VariableUnderTest;

/** Templates ticked by default: the guide's quality goal and its three guardrails (goal completion and feedback need app-specific logging). */
const DEFAULT_INCLUDED = new Set(["Helpfulness", "Harmful response rate", "Latency P95", "Cost per interaction"]);

const starterVariants: VariantDraft[] = [
  { key: "A", name: "Control", isControl: true, weight: "50", config: configDraftOf({}) },
  { key: "B", name: "Treatment", isControl: false, weight: "50", config: configDraftOf({}) },
];

/** Everything the New form holds, as kept in this browser between visits. */
interface NewFormDraft {
  name: string;
  key: string;
  keyEdited: boolean;
  description: string;
  hypothesis: HypothesisDraft;
  variable: Variable;
  gateway: boolean;
  variants: VariantDraft[];
  metrics: MetricDraft[];
  included: boolean[];
  plan: PlanDraft;
}

function emptyDraft(templates: MetricTemplate[]): NewFormDraft {
  return {
    name: "",
    key: "",
    keyEdited: false,
    description: "",
    hypothesis: { change: "", expectation: "", reason: "" },
    variable: "SYSTEM_PROMPT",
    gateway: false,
    variants: starterVariants,
    metrics: templates.map(metricDraftOf),
    included: templates.map((t) => DEFAULT_INCLUDED.has(t.name)),
    plan: planDraftOf(null),
  };
}

/** True when a kept value still has the New form's shape (a draft kept by an older version is dropped). */
function isNewFormDraft(x: unknown): x is NewFormDraft {
  const d = x as NewFormDraft;
  const text = (v: unknown) => typeof v === "string";
  return (
    !!d &&
    [d.name, d.key, d.description, d.hypothesis?.change, d.hypothesis?.expectation, d.hypothesis?.reason].every(text) &&
    typeof d.keyEdited === "boolean" &&
    typeof d.gateway === "boolean" &&
    (VARIABLES as readonly string[]).includes(d.variable) &&
    Array.isArray(d.variants) &&
    d.variants.every((v) => text(v?.key) && text(v?.name) && text(v?.weight) && typeof v?.isControl === "boolean" && !!v?.config) &&
    Array.isArray(d.metrics) &&
    Array.isArray(d.included) &&
    d.metrics.length === d.included.length &&
    d.metrics.every((m) => text(m?.name) && text(m?.mde)) &&
    !!d.plan &&
    text(d.plan.dailyTraffic) &&
    text(d.plan.alpha) &&
    text(d.plan.power)
  );
}

/**
 * "New experiment": name and key, the three-part hypothesis, the variable under test, two variants and a scorecard from the
 * guide's templates. What is typed is kept in this browser (per user) and offered back on the next visit; leaving asks first.
 */
export function NewExperimentForm({
  templates,
  draftKey,
  endpoints = [],
}: {
  templates: MetricTemplate[];
  draftKey: string;
  /** Managed endpoints a variant can be pointed at. */
  endpoints?: { id: string; name: string }[];
}) {
  const router = useRouter();
  const [empty] = useState(() => emptyDraft(templates));
  const [name, setName] = useState(empty.name);
  const [key, setKey] = useState(empty.key);
  const [keyEdited, setKeyEdited] = useState(empty.keyEdited);
  const [description, setDescription] = useState(empty.description);
  const [hypothesis, setHypothesis] = useState<HypothesisDraft>(empty.hypothesis);
  const [variable, setVariable] = useState<Variable>(empty.variable);
  const [gateway, setGateway] = useState(empty.gateway);
  const [variants, setVariants] = useState<VariantDraft[]>(empty.variants);
  const [metrics, setMetrics] = useState<MetricDraft[]>(empty.metrics);
  const [included, setIncluded] = useState<boolean[]>(empty.included);
  const [plan, setPlan] = useState<PlanDraft>(empty.plan);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const current: NewFormDraft = { name, key, keyEdited, description, hypothesis, variable, gateway, variants, metrics, included, plan };
  const kept = useLocalDraft({ storageKey: draftKey, value: current, empty, isDraft: isNewFormDraft });
  const dirty = JSON.stringify(current) !== JSON.stringify(empty);
  const restore = () => {
    const d = kept.restore();
    if (!d) return;
    setName(d.name);
    setKey(d.key);
    setKeyEdited(d.keyEdited);
    setDescription(d.description);
    setHypothesis(d.hypothesis);
    setVariable(d.variable);
    setGateway(d.gateway);
    setVariants(d.variants);
    setMetrics(d.metrics);
    setIncluded(d.included);
    setPlan({ ...planDraftOf(null), ...d.plan });
  };

  const shownKey = keyEdited ? key : keyFromName(name);
  const descriptions = Object.fromEntries(templates.map((t) => [t.name, t.description]));
  const effect = hypothesisEffect(hypothesis.expectation, metrics.filter((_m, i) => included[i]).map(metricOf), null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setSaving(true);
    setErrors({});
    setMessage(null);
    // Only ticked metrics are sent; remember where each came from to put errors back on the right row.
    const sentIndex = included.flatMap((on, i) => (on ? [i] : []));
    const body = {
      key: shownKey,
      name,
      description,
      hypothesis,
      variableUnderTest: variable,
      gatewayEnabled: gateway,
      variants: variants.map(variantOf),
      metrics: sentIndex.map((i) => metricOf(metrics[i])),
      plan: planOf(plan),
    };
    const res = await sendJson("/api/v1/experiments", "POST", body);
    setSaving(false);
    if (res.ok) {
      kept.discard({ finished: true });
      router.push(`/experiments/${encodeURIComponent(shownKey)}`);
      return;
    }
    const mapped: FieldErrors = {};
    for (const [field, msg] of Object.entries(res.fields)) {
      const m = field.match(/^metrics\.(\d+)(\..*)?$/);
      mapped[m ? `metrics.${sentIndex[Number(m[1])]}${m[2] ?? ""}` : field] = msg;
    }
    setErrors(mapped);
    setMessage(res.message);
    window.scrollTo({ top: 0, behavior: "smooth" });
  }

  return (
    <form onSubmit={submit} className="space-y-6" noValidate>
      <LeaveGuard
        dirty={dirty && !saving}
        what="this new experiment"
        keptNote="It is not created yet; the draft stays in this browser, and New experiment offers to restore it when you come back."
        onDiscard={() => kept.discard({ finished: true })}
      />
      {kept.offer ? (
        <div
          className="flex flex-wrap items-center gap-3 rounded-md bg-brand-50 px-4 py-3 text-sm text-brand-700 ring-1 ring-brand-100"
          data-testid="draft-restore"
          role="status"
        >
          <p className="mr-auto">
            You have a draft from {formatDateTime(kept.offer.savedAt)}
            {kept.offer.value.name.trim() ? `: “${kept.offer.value.name.trim()}”` : ""}, not created yet.
          </p>
          <button type="button" className={buttonClass.primary} onClick={restore}>
            Restore the draft
          </button>
          <button type="button" className={buttonClass.secondary} onClick={() => kept.discard()}>
            Discard it
          </button>
        </div>
      ) : null}
      <ErrorSummary message={message} errors={errors} variantKeys={variants.map((v) => v.key)} metricNames={metrics.map((m) => m.name)} />
      <Card title="1 · What you test">
        <div className="grid gap-4 md:grid-cols-2">
          <FormField
            id="experiment-name"
            label="Experiment name"
            help="A short title people will recognise, e.g. “Support persona”."
            error={errors.name}
          >
            <input
              id="experiment-name"
              className={fieldClass(errors.name)}
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="Support persona"
            />
          </FormField>
          <FormField
            id="experiment-key"
            label="Experiment key"
            help="Lowercase letters, digits and dashes. Apps send it with every logged interaction; it cannot be reused."
            error={errors.key}
          >
            <input
              id="experiment-key"
              className={fieldClass(errors.key, "font-mono")}
              value={shownKey}
              onChange={(e) => {
                setKeyEdited(true);
                setKey(e.target.value);
              }}
              placeholder="support-persona"
            />
          </FormField>
          <FormField
            id="experiment-description"
            label="Description (optional)"
            help="Context for reviewers: the product area, links, who asked."
            error={errors.description}
            className="md:col-span-2"
          >
            <textarea
              id="experiment-description"
              rows={2}
              className={fieldClass(errors.description)}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
          </FormField>
        </div>
      </Card>
      <Card title="2 · Hypothesis">
        <p className="mb-4 text-sm text-slate-600">
          A testable hypothesis has three parts: <em>If we change [variable], we expect [outcome] because [reasoning].</em>
        </p>
        <HypothesisFields
          value={hypothesis}
          onChange={setHypothesis}
          errors={errors}
          effect={effect}
          onUseStatedEffect={(mde) => effect && setMetrics(withMetricMde(metrics, effect.metricName, mde))}
        />
      </Card>
      <Card title="3 · Variable under test">
        <VariableChoice value={variable} onChange={setVariable} error={errors.variableUnderTest} />
        <div className="mt-4">
          <GatewayToggle checked={gateway} onChange={setGateway} />
        </div>
      </Card>
      <Card title="4 · Variants">
        <p className="mb-4 text-sm text-slate-600">
          Start with the control (what runs today) and one treatment. Change only the variable under test between them; you can fill in the
          rest later on the design page.
        </p>
        <VariantsEditor
          variants={variants}
          onChange={setVariants}
          errors={errors}
          can={{ structure: true, settings: true }}
          variable={variable}
          endpoints={endpoints}
        />
      </Card>
      <Card title="5 · Scorecard">
        <p className="mb-4 text-sm text-slate-600">
          A balanced scorecard: tick the metrics to include and adjust them. Goal metrics should improve; guardrails must not get worse.
        </p>
        <ScorecardEditor
          metrics={metrics}
          onChange={(next, inc) => {
            setMetrics(next);
            if (inc) setIncluded(inc);
          }}
          included={included}
          onIncludedChange={setIncluded}
          errors={errors}
          editable
          templates={templates}
          descriptions={descriptions}
        />
      </Card>
      <Card title="6 · Plan">
        <NewPlanPreview
          metrics={metrics.filter((_, i) => included[i])}
          variants={variants}
          plan={plan}
          onChange={setPlan}
          errors={errors}
        />
      </Card>
      {/* The primary action stays in view at the foot of the window however long the form. */}
      <div className="sticky bottom-0 z-30 -mx-4 flex flex-wrap items-center justify-end gap-3 border-t border-slate-200 bg-white/95 px-4 py-3 backdrop-blur sm:-mx-6 sm:px-6 lg:-mx-8 lg:px-8">
        {kept.savedAt ? (
          <p className="mr-auto text-sm text-slate-600" data-testid="draft-kept">
            Draft kept in this browser as you type (last at {formatDateTime(kept.savedAt)}).
          </p>
        ) : null}
        <Link href="/experiments" className={buttonClass.secondary}>
          Cancel
        </Link>
        <button type="submit" className={buttonClass.primary} disabled={saving}>
          {saving ? "Creating…" : "Create draft"}
        </button>
      </div>
    </form>
  );
}
