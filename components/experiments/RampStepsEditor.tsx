"use client";

import { buttonClass } from "@/components/ui/button";
import { Field } from "@/components/ui/Field";
import type { FieldErrors } from "@/components/ui/apiRequest";
import { MAX_RAMP_STEPS, type RampStepRow } from "./rampPlanForm";

const EMPTY_STEP: RampStepRow = { treatmentPercent: "100", coverage: "", minHours: "0", minSample: "0" };

/** The steps of a ramp plan a person writes: one group of fields per step, each refusal beside its field. */
export function RampStepsEditor({
  rows,
  onChange,
  errors,
  disabled,
}: {
  rows: RampStepRow[];
  onChange: (rows: RampStepRow[]) => void;
  /** Refusals keyed as the API keys them: `steps`, `steps.2`, `steps.2.minHours`. */
  errors: FieldErrors;
  disabled: boolean;
}) {
  const set = (i: number, field: keyof RampStepRow, value: string) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, [field]: value } : r)));
  return (
    <div className="space-y-3" data-testid="ramp-steps-editor">
      <p className="text-sm text-slate-700">
        Each step sends a share of new users to the treatment, and may also change how many users enter the experiment at all (leave it
        empty to keep the current share). A step moves on to the next once it has run its hours and each variant has its interactions.
      </p>
      <ol className="space-y-3">
        {rows.map((row, i) => {
          const id = `ramp-step-${i}`;
          const stepError = errors[`steps.${i}`];
          return (
            <li key={i}>
              <fieldset
                className="rounded-md border border-slate-200 p-3"
                aria-describedby={stepError ? `${id}-error` : undefined}
                data-testid={`ramp-step-${i + 1}`}
              >
                <legend className="px-1 text-sm font-medium text-slate-900">Step {i + 1}</legend>
                {/* Each field is a subgrid of three rows (label, input, refusal), so the inputs of a row line up however
                    their labels wrap, and each label sits just above its input. */}
                <div className="grid grid-cols-2 gap-x-3 gap-y-3 lg:grid-cols-4 [&>div]:row-span-3 [&>div]:grid [&>div]:grid-rows-subgrid [&>div]:gap-y-0 [&>div>label]:self-end">
                  <Field
                    id={`${id}-treatment`}
                    label="New users to the treatment, %"
                    value={row.treatmentPercent}
                    onChange={(v) => set(i, "treatmentPercent", v)}
                    error={errors[`steps.${i}.treatmentPercent`]}
                  />
                  <Field
                    id={`${id}-coverage`}
                    label="Users in the experiment, % (optional)"
                    value={row.coverage}
                    onChange={(v) => set(i, "coverage", v)}
                    error={errors[`steps.${i}.coverage`]}
                  />
                  <Field
                    id={`${id}-hours`}
                    label="Wait at least, hours"
                    value={row.minHours}
                    onChange={(v) => set(i, "minHours", v)}
                    error={errors[`steps.${i}.minHours`]}
                  />
                  <Field
                    id={`${id}-sample`}
                    label="And at least, interactions per variant"
                    value={row.minSample}
                    onChange={(v) => set(i, "minSample", v)}
                    error={errors[`steps.${i}.minSample`]}
                  />
                </div>
                {stepError ? (
                  <p id={`${id}-error`} className="mt-2 text-sm text-rose-700" data-testid="field-error">
                    {stepError}
                  </p>
                ) : null}
                {rows.length > 1 ? (
                  <button
                    type="button"
                    className={`${buttonClass.danger} mt-3`}
                    disabled={disabled}
                    aria-label={`Remove step ${i + 1}`}
                    onClick={() => onChange(rows.filter((_, j) => j !== i))}
                  >
                    Remove
                  </button>
                ) : null}
              </fieldset>
            </li>
          );
        })}
      </ol>
      {errors.steps ? (
        <p className="text-sm text-rose-700" data-testid="field-error">
          {errors.steps}
        </p>
      ) : null}
      {rows.length < MAX_RAMP_STEPS ? (
        <button
          type="button"
          className={buttonClass.secondary}
          disabled={disabled}
          onClick={() => onChange([...rows, rows.length ? { ...rows[rows.length - 1] } : EMPTY_STEP])}
        >
          Add a step
        </button>
      ) : null}
    </div>
  );
}
