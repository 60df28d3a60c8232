import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { FormField, fieldClass } from "@/components/experiments/FormField";
import type { FieldErrors } from "@/components/ui/apiRequest";

/** The filter as the URL holds it: the text of each field, and the variant keys ticked. */
export interface FilterValues {
  variant: string[];
  from: string;
  to: string;
  safety: string;
  status: string;
  feedbackMin: string;
  feedbackMax: string;
  score: string;
  scoreMin: string;
  scoreMax: string;
  q: string;
}

/**
 * The explorer's filters as a GET form: applying them writes them to the URL (a link to the page shows the same rows)
 * and starts again from the newest interaction. Times are UTC, as Assay shows them.
 */
export function InteractionFilters({
  action,
  values,
  variants,
  criteria,
  errors,
}: {
  action: string;
  values: FilterValues;
  variants: { key: string; name: string }[];
  criteria: string[];
  errors: FieldErrors;
}) {
  const number = (id: keyof FilterValues, label: string) => (
    <FormField id={`filter-${id}`} label={label} error={errors[id]}>
      <input
        id={`filter-${id}`}
        name={id}
        type="number"
        step="any"
        inputMode="decimal"
        defaultValue={values[id] as string}
        className={fieldClass(errors[id])}
      />
    </FormField>
  );
  return (
    <form
      method="get"
      action={action}
      role="search"
      aria-label="Filter interactions"
      className="mb-4 space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-5"
    >
      <div className="grid gap-4 md:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_minmax(0,1fr)]">
        <FormField id="filter-q" label="Search text" help="Words in the user input or the model output." error={errors.q}>
          <input id="filter-q" name="q" type="search" defaultValue={values.q} className={fieldClass(errors.q)} />
        </FormField>
        <FormField id="filter-safety" label="Safety flag" error={errors.safety}>
          <select id="filter-safety" name="safety" defaultValue={values.safety} className={fieldClass(errors.safety)}>
            <option value="">Any</option>
            <option value="flagged">Flagged</option>
            <option value="clean">Not flagged</option>
          </select>
        </FormField>
        <FormField id="filter-status" label="Outcome" error={errors.status}>
          <select id="filter-status" name="status" defaultValue={values.status} className={fieldClass(errors.status)}>
            <option value="">Any</option>
            <option value="ok">Answered</option>
            <option value="failed">Failed (model error)</option>
          </select>
        </FormField>
      </div>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <fieldset className="min-w-0">
          <legend className="block text-sm font-medium text-slate-700">Variants</legend>
          <div className="mt-2 flex flex-wrap gap-x-4 gap-y-2">
            {variants.map((v) => (
              <label key={v.key} className="flex min-w-0 items-center gap-2 text-sm text-slate-800">
                <input type="checkbox" name="variant" value={v.key} defaultChecked={values.variant.includes(v.key)} />
                <span className="min-w-0 break-words">
                  <span className="font-mono">{v.key}</span> · {v.name}
                </span>
              </label>
            ))}
          </div>
          {errors.variant ? <p className="mt-1 text-xs font-medium text-rose-700">{errors.variant}</p> : null}
        </fieldset>
        <FormField id="filter-from" label="From (UTC)" error={errors.from}>
          <input id="filter-from" name="from" type="datetime-local" defaultValue={values.from} className={fieldClass(errors.from)} />
        </FormField>
        <FormField id="filter-to" label="Until (UTC, not included)" error={errors.to}>
          <input id="filter-to" name="to" type="datetime-local" defaultValue={values.to} className={fieldClass(errors.to)} />
        </FormField>
        <div className="grid grid-cols-2 gap-3">
          {number("feedbackMin", "Feedback from")}
          {number("feedbackMax", "Feedback to")}
        </div>
      </div>
      <div className="grid grid-cols-2 gap-4 sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_minmax(0,1fr)] lg:max-w-3xl">
        <FormField
          id="filter-score"
          label="Judge score on"
          className="col-span-2 sm:col-span-1"
          help="A criterion the judge scores, e.g. helpfulness."
          error={errors.score}
        >
          <input
            id="filter-score"
            name="score"
            list="filter-score-criteria"
            defaultValue={values.score}
            className={fieldClass(errors.score)}
          />
        </FormField>
        <datalist id="filter-score-criteria">
          {criteria.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        {number("scoreMin", "Score from")}
        {number("scoreMax", "Score to")}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <button type="submit" className={buttonClass.primary}>
          Apply filters
        </button>
        <Link href={action} className={buttonClass.secondary}>
          Clear filters
        </Link>
      </div>
    </form>
  );
}
