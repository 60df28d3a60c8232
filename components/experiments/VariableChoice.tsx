"use client";

import { VARIABLES, variableLabels, type VariableUnderTest } from "@/lib/validation/experiments";
import { variableExamples } from "./variableExamples";

type Variable = VariableUnderTest;

/** Radio cards for the one variable under test. */
export function VariableChoice({
  value,
  onChange,
  disabled = false,
  error,
}: {
  value: Variable;
  onChange: (v: Variable) => void;
  disabled?: boolean;
  error?: string;
}) {
  return (
    <fieldset>
      <legend className="block text-sm font-medium text-slate-700">Variable under test</legend>
      <p className="mt-1 text-xs text-slate-500">
        Test one variable at a time: when variants differ in several things, you cannot tell which one caused the result.
      </p>
      <div className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {VARIABLES.map((v) => {
          const checked = v === value;
          return (
            <label
              key={v}
              className={`flex cursor-pointer gap-3 rounded-lg border p-3 text-sm ${checked ? "border-brand-500 bg-brand-50 ring-1 ring-brand-500" : "border-slate-200 bg-white hover:border-slate-300"} ${disabled ? "cursor-not-allowed opacity-70" : ""}`}
            >
              <input
                type="radio"
                name="variableUnderTest"
                value={v}
                checked={checked}
                disabled={disabled}
                onChange={() => onChange(v)}
                className="mt-0.5"
              />
              <span>
                <span className="block font-medium text-slate-900">{variableLabels[v]}</span>
                <span className="mt-0.5 block text-xs text-slate-600">{variableExamples[v]}</span>
              </span>
            </label>
          );
        })}
      </div>
      {error ? <p className="mt-1 text-xs font-medium text-rose-700">{error}</p> : null}
    </fieldset>
  );
}
