"use client";

import { useId } from "react";
import { Card } from "@/components/ui/Card";
import { inputClass, labelClass } from "@/components/ui/button";
import type { PlanFormFields } from "@/lib/planner/planForm";
import type { PlanField } from "@/lib/stats/power";

type Errors = Partial<Record<PlanField, string>>;

function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: React.ReactNode;
  hint?: React.ReactNode;
  error?: string;
  children: React.ReactNode;
}) {
  return (
    <div>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      <div className="mt-1">{children}</div>
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-rose-700" data-testid="field-error">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

const invalidRing = "ring-rose-400 focus:ring-rose-500";

/** A text input for a number: typed freely, checked by the shared schema, with its error or hint linked for screen readers. */
function NumberInput({
  id,
  value,
  onChange,
  error,
  suffix,
  placeholder,
  hasHint,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  suffix?: string;
  placeholder?: string;
  hasHint?: boolean;
}) {
  const input = (
    <input
      id={id}
      type="text"
      inputMode="decimal"
      autoComplete="off"
      value={value}
      placeholder={placeholder}
      onChange={(e) => onChange(e.target.value)}
      aria-invalid={error ? true : undefined}
      aria-describedby={error ? `${id}-error` : hasHint ? `${id}-hint` : undefined}
      className={`${inputClass} ${suffix ? "pr-8" : ""} ${error ? invalidRing : ""}`}
    />
  );
  if (!suffix) return input;
  return (
    <div className="relative">
      {input}
      <span className="pointer-events-none absolute inset-y-0 right-3 flex items-center text-sm text-slate-500">{suffix}</span>
    </div>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <fieldset className="space-y-4 border-t border-slate-100 pt-4 first:border-t-0 first:pt-0">
      <legend className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-600">{title}</legend>
      {children}
    </fieldset>
  );
}

/** The planner's inputs; every change goes to `onChange`, which recomputes the plan at once. */
export function PlanInputs({
  fields,
  errors,
  onChange,
  onToggleMdeKind,
  mdePreview,
}: {
  fields: PlanFormFields;
  errors: Errors;
  onChange: (patch: Partial<PlanFormFields>) => void;
  onToggleMdeKind: (absolute: boolean) => void;
  /** "0.76 → 0.798" under the MDE when the inputs are valid. */
  mdePreview?: string | null;
}) {
  const uid = useId();
  const id = (name: string) => `${uid}-${name}`;
  const isProportion = fields.metric === "proportion";
  const variants = Number(fields.variants);

  return (
    <Card title="Inputs">
      <form className="space-y-5" onSubmit={(e) => e.preventDefault()} noValidate>
        <Section title="Metric">
          <div role="radiogroup" aria-label="Metric type" className="space-y-2">
            {(
              [
                ["proportion", "Proportion", "A rate from 0 to 1: thumbs up, goal completion, helpfulness normalised to 0–1."],
                ["mean", "Mean", "An average with a standard deviation: latency, cost, tokens, a 1–5 score."],
              ] as const
            ).map(([value, title, text]) => (
              <label
                key={value}
                className={`flex cursor-pointer gap-3 rounded-md p-2.5 ring-1 ring-inset ${fields.metric === value ? "bg-brand-50 ring-brand-500" : "ring-slate-200 hover:bg-slate-50"}`}
              >
                <input
                  type="radio"
                  name={id("metric")}
                  value={value}
                  checked={fields.metric === value}
                  onChange={() => onChange({ metric: value })}
                  className="mt-0.5 accent-brand-600"
                />
                <span className="text-sm">
                  <span className="font-medium text-slate-900">{title}</span>
                  <span className="block text-xs text-slate-600">{text}</span>
                </span>
              </label>
            ))}
          </div>
          {errors.metric ? (
            <p className="text-sm text-rose-700" data-testid="field-error">
              {errors.metric}
            </p>
          ) : null}
          <Field
            id={id("baseline")}
            label={isProportion ? "Baseline rate (control, 0 to 1)" : "Baseline mean (control)"}
            hint={isProportion ? "Today's value, e.g. helpfulness 3.8 of 5 normalised to 0.76." : "Today's average, e.g. 1500 ms latency."}
            error={errors.baseline}
          >
            <NumberInput
              id={id("baseline")}
              value={fields.baseline}
              onChange={(v) => onChange({ baseline: v })}
              error={errors.baseline}
              hasHint
            />
          </Field>
          {isProportion ? null : (
            <Field id={id("sd")} label="Standard deviation" hint="Of the metric per unit, from past data." error={errors.sd}>
              <NumberInput id={id("sd")} value={fields.sd} onChange={(v) => onChange({ sd: v })} error={errors.sd} hasHint />
            </Field>
          )}
        </Section>

        <Section title="Effect to detect">
          <div>
            <div className="flex items-center justify-between gap-2">
              <label htmlFor={id("mde")} className={labelClass}>
                Minimum detectable effect (MDE)
              </label>
              <div
                role="group"
                aria-label="MDE kind"
                className="inline-flex shrink-0 whitespace-nowrap rounded-md text-xs ring-1 ring-inset ring-slate-300"
              >
                {([false, true] as const).map((absolute) => (
                  <button
                    key={String(absolute)}
                    type="button"
                    aria-pressed={fields.mdeAbsolute === absolute}
                    onClick={() => onToggleMdeKind(absolute)}
                    className={`px-2 py-1 first:rounded-l-md last:rounded-r-md ${fields.mdeAbsolute === absolute ? "bg-brand-600 text-white" : "text-slate-700 hover:bg-slate-50"}`}
                  >
                    {absolute ? "absolute" : "% relative"}
                  </button>
                ))}
              </div>
            </div>
            <div className="mt-1">
              <NumberInput
                id={id("mde")}
                value={fields.mde}
                onChange={(v) => onChange({ mde: v })}
                error={errors.mde}
                suffix={fields.mdeAbsolute ? undefined : "%"}
                hasHint
              />
            </div>
            {errors.mde ? (
              <p id={`${id("mde")}-error`} className="mt-1 text-sm text-rose-700" data-testid="field-error">
                {errors.mde}
              </p>
            ) : (
              <p id={`${id("mde")}-hint`} className="mt-1 text-xs text-slate-500">
                The smallest change worth shipping{fields.mdeAbsolute ? ", in the metric's units" : ""}. Negative means you look for a
                decrease (e.g. −10% latency).
                {mdePreview ? <span className="block font-medium text-slate-700">{mdePreview}</span> : null}
              </p>
            )}
          </div>
          {isProportion ? (
            <Field id={id("effectSize")} label="Effect size method" error={errors.effectSize}>
              <select
                id={id("effectSize")}
                value={fields.effectSize}
                onChange={(e) => onChange({ effectSize: e.target.value as PlanFormFields["effectSize"] })}
                className={inputClass}
              >
                <option value="guide">Pooled SD: (p2 − p1) / √(p̄(1 − p̄))</option>
                <option value="cohens-h">Cohen&apos;s h: 2·asin√p2 − 2·asin√p1</option>
              </select>
            </Field>
          ) : null}
        </Section>

        <Section title="Error rates and variants">
          <div className="grid grid-cols-2 gap-3">
            <Field id={id("alpha")} label="Significance (alpha)" hint="False-positive risk." error={errors.alpha}>
              <NumberInput id={id("alpha")} value={fields.alpha} onChange={(v) => onChange({ alpha: v })} error={errors.alpha} hasHint />
            </Field>
            <Field id={id("power")} label="Power (1 − beta)" hint="Chance to catch a real MDE." error={errors.power}>
              <NumberInput id={id("power")} value={fields.power} onChange={(v) => onChange({ power: v })} error={errors.power} hasHint />
            </Field>
          </div>
          <Field id={id("variants")} label="Number of variants (control included)" error={errors.variants}>
            <select
              id={id("variants")}
              value={fields.variants}
              onChange={(e) => onChange({ variants: e.target.value })}
              className={inputClass}
            >
              {[2, 3, 4, 5, 6, 7, 8].map((k) => (
                <option key={k} value={String(k)}>
                  {k === 2 ? "2 (A/B)" : `${k} (control + ${k - 1})`}
                </option>
              ))}
            </select>
          </Field>
          <Field
            id={id("weights")}
            label="Traffic split (optional)"
            hint="Shares of the arms, the control first, e.g. 90/10. Empty: an equal split."
            error={errors.weights}
          >
            <NumberInput
              id={id("weights")}
              value={fields.weights}
              onChange={(v) => onChange({ weights: v })}
              error={errors.weights}
              placeholder="equal"
              hasHint
            />
          </Field>
          <label className="flex items-start gap-2 text-sm text-slate-700">
            <input
              type="checkbox"
              checked={fields.bonferroni}
              onChange={(e) => onChange({ bonferroni: e.target.checked })}
              className="mt-0.5 accent-brand-600"
            />
            <span>
              Bonferroni correction
              <span className="block text-xs text-slate-500">
                {variants > 2
                  ? `Tests each of the ${variants - 1} variants against the control at alpha ÷ ${variants - 1}.`
                  : "Splits alpha over the comparisons; no effect with 2 variants."}
              </span>
            </span>
          </label>
        </Section>

        <Section title="Traffic">
          <div className="grid grid-cols-2 gap-3">
            <Field id={id("dailyTraffic")} label="Daily traffic" hint="Interactions per day." error={errors.dailyTraffic}>
              <NumberInput
                id={id("dailyTraffic")}
                value={fields.dailyTraffic}
                onChange={(v) => onChange({ dailyTraffic: v })}
                error={errors.dailyTraffic}
                placeholder="e.g. 2000"
                hasHint
              />
            </Field>
            <Field id={id("coverage")} label="Coverage" hint="Share in the experiment." error={errors.coverage}>
              <NumberInput
                id={id("coverage")}
                value={fields.coverage}
                onChange={(v) => onChange({ coverage: v })}
                error={errors.coverage}
                suffix="%"
                placeholder="100"
                hasHint
              />
            </Field>
          </div>
        </Section>
      </form>
    </Card>
  );
}
