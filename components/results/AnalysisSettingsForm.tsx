"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { sendJson } from "@/components/ui/apiRequest";
import { buttonClass, inputClass, labelClass } from "@/components/ui/button";

const CORRECTIONS = [
  { value: "holm", label: "Holm (controls false positives across metrics)" },
  { value: "bh", label: "Benjamini-Hochberg (controls the false discovery rate)" },
  { value: "none", label: "None (each metric on its own)" },
];

/** The results' reading (PM, ADMIN): correction across metrics and fixed-horizon or sequential tests. Audited. */
export function AnalysisSettingsForm({
  experimentKey,
  correction,
  sequential,
}: {
  experimentKey: string;
  correction: string;
  sequential: boolean;
}) {
  const router = useRouter();
  const [c, setC] = useState(correction);
  const [s, setS] = useState(sequential);
  const [message, setMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const dirty = c !== correction || s !== sequential;
  async function save() {
    setSaving(true);
    setMessage(null);
    const res = await sendJson(`/api/v1/experiments/${encodeURIComponent(experimentKey)}/analysis`, "PATCH", {
      correction: c,
      sequential: s,
    });
    setSaving(false);
    if (!res.ok) return setMessage(res.message);
    router.refresh();
  }
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div>
        <label htmlFor="analysis-correction" className={labelClass}>
          Correction for many comparisons
        </label>
        <select id="analysis-correction" className={`${inputClass} mt-1`} value={c} onChange={(e) => setC(e.target.value)}>
          {CORRECTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <label className="flex items-start gap-2 text-sm text-slate-800">
        <input type="checkbox" className="mt-0.5 h-4 w-4" checked={s} onChange={(e) => setS(e.target.checked)} />
        <span>
          Safe to check any time (sequential): wider intervals now, but looking at the results every day does not inflate false positives.
        </span>
      </label>
      {message ? (
        <p role="alert" className="text-sm text-rose-700">
          {message}
        </p>
      ) : null}
      <button type="submit" className={buttonClass.secondary} disabled={!dirty || saving}>
        {saving ? "Saving…" : "Save analysis settings"}
      </button>
    </form>
  );
}
