"use client";

import { FormField, fieldClass } from "./FormField";
import {
  expectationWithMde,
  hypothesisEffectMessage,
  hypothesisSentence,
  mdeOfStatedEffect,
  type HypothesisEffect,
} from "@/lib/experiments/hypothesis";
import { buttonClass } from "@/components/ui/button";
import type { HypothesisDraft } from "./draft";
import type { FieldErrors } from "@/components/ui/apiRequest";

/** The expectation's effect next to the goal metric's MDE, with one-click ways to make them agree. */
function EffectCheck({
  effect,
  onUseMde,
  onUseStated,
}: {
  effect: HypothesisEffect;
  onUseMde: () => void;
  onUseStated?: (mde: { mde: number; mdeAbsolute: boolean }) => void;
}) {
  const differs = effect.status === "differs";
  return (
    <div
      className={`rounded-md px-3 py-2 text-sm ${differs ? "bg-amber-50 text-amber-900 ring-1 ring-amber-300" : "bg-slate-50 text-slate-700 ring-1 ring-slate-200"}`}
      data-testid="hypothesis-effect"
      data-status={effect.status}
      role={differs ? "alert" : undefined}
    >
      <p>{hypothesisEffectMessage(effect)}</p>
      {effect.status !== "agrees" ? (
        <div className="mt-2 flex flex-wrap gap-2">
          <button type="button" className={buttonClass.secondary} onClick={onUseMde}>
            Write {effect.mdeText} in the expectation
          </button>
          {effect.status === "differs" && onUseStated ? (
            <button
              type="button"
              className={buttonClass.secondary}
              onClick={() => onUseStated(mdeOfStatedEffect(effect.stated, { kind: effect.metricKind }))}
            >
              Set the MDE of {effect.metricName} to {effect.stated.text.trim()}
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/** The hypothesis' three parts as the form asks for them: "If we change X, we expect Y, because Z". */
const HYPOTHESIS_PARTS: { key: keyof HypothesisDraft; label: string; help: string; placeholder: string }[] = [
  {
    key: "change",
    label: "If we change …",
    help: "The one thing you change, e.g. the system prompt to a persona with clear steps.",
    placeholder: "the support system prompt to a persona with tone and three steps",
  },
  {
    key: "expectation",
    label: "we expect …",
    help: "The measurable outcome; it becomes your goal metric.",
    placeholder: "the helpfulness score to rise by at least 5%",
  },
  {
    key: "reason",
    label: "because …",
    help: "Why you believe it; reviewers read this.",
    placeholder: "structured answers solve the user's problem in fewer turns",
  },
];

/** The guide's hypothesis in three parts, with the sentence they make and how its stated effect compares with the goal metric's MDE. */
export function HypothesisFields({
  value,
  onChange,
  errors,
  disabled = false,
  effect = null,
  onUseStatedEffect,
}: {
  value: HypothesisDraft;
  onChange: (next: HypothesisDraft) => void;
  errors: FieldErrors;
  disabled?: boolean;
  /** The expectation against the goal metric's MDE (null without a goal metric). */
  effect?: HypothesisEffect | null;
  /** Sets the goal metric's MDE to the effect the expectation states. */
  onUseStatedEffect?: (mde: { mde: number; mdeAbsolute: boolean }) => void;
}) {
  const set = (part: keyof HypothesisDraft) => (e: React.ChangeEvent<HTMLTextAreaElement>) =>
    onChange({ ...value, [part]: e.target.value });
  return (
    <div className="space-y-4">
      <div className="grid gap-4 md:grid-cols-3">
        {HYPOTHESIS_PARTS.map((part) => (
          <FormField
            key={part.key}
            id={`hypothesis-${part.key}`}
            label={part.label}
            help={part.help}
            error={errors[`hypothesis.${part.key}`]}
          >
            <textarea
              id={`hypothesis-${part.key}`}
              rows={3}
              className={fieldClass(errors[`hypothesis.${part.key}`])}
              value={value[part.key]}
              onChange={set(part.key)}
              disabled={disabled}
              placeholder={part.placeholder}
            />
          </FormField>
        ))}
      </div>
      <p className="rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-700" data-testid="hypothesis-preview">
        <span className="font-semibold">Hypothesis: </span>
        {hypothesisSentence(value) || <span className="text-brand-700">Write the three parts above; they read as one sentence here.</span>}
      </p>
      {effect && !disabled ? (
        <EffectCheck
          effect={effect}
          onUseMde={() => onChange({ ...value, expectation: expectationWithMde(value.expectation, effect) })}
          onUseStated={onUseStatedEffect}
        />
      ) : null}
    </div>
  );
}
