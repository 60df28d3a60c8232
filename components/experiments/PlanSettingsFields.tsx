"use client";

import type { FieldErrors } from "@/components/ui/apiRequest";
import { PLAN_DEFAULTS } from "@/lib/stats/power";
import { FormField, fieldClass } from "./FormField";
import type { PlanDraft } from "./planDraft";

type NumberKey = "dailyTraffic" | "interactionsPerUser" | "alpha" | "power";

/** One numeric plan setting: its input, label, help and the API's error for plan.<key>. */
function NumberSetting({
  name,
  label,
  help,
  plan,
  onChange,
  errors,
  min,
  placeholder,
}: {
  name: NumberKey;
  label: string;
  help: string;
  plan: PlanDraft;
  onChange: (next: PlanDraft) => void;
  errors: FieldErrors;
  min?: number;
  placeholder?: string;
}) {
  const id = `plan-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const error = errors[`plan.${name}`];
  return (
    <FormField id={id} label={label} help={help} error={error}>
      <input
        id={id}
        type="number"
        min={min}
        step="any"
        className={fieldClass(error)}
        value={plan[name]}
        onChange={(e) => onChange({ ...plan, [name]: e.target.value })}
        placeholder={placeholder}
      />
    </FormField>
  );
}

/** The plan settings a design saves: the metric to size, daily traffic and what it counts, significance, power, correction. */
export function PlanSettingsFields({
  plan,
  onChange,
  errors,
  metricNames,
  compact = false,
}: {
  plan: PlanDraft;
  onChange: (next: PlanDraft) => void;
  errors: FieldErrors;
  /** Names the plan may size (empty: the first goal metric). */
  metricNames?: string[];
  /** Only traffic and what it counts (the New form): the rest keeps its defaults until the design page. */
  compact?: boolean;
}) {
  const set = (patch: Partial<PlanDraft>) => onChange({ ...plan, ...patch });
  const traffic = (
    <>
      <NumberSetting
        name="dailyTraffic"
        label="Daily traffic"
        help={`${plan.unit === "users" ? "Users" : "Interactions"} per day entering the test.`}
        min={1}
        placeholder="2000"
        plan={plan}
        onChange={onChange}
        errors={errors}
      />
      <FormField
        id="plan-unit"
        label="The sample counts"
        help={
          plan.unit === "users"
            ? "Users: each user's interactions make one value. Safe when users come back."
            : "Interactions: each logged interaction is one value."
        }
        error={errors["plan.unit"]}
      >
        <select
          id="plan-unit"
          className={fieldClass(errors["plan.unit"])}
          value={plan.unit}
          onChange={(e) => set({ unit: e.target.value as PlanDraft["unit"] })}
        >
          <option value="interactions">Interactions</option>
          <option value="users">Users</option>
        </select>
      </FormField>
      {plan.unit === "interactions" ? (
        <NumberSetting
          name="interactionsPerUser"
          label="Interactions per user"
          help="On average during the test; empty if unknown."
          min={1}
          placeholder="1"
          plan={plan}
          onChange={onChange}
          errors={errors}
        />
      ) : null}
    </>
  );
  if (compact) return <div className="grid gap-4 sm:grid-cols-3">{traffic}</div>;
  return (
    <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
      <FormField
        id="plan-metric"
        label="Metric to size"
        help="Empty: the first goal metric."
        error={errors["plan.metricName"]}
        className="lg:col-span-2"
      >
        <select
          id="plan-metric"
          className={fieldClass(errors["plan.metricName"])}
          value={plan.metricName}
          onChange={(e) => set({ metricName: e.target.value })}
        >
          <option value="">First goal metric</option>
          {(metricNames ?? []).map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </FormField>
      {traffic}
      <NumberSetting
        name="alpha"
        label="Significance α"
        help={`False-positive risk; ${PLAN_DEFAULTS.alpha} is standard.`}
        plan={plan}
        onChange={onChange}
        errors={errors}
      />
      <NumberSetting
        name="power"
        label="Power"
        help={`Chance to detect a real effect; ${PLAN_DEFAULTS.power} is standard.`}
        plan={plan}
        onChange={onChange}
        errors={errors}
      />
      <FormField
        id="plan-correction"
        label="Multiple comparisons"
        help="With 3+ variants, Bonferroni splits α."
        error={errors["plan.correction"]}
      >
        <select
          id="plan-correction"
          className={fieldClass(errors["plan.correction"])}
          value={plan.correction}
          onChange={(e) => set({ correction: e.target.value as PlanDraft["correction"] })}
        >
          <option value="none">None</option>
          <option value="bonferroni">Bonferroni</option>
        </select>
      </FormField>
    </div>
  );
}
