"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { sendJson } from "@/components/ui/apiRequest";
import { buttonClass, inputClass, labelClass } from "@/components/ui/button";
import { SelectField } from "@/components/ui/SelectField";

/** Makes a trace from a saved dataset: each item's input is a prompt, its answer's length the length asked for. */
export function TraceFromDataset({ datasets }: { datasets: { id: string; name: string; itemCount: number }[] }) {
  const router = useRouter();
  const [datasetId, setDatasetId] = useState(datasets[0]?.id ?? "");
  const [name, setName] = useState("");
  const [fields, setFields] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (datasets.length === 0)
    return <p className="text-sm text-slate-700">No datasets yet: save one from an experiment&apos;s results page first.</p>;
  const chosen = datasets.find((d) => d.id === datasetId);

  async function make() {
    setBusy(true);
    setMessage(null);
    const res = await sendJson("/api/v1/traces/from-dataset", "POST", {
      datasetId,
      name: name.trim() || `From ${chosen?.name ?? "dataset"}`,
    });
    setBusy(false);
    if (!res.ok) {
      setFields(res.fields);
      return setMessage(res.message);
    }
    setFields({});
    setName("");
    router.refresh();
  }

  return (
    <form
      className="grid gap-4 sm:grid-cols-3"
      onSubmit={(e) => {
        e.preventDefault();
        void make();
      }}
    >
      <div>
        <SelectField
          id="dataset-trace-dataset"
          label="Dataset"
          value={datasetId}
          options={datasets.map((d) => ({ value: d.id, label: `${d.name} (${d.itemCount.toLocaleString("en-US")} items)` }))}
          onChange={setDatasetId}
        />
        {fields.datasetId ? <p className="mt-1 text-sm text-rose-700">{fields.datasetId}</p> : null}
      </div>
      <div>
        <label htmlFor="dataset-trace-name" className={labelClass}>
          Name of the new trace
        </label>
        <input
          id="dataset-trace-name"
          className={`${inputClass} mt-1`}
          value={name}
          placeholder={`From ${chosen?.name ?? "dataset"}`}
          aria-invalid={fields.name ? true : undefined}
          aria-describedby={fields.name ? "dataset-trace-name-error" : undefined}
          onChange={(e) => setName(e.target.value)}
        />
        {fields.name ? (
          <p id="dataset-trace-name-error" className="mt-1 text-sm text-rose-700">
            {fields.name}
          </p>
        ) : null}
      </div>
      <div className="sm:self-end">
        <button type="submit" className={buttonClass.secondary} disabled={busy}>
          Make a trace
        </button>
      </div>
      {message && Object.keys(fields).length === 0 ? (
        <p role="alert" className="text-sm text-rose-700 sm:col-span-3">
          {message}
        </p>
      ) : null}
    </form>
  );
}
