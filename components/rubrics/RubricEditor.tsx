"use client";

import { useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { sendJson, type FieldErrors } from "@/components/ui/apiRequest";
import { FormField, fieldClass } from "@/components/experiments/FormField";
import type { RubricVersionView } from "@/lib/judge/rubrics";
import { MAX_CRITERIA, definitionOf, emptyCriterion, type CriterionDraft, type RubricDraft } from "./rubricDraft";

/** The form that saves a rubric, or the next version of one: name, system prompt, and criteria rows to add and remove. */
export function RubricEditor({
  draft,
  onChange,
  onSaved,
  onReset,
}: {
  draft: RubricDraft;
  onChange: (d: RubricDraft) => void;
  onSaved: (v: RubricVersionView) => void;
  onReset: () => void;
}) {
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const setCriterion = (i: number, change: Partial<CriterionDraft>) =>
    onChange({ ...draft, criteria: draft.criteria.map((c, j) => (j === i ? { ...c, ...change } : c)) });

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    setFields({});
    const res = await sendJson("/api/v1/rubrics", "POST", definitionOf(draft));
    setBusy(false);
    if (!res.ok) {
      setFields(res.fields);
      return setError(res.message);
    }
    const { rubric, created } = res.data as { rubric: RubricVersionView; created: boolean };
    setNotice(
      created
        ? `Saved ${rubric.name} version ${rubric.version}.`
        : `Nothing new to save: this is ${rubric.name} version ${rubric.version} as it was saved. Change something to make a new version.`,
    );
    onSaved(rubric);
  }

  const field = (i: number, name: string) => fields[`criteria.${i}.${name}`];
  return (
    <form className="space-y-5" onSubmit={save} noValidate aria-describedby="rubric-editor-about">
      <p id="rubric-editor-about" className="text-sm text-slate-700">
        {draft.basedOn
          ? `Starting from ${draft.basedOn.name} version ${draft.basedOn.version}. Saved versions never change: saving makes the next version.`
          : "Saving a name for the first time makes its version 1; saving under an existing name makes its next version."}
      </p>
      <div className="grid gap-4 lg:grid-cols-2">
        <FormField id="rubric-name" label="Name" help="Lower-case words joined by hyphens, like support-tone." error={fields.name}>
          <input
            id="rubric-name"
            className={fieldClass(fields.name)}
            value={draft.name}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => onChange({ ...draft, name: e.target.value })}
          />
        </FormField>
      </div>
      <FormField
        id="rubric-prompt"
        label="System prompt (optional)"
        help="What the judge is told. Left empty, it is written from the criteria below."
        error={fields.systemPrompt}
      >
        <textarea
          id="rubric-prompt"
          rows={5}
          className={fieldClass(fields.systemPrompt)}
          value={draft.systemPrompt}
          onChange={(e) => onChange({ ...draft, systemPrompt: e.target.value })}
        />
      </FormField>

      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-slate-900">Criteria</legend>
        <p className="text-sm text-slate-700">
          Each one gets a whole-number score on its scale (1 to 10 at most). A name is lower-case letters, digits or _, like task_success.
        </p>
        {fields.criteria ? (
          <p className="text-sm font-medium text-rose-700" data-testid="error-criteria">
            {fields.criteria}
          </p>
        ) : null}
        <ol className="space-y-3">
          {draft.criteria.map((c, i) => (
            <li key={i} className="rounded-md border border-slate-200 p-3" data-testid="criterion-row">
              <div className="grid gap-3 sm:grid-cols-[minmax(8rem,12rem)_1fr_5.5rem_5.5rem]">
                <FormField id={`criterion-${i}-name`} label={`Criterion ${i + 1} name`} error={field(i, "name") ?? field(i, "key")}>
                  <input
                    id={`criterion-${i}-name`}
                    className={fieldClass(field(i, "name"))}
                    value={c.name}
                    autoComplete="off"
                    spellCheck={false}
                    onChange={(e) => setCriterion(i, { name: e.target.value })}
                  />
                </FormField>
                <FormField id={`criterion-${i}-description`} label="What the judge assesses" error={field(i, "description")}>
                  <input
                    id={`criterion-${i}-description`}
                    className={fieldClass(field(i, "description"))}
                    value={c.description}
                    onChange={(e) => setCriterion(i, { description: e.target.value })}
                  />
                </FormField>
                <div className="grid grid-cols-2 gap-3 sm:contents">
                  <FormField id={`criterion-${i}-min`} label="Lowest" error={field(i, "min")}>
                    <input
                      id={`criterion-${i}-min`}
                      className={fieldClass(field(i, "min"))}
                      inputMode="numeric"
                      value={c.min}
                      onChange={(e) => setCriterion(i, { min: e.target.value })}
                    />
                  </FormField>
                  <FormField id={`criterion-${i}-max`} label="Highest" error={field(i, "max")}>
                    <input
                      id={`criterion-${i}-max`}
                      className={fieldClass(field(i, "max"))}
                      inputMode="numeric"
                      value={c.max}
                      onChange={(e) => setCriterion(i, { max: e.target.value })}
                    />
                  </FormField>
                </div>
              </div>
              {draft.criteria.length > 1 ? (
                <button
                  type="button"
                  className={`${buttonClass.danger} mt-3`}
                  onClick={() => onChange({ ...draft, criteria: draft.criteria.filter((_, j) => j !== i) })}
                >
                  Remove criterion {i + 1}
                </button>
              ) : null}
            </li>
          ))}
        </ol>
        <button
          type="button"
          className={buttonClass.secondary}
          disabled={draft.criteria.length >= MAX_CRITERIA}
          onClick={() => onChange({ ...draft, criteria: [...draft.criteria, emptyCriterion()] })}
        >
          Add criterion
        </button>
        {draft.criteria.length >= MAX_CRITERIA ? (
          <p className="text-sm text-slate-700">A rubric has at most {MAX_CRITERIA} criteria.</p>
        ) : null}
      </fieldset>

      {error ? (
        <p role="alert" className="text-sm text-rose-700">
          {error}
        </p>
      ) : null}
      {notice ? (
        <p role="status" className="text-sm text-emerald-800" data-testid="rubric-saved">
          {notice}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-3">
        <button type="submit" className={buttonClass.primary} disabled={busy}>
          {busy ? "Saving…" : "Save version"}
        </button>
        <button
          type="button"
          className={buttonClass.secondary}
          onClick={() => {
            setFields({});
            setError(null);
            setNotice(null);
            onReset();
          }}
        >
          Start a new rubric
        </button>
      </div>
    </form>
  );
}
