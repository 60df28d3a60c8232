"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/Card";
import type { MetricTemplate } from "@/lib/experiments/metricTemplates";
import { hypothesisEffect } from "@/lib/experiments/hypothesis";
import type { VariableUnderTest } from "@/lib/validation/experiments";
import { FormField, fieldClass } from "./FormField";
import { HypothesisFields } from "./HypothesisFields";
import { VariableChoice } from "./VariableChoice";
import { GatewayToggle } from "./GatewayToggle";
import { VariantsEditor } from "./VariantsEditor";
import { ScorecardEditor } from "./ScorecardEditor";
import { NewPlanPreview } from "./NewPlanPreview";
import { planDraftOf, planOf, type PlanDraft } from "./planDraft";
import { ErrorSummary } from "./ErrorSummary";
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

/** "New experiment": name and key, the three-part hypothesis, the variable under test, two variants and a scorecard from the guide's templates. */
export function NewExperimentForm({ templates }: { templates: MetricTemplate[] }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [key, setKey] = useState("");
  const [keyEdited, setKeyEdited] = useState(false);
  const [description, setDescription] = useState("");
  const [hypothesis, setHypothesis] = useState<HypothesisDraft>({ change: "", expectation: "", reason: "" });
  const [variable, setVariable] = useState<Variable>("SYSTEM_PROMPT");
  const [gateway, setGateway] = useState(false);
  const [variants, setVariants] = useState<VariantDraft[]>(starterVariants);
  const [metrics, setMetrics] = useState<MetricDraft[]>(() => templates.map(metricDraftOf));
  const [included, setIncluded] = useState<boolean[]>(() => templates.map((t) => DEFAULT_INCLUDED.has(t.name)));
  const [plan, setPlan] = useState<PlanDraft>(() => planDraftOf(null));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

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
      <div className="flex items-center justify-end gap-3">
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
