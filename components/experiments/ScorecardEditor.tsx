"use client";

import { useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { Badge } from "@/components/ui/Badge";
import type { MetricTemplate } from "@/lib/experiments/metricTemplates";
import { FormField, fieldClass } from "./FormField";
import { baselineScaleWarning, scaleText } from "@/lib/experiments/metricScale";
import { metricDraftOf, withDraftReading, type MetricDraft } from "./draft";
import { type FieldErrors } from "@/components/ui/apiRequest";

/** Named values of the interaction log a metric can read (plus any custom value an app sends). */
export const LOG_FIELDS = [
  "latency_ms",
  "ttft_ms",
  "prompt_tokens",
  "completion_tokens",
  "cost",
  "safety_flag",
  "user_feedback_score",
  "goal_completed",
];

const blankMetric: MetricDraft = {
  name: "",
  role: "GOAL",
  kind: "MEAN",
  source: "LOG_FIELD",
  field: "",
  quantile: "",
  direction: "INCREASE",
  mde: "5",
  mdeAbsolute: false,
  nonInferiorityMargin: "",
  baseline: "",
  baselineSd: "",
};

/** The balanced scorecard: goal metrics (what should improve) and guardrails (what must not get worse). */
export function ScorecardEditor({
  metrics,
  onChange,
  errors,
  editable,
  templates,
  included,
  onIncludedChange,
  descriptions = {},
}: {
  metrics: MetricDraft[];
  onChange: (next: MetricDraft[], included?: boolean[]) => void;
  errors: FieldErrors;
  editable: boolean;
  templates: MetricTemplate[];
  /** With checkboxes: which rows go into the experiment (the "New experiment" form). */
  included?: boolean[];
  onIncludedChange?: (next: boolean[]) => void;
  descriptions?: Record<string, string>;
}) {
  const [template, setTemplate] = useState("");
  const names = new Set(metrics.map((m) => m.name.trim().toLowerCase()));
  const available = templates.filter((t) => !names.has(t.name.toLowerCase()));

  const update = (i: number, patch: Partial<MetricDraft>) =>
    onChange(
      metrics.map((m, j) => (j === i ? { ...m, ...patch } : m)),
      included,
    );
  const remove = (i: number) =>
    onChange(
      metrics.filter((_, j) => j !== i),
      included?.filter((_, j) => j !== i),
    );
  const scaleWarnings = metrics.map((m) =>
    m.baseline.trim() === ""
      ? null
      : baselineScaleWarning({ name: m.name.trim() || "this metric", kind: m.kind, scale: m.scale, baseline: Number(m.baseline) }),
  );
  const add = (m: MetricDraft) => onChange([...metrics, m], included ? [...included, true] : undefined);

  return (
    <div className="space-y-3">
      {metrics.length === 0 ? (
        <p className="text-sm text-slate-600">
          No metrics yet. Add at least one goal metric (the outcome your hypothesis expects to move) and the guardrails that must not get
          worse.
        </p>
      ) : null}
      {metrics.map((m, i) => {
        const id = (f: string) => `m${i}-${f}`;
        const err = (f: string) => errors[`metrics.${i}.${f}`];
        const on = included ? included[i] : true;
        const disabled = !editable || !on;
        const label = m.name.trim() || `metric ${i + 1}`;
        return (
          <div
            key={i}
            className={`@container rounded-lg border p-4 ${on ? "border-slate-200 bg-white" : "border-dashed border-slate-200 bg-slate-50"}`}
            data-testid={`metric-${i}`}
          >
            <div className="flex flex-wrap items-center gap-3">
              {included ? (
                <label className="flex items-center gap-2 text-sm font-medium text-slate-700">
                  <input
                    type="checkbox"
                    checked={on}
                    onChange={(e) => onIncludedChange?.(included.map((x, j) => (j === i ? e.target.checked : x)))}
                    aria-label={`Include ${label}`}
                  />
                  Include
                </label>
              ) : null}
              <Badge tone={m.role === "GOAL" ? "green" : "amber"}>{m.role === "GOAL" ? "goal" : "guardrail"}</Badge>
              <span className="font-medium text-slate-900">{label}</span>
              {descriptions[m.name] ? <span className="text-xs text-slate-500">{descriptions[m.name]}</span> : null}
              {editable && !included ? (
                <button type="button" className={`ml-auto ${buttonClass.danger}`} onClick={() => remove(i)}>
                  Remove
                </button>
              ) : null}
            </div>
            {/* Columns follow the card's own width, not the window's: beside the sidebar at 1024 px five would clip values. */}
            <div className="mt-3 grid grid-cols-1 gap-3 @md:grid-cols-2 @2xl:grid-cols-3 @min-[52rem]:grid-cols-[repeat(4,minmax(0,1fr))_minmax(0,1.6fr)]">
              <FormField id={id("name")} label="Name" error={err("name")}>
                <input
                  id={id("name")}
                  aria-label={`Name of ${label}`}
                  className={fieldClass(err("name"))}
                  value={m.name}
                  disabled={disabled}
                  onChange={(e) => update(i, { name: e.target.value })}
                />
              </FormField>
              <FormField
                id={id("role")}
                label="Type"
                help={m.role === "GOAL" ? "Should improve." : "Must not get worse."}
                error={err("role")}
              >
                <select
                  id={id("role")}
                  aria-label={`Type of ${label}`}
                  className={fieldClass(err("role"))}
                  value={m.role}
                  disabled={disabled}
                  onChange={(e) => update(i, { role: e.target.value as MetricDraft["role"] })}
                >
                  <option value="GOAL">Goal</option>
                  <option value="GUARDRAIL">Guardrail</option>
                </select>
              </FormField>
              <FormField
                id={id("kind")}
                label={m.scale ? "Read as" : "Kind"}
                help={
                  m.scale
                    ? m.kind === "PROPORTION"
                      ? `The score ÷ ${m.scale.max} as a rate (3.8 of 5 = 0.76), as the reference plan sizes it.`
                      : `The mean score on its ${scaleText(m.scale)} scale; needs its standard deviation.`
                    : {
                        MEAN: "An average: a score, a cost.",
                        PROPORTION: "A rate between 0 and 1.",
                        QUANTILE: "A percentile, e.g. P95 latency.",
                      }[m.kind]
                }
                error={err("kind")}
              >
                <select
                  id={id("kind")}
                  aria-label={`Kind of ${label}`}
                  className={fieldClass(err("kind"))}
                  value={m.kind}
                  disabled={disabled}
                  onChange={(e) => {
                    const kind = e.target.value as MetricDraft["kind"];
                    onChange(
                      metrics.map((x, j) => (j !== i ? x : m.scale && kind !== "QUANTILE" ? withDraftReading(m, kind) : { ...m, kind })),
                      included,
                    );
                  }}
                >
                  {m.scale ? (
                    <>
                      <option value="PROPORTION">Normalised score (÷ {m.scale.max}, 0–1)</option>
                      <option value="MEAN">Mean score ({scaleText(m.scale)})</option>
                    </>
                  ) : (
                    <>
                      <option value="MEAN">Mean</option>
                      <option value="PROPORTION">Proportion</option>
                      <option value="QUANTILE">Quantile</option>
                    </>
                  )}
                </select>
              </FormField>
              <FormField id={id("direction")} label="Better when it" error={err("direction")}>
                <select
                  id={id("direction")}
                  aria-label={`Direction of ${label}`}
                  className={fieldClass(err("direction"))}
                  value={m.direction}
                  disabled={disabled}
                  onChange={(e) => update(i, { direction: e.target.value as MetricDraft["direction"] })}
                >
                  <option value="INCREASE">goes up</option>
                  <option value="DECREASE">goes down</option>
                </select>
              </FormField>
              <FormField
                id={id("field")}
                label="Reads"
                help={m.source === "JUDGE_CRITERION" ? "A judge rubric criterion." : "A log field or custom value."}
                error={err("field") ?? err("source")}
              >
                <div className="flex gap-1">
                  <select
                    aria-label={`Source of ${label}`}
                    className={fieldClass(err("source"), "shrink-0 px-2", "w-[5.5rem]")}
                    value={m.source}
                    disabled={disabled}
                    onChange={(e) => update(i, { source: e.target.value as MetricDraft["source"] })}
                  >
                    <option value="LOG_FIELD">log</option>
                    <option value="JUDGE_CRITERION">judge</option>
                    <option value="CUSTOM_VALUE">custom</option>
                  </select>
                  <input
                    id={id("field")}
                    aria-label={`Field of ${label}`}
                    list="metric-log-fields"
                    className={fieldClass(err("field"), "font-mono text-xs", "min-w-0 flex-1")}
                    value={m.field}
                    disabled={disabled}
                    onChange={(e) => update(i, { field: e.target.value })}
                    placeholder="latency_ms"
                  />
                </div>
              </FormField>
            </div>
            <div className="mt-3 grid grid-cols-1 gap-3 @md:grid-cols-2 @2xl:grid-cols-3 @min-[52rem]:grid-cols-[minmax(0,1.6fr)_repeat(4,minmax(0,1fr))]">
              <FormField
                id={id("mde")}
                label="MDE"
                help="Smallest change worth acting on; typical: quality 5–10%, latency 10–15%, cost 5%, safety < 1%."
                error={err("mde")}
              >
                <div className="flex gap-1">
                  <input
                    id={id("mde")}
                    aria-label={`MDE of ${label}`}
                    type="number"
                    step="any"
                    className={fieldClass(err("mde"), "", "min-w-0 flex-1")}
                    value={m.mde}
                    disabled={disabled}
                    onChange={(e) => update(i, { mde: e.target.value })}
                  />
                  <select
                    aria-label={`MDE unit of ${label}`}
                    className={fieldClass(undefined, "shrink-0 px-2", "w-[7.5rem]")}
                    value={m.mdeAbsolute ? "absolute" : "relative"}
                    disabled={disabled}
                    onChange={(e) => update(i, { mdeAbsolute: e.target.value === "absolute" })}
                  >
                    <option value="relative">% relative</option>
                    <option value="absolute">absolute</option>
                  </select>
                </div>
              </FormField>
              {m.role === "GUARDRAIL" ? (
                <FormField
                  id={id("nonInferiorityMargin")}
                  label="Non-inferiority margin"
                  help={`${m.mdeAbsolute ? "Absolute" : "In %"}, like the MDE: how much worse it may get before it blocks a deploy.`}
                  error={err("nonInferiorityMargin")}
                >
                  <input
                    id={id("nonInferiorityMargin")}
                    aria-label={`Non-inferiority margin of ${label}`}
                    type="number"
                    step="any"
                    min={0}
                    className={fieldClass(err("nonInferiorityMargin"))}
                    value={m.nonInferiorityMargin}
                    disabled={disabled}
                    onChange={(e) => update(i, { nonInferiorityMargin: e.target.value })}
                  />
                </FormField>
              ) : null}
              <FormField
                id={id("baseline")}
                label="Baseline"
                help={
                  m.scale
                    ? m.kind === "PROPORTION"
                      ? `The control's normalised score, 0–1 (3.8 of ${m.scale.max} = ${Number((3.8 / m.scale.max).toPrecision(4))}); empty = from its logs.`
                      : `The control's mean score, ${scaleText(m.scale)}; empty = from its logs.`
                    : m.kind === "PROPORTION"
                      ? "The control's current rate, 0–1 (76% = 0.76)."
                      : "The control's current value; empty = from its logs."
                }
                error={err("baseline")}
              >
                <input
                  id={id("baseline")}
                  aria-label={`Baseline of ${label}`}
                  type="number"
                  step="any"
                  className={fieldClass(err("baseline"))}
                  value={m.baseline}
                  disabled={disabled}
                  onChange={(e) => update(i, { baseline: e.target.value })}
                />
              </FormField>
              {m.kind !== "PROPORTION" ? (
                <FormField
                  id={id("baselineSd")}
                  label="Standard deviation"
                  help="Of the metric, for sizing a mean."
                  error={err("baselineSd")}
                >
                  <input
                    id={id("baselineSd")}
                    aria-label={`Standard deviation of ${label}`}
                    type="number"
                    step="any"
                    min={0}
                    className={fieldClass(err("baselineSd"))}
                    value={m.baselineSd}
                    disabled={disabled}
                    onChange={(e) => update(i, { baselineSd: e.target.value })}
                  />
                </FormField>
              ) : null}
              {m.kind === "QUANTILE" ? (
                <FormField id={id("quantile")} label="Quantile" help="0.95 = P95." error={err("quantile")}>
                  <input
                    id={id("quantile")}
                    aria-label={`Quantile of ${label}`}
                    type="number"
                    step="any"
                    className={fieldClass(err("quantile"))}
                    value={m.quantile}
                    disabled={disabled}
                    onChange={(e) => update(i, { quantile: e.target.value })}
                    placeholder="0.95"
                  />
                </FormField>
              ) : null}
            </div>
            {scaleWarnings[i] ? (
              <div
                className="mt-3 flex flex-wrap items-center gap-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200"
                data-testid={`scale-warning-${i}`}
                role="status"
              >
                <span className="min-w-0 flex-1">{scaleWarnings[i]}</span>
                {editable && on && Number(m.baseline) > 0 && Number(m.baseline) < 1 ? (
                  <button type="button" className={buttonClass.secondary} onClick={() => update(i, withDraftReading(m, "PROPORTION"))}>
                    Read as the normalised score
                  </button>
                ) : null}
              </div>
            ) : null}
          </div>
        );
      })}
      <datalist id="metric-log-fields">
        {LOG_FIELDS.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      {errors.metrics ? <p className="text-sm font-medium text-rose-700">{errors.metrics}</p> : null}
      {editable ? (
        <div className="flex flex-wrap items-end gap-3 pt-1">
          {available.length && !included ? (
            <div className="flex items-end gap-2">
              <div>
                <label htmlFor="add-template" className="block text-sm font-medium text-slate-700">
                  Add a standard metric
                </label>
                <select id="add-template" className={`mt-1 ${fieldClass()}`} value={template} onChange={(e) => setTemplate(e.target.value)}>
                  <option value="">Choose a metric…</option>
                  {available.map((t) => (
                    <option key={t.name} value={t.name}>
                      {t.name} ({t.role === "GOAL" ? "goal" : "guardrail"})
                    </option>
                  ))}
                </select>
              </div>
              <button
                type="button"
                className={buttonClass.secondary}
                disabled={!template}
                onClick={() => {
                  const t = templates.find((x) => x.name === template);
                  if (t) add(metricDraftOf(t));
                  setTemplate("");
                }}
              >
                Add
              </button>
            </div>
          ) : null}
          <button type="button" className={buttonClass.secondary} onClick={() => add({ ...blankMetric })}>
            Add a custom metric
          </button>
        </div>
      ) : null}
    </div>
  );
}
