"use client";

import { useState } from "react";
import Link from "next/link";
import { sendJson } from "@/components/ui/apiRequest";
import { buttonClass, inputClass, labelClass } from "@/components/ui/button";
import { SelectField } from "@/components/ui/SelectField";

const CRITERIA = [
  { value: "helpfulness", label: "Helpfulness" },
  { value: "clarity", label: "Clarity" },
  { value: "safety", label: "Safety" },
];

const MODES = [
  { value: "lowest", label: "The lowest judge scores" },
  { value: "safety", label: "Flagged as unsafe" },
  { value: "disagreement", label: "Judge and user disagree" },
  { value: "random", label: "A random sample" },
];

/** Picks interactions of the experiment into a named dataset (a snapshot, downloadable as JSONL). */
export function SaveDatasetForm({ experimentKey, variants }: { experimentKey: string; variants: string[] }) {
  const [name, setName] = useState("");
  const [mode, setMode] = useState("lowest");
  const [limit, setLimit] = useState("100");
  const [criterion, setCriterion] = useState("helpfulness");
  const [variant, setVariant] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [saved, setSaved] = useState<{ id: string; name: string; itemCount: number } | null>(null);
  const [busy, setBusy] = useState(false);
  async function save() {
    setBusy(true);
    setMessage(null);
    setSaved(null);
    const body: Record<string, unknown> = { name, mode, limit: Number(limit) };
    if (mode === "lowest" || mode === "disagreement") body.criterion = criterion;
    if (variant) body.variant = variant;
    const res = await sendJson(`/api/v1/experiments/${encodeURIComponent(experimentKey)}/datasets`, "POST", body);
    setBusy(false);
    if (!res.ok) return setMessage(res.message);
    setSaved((res.data as { dataset: { id: string; name: string; itemCount: number } }).dataset);
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
        <label htmlFor="dataset-name" className={labelClass}>
          Dataset name
        </label>
        <input
          id="dataset-name"
          className={`${inputClass} mt-1`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={100}
        />
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField id="dataset-mode" label="Pick" value={mode} options={MODES} onChange={setMode} />
        <div>
          <label htmlFor="dataset-limit" className={labelClass}>
            At most
          </label>
          <input
            id="dataset-limit"
            className={`${inputClass} mt-1`}
            inputMode="numeric"
            value={limit}
            onChange={(e) => setLimit(e.target.value)}
          />
        </div>
        {mode === "lowest" || mode === "disagreement" ? (
          <SelectField id="dataset-criterion" label="Judge score" value={criterion} options={CRITERIA} onChange={setCriterion} />
        ) : null}
        <SelectField
          id="dataset-variant"
          label="Variant"
          value={variant}
          options={[{ value: "", label: "Every variant" }, ...variants.map((v) => ({ value: v, label: v }))]}
          onChange={setVariant}
        />
      </div>
      {message ? (
        <p role="alert" className="text-sm text-rose-700">
          {message}
        </p>
      ) : null}
      {saved ? (
        <p role="status" className="text-sm text-emerald-800" data-testid="dataset-saved">
          Saved &ldquo;{saved.name}&rdquo; with {saved.itemCount.toLocaleString("en-US")} interactions.{" "}
          <a href={`/api/v1/datasets/${encodeURIComponent(saved.id)}/download`} className="text-brand-700 underline underline-offset-2">
            Download
          </a>{" "}
          ·{" "}
          <Link href="/datasets" className="text-brand-700 underline underline-offset-2">
            All datasets
          </Link>
        </p>
      ) : null}
      <button type="submit" className={buttonClass.secondary} disabled={busy || !name.trim()}>
        {busy ? "Saving…" : "Save as dataset"}
      </button>
    </form>
  );
}
