"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { DECISION_PRESET_KEYS, DECISION_PRESETS, DEFAULT_COST_RATIO_LIMIT, type DecisionPreset } from "@/lib/decision/presets";
import type { DecisionRules } from "@/lib/decision/matrix.types";
import { sendJson, type FieldErrors } from "@/components/ui/apiRequest";
import { buttonClass } from "@/components/ui/button";
import { FormField, fieldClass } from "@/components/experiments/FormField";

/** The decision rules of an experiment (PM, ADMIN): a preset and the cost ratio limit. */
export function DecisionRulesForm({ experimentKey, rules }: { experimentKey: string; rules: DecisionRules }) {
  const router = useRouter();
  const [preset, setPreset] = useState<DecisionPreset>(rules.preset);
  const [limited, setLimited] = useState(rules.costRatioLimit !== null);
  const [limit, setLimit] = useState(String(rules.costRatioLimit ?? DEFAULT_COST_RATIO_LIMIT));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    const res = await sendJson(`/api/v1/experiments/${encodeURIComponent(experimentKey)}/decision-rules`, "PUT", {
      preset,
      costRatioLimit: limited ? Number(limit) : null,
    });
    setBusy(false);
    if (!res.ok) {
      setErrors(res.fields);
      return setMessage(res.message);
    }
    setErrors({});
    setMessage("Saved: the matrix now applies these rules.");
    router.refresh();
  }

  return (
    <form onSubmit={save} className="space-y-4" aria-label="Decision rules">
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">When to deploy</legend>
        <div className="mt-2 grid gap-2 md:grid-cols-2">
          {DECISION_PRESET_KEYS.map((key) => (
            <label
              key={key}
              className={`flex cursor-pointer gap-2 rounded-md p-3 text-sm ring-1 ring-inset ${preset === key ? "bg-brand-50 ring-brand-500" : "ring-slate-300"}`}
            >
              <input type="radio" name="preset" value={key} checked={preset === key} onChange={() => setPreset(key)} className="mt-1" />
              <span>
                <span className="font-medium text-slate-900">{DECISION_PRESETS[key].label}</span>
                <span className="mt-0.5 block text-slate-700">{DECISION_PRESETS[key].description}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex flex-wrap items-end gap-4">
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" checked={limited} onChange={(e) => setLimited(e.target.checked)} />
          Do not deploy a variant that costs more than
        </label>
        <FormField id="cost-ratio-limit" label="Cost limit (times the control's cost per 1k requests)" error={errors.costRatioLimit}>
          <input
            id="cost-ratio-limit"
            type="number"
            min={1}
            step="any"
            inputMode="decimal"
            disabled={!limited}
            value={limit}
            onChange={(e) => setLimit(e.target.value)}
            className={fieldClass(errors.costRatioLimit, "", "w-32")}
          />
        </FormField>
      </div>
      <p className="text-xs text-slate-600">
        Any safety regression blocks a deploy whatever the rules; guardrail margins are set in the scorecard.
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={buttonClass.secondary} disabled={busy}>
          {busy ? "Saving…" : "Save rules"}
        </button>
        {message ? (
          <p
            role="status"
            className={`text-sm ${Object.keys(errors).length || !message.startsWith("Saved") ? "text-rose-700" : "text-emerald-800"}`}
          >
            {message}
          </p>
        ) : null}
      </div>
    </form>
  );
}
