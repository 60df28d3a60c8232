"use client";

import { FormField, fieldClass } from "./FormField";
import { hypothesisSentence } from "@/lib/experiments/hypothesis";
import type { HypothesisDraft } from "./draft";
import type { FieldErrors } from "@/components/ui/apiRequest";

/** The guide's hypothesis in three parts, with the sentence they make. */
export function HypothesisFields({
  value,
  onChange,
  errors,
  disabled = false,
}: {
  value: HypothesisDraft;
  onChange: (next: HypothesisDraft) => void;
  errors: FieldErrors;
  disabled?: boolean;
}) {
  const set = (part: keyof HypothesisDraft) => (e: React.ChangeEvent<HTMLTextAreaElement>) =>
    onChange({ ...value, [part]: e.target.value });
  return (
    <div className="space-y-4">
      <div className="grid gap-4 md:grid-cols-3">
        <FormField
          id="hypothesis-change"
          label="If we change …"
          help="The one thing you change, e.g. the system prompt to a persona with clear steps."
          error={errors["hypothesis.change"]}
        >
          <textarea
            id="hypothesis-change"
            rows={3}
            className={fieldClass(errors["hypothesis.change"])}
            value={value.change}
            onChange={set("change")}
            disabled={disabled}
            placeholder="the support system prompt to a persona with tone and three steps"
          />
        </FormField>
        <FormField
          id="hypothesis-expectation"
          label="we expect …"
          help="The measurable outcome; it becomes your goal metric."
          error={errors["hypothesis.expectation"]}
        >
          <textarea
            id="hypothesis-expectation"
            rows={3}
            className={fieldClass(errors["hypothesis.expectation"])}
            value={value.expectation}
            onChange={set("expectation")}
            disabled={disabled}
            placeholder="the helpfulness score to rise by at least 5%"
          />
        </FormField>
        <FormField
          id="hypothesis-reason"
          label="because …"
          help="Why you believe it; reviewers read this."
          error={errors["hypothesis.reason"]}
        >
          <textarea
            id="hypothesis-reason"
            rows={3}
            className={fieldClass(errors["hypothesis.reason"])}
            value={value.reason}
            onChange={set("reason")}
            disabled={disabled}
            placeholder="structured answers solve the user's problem in fewer turns"
          />
        </FormField>
      </div>
      <p className="rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-700" data-testid="hypothesis-preview">
        <span className="font-semibold">Hypothesis: </span>
        {hypothesisSentence(value) || (
          <span className="text-brand-700/70">Write the three parts above; they read as one sentence here.</span>
        )}
      </p>
    </div>
  );
}
