"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { buttonClass, inputClass, labelClass } from "@/components/ui/button";
import { SelectField } from "@/components/ui/SelectField";
import { uploadFile } from "./uploadFile";
import { FileProblem } from "./FileProblem";
import { ProgressBar } from "./ProgressBar";

const FORMATS = [
  { value: "", label: "Detect from the file" },
  { value: "varcas-trace", label: "varcas trace (prompts with timestamps)" },
  { value: "varcas-results", label: "varcas results file (replayed as a trace)" },
  { value: "azure", label: "Azure LLM inference trace (CSV)" },
  { value: "burstgpt", label: "BurstGPT (CSV)" },
  { value: "mooncake", label: "Mooncake (JSON Lines)" },
  { value: "sharegpt", label: "ShareGPT conversations" },
  { value: "csv", label: "CSV with a prompt column" },
  { value: "jsonl", label: "JSON Lines, one request a line" },
];

/** Uploads a trace file: progress while it is sent, and on a bad file the line and field to fix. */
export function TraceUpload() {
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState("");
  const [format, setFormat] = useState("");
  const [share, setShare] = useState<number | null>(null);
  const [problem, setProblem] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function send() {
    setDone(null);
    if (!file) return setProblem({ message: "Choose a trace file first.", fields: {} });
    const traceName = name.trim() || file.name.replace(/\.[a-z]+$/i, "");
    setProblem(null);
    setShare(0);
    const query = `name=${encodeURIComponent(traceName)}${format ? `&format=${encodeURIComponent(format)}` : ""}`;
    const res = await uploadFile(`/api/v1/traces?${query}`, file, setShare);
    setShare(null);
    if (!res.ok) return setProblem(res);
    const trace = (res.data as { trace: { name: string; requestCount: number } }).trace;
    setDone(`Saved “${trace.name}” with ${trace.requestCount.toLocaleString("en-US")} requests.`);
    setName("");
    router.refresh();
  }

  return (
    <form
      className="grid gap-4 sm:grid-cols-3"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <div>
        <label htmlFor="trace-file" className={labelClass}>
          Trace file
        </label>
        <input
          id="trace-file"
          type="file"
          accept=".json,.jsonl,.csv,.txt,application/json,text/csv"
          className="mt-1 block w-full text-sm text-slate-700"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </div>
      <div>
        <label htmlFor="trace-name" className={labelClass}>
          Trace name
        </label>
        <input
          id="trace-name"
          className={`${inputClass} mt-1`}
          value={name}
          placeholder={file ? file.name.replace(/\.[a-z]+$/i, "") : "support chat, Tuesday peak"}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <SelectField id="trace-format" label="Format" value={format} options={FORMATS} onChange={setFormat} />
      <div className="space-y-2 sm:col-span-3">
        {share !== null ? (
          <div>
            <ProgressBar share={share} label="Upload progress" />
            <p className="text-xs text-slate-600">
              {share < 1 ? `${Math.round(share * 100)}% sent` : "Sent; checking every line before it is saved…"}
            </p>
          </div>
        ) : null}
        {problem ? <FileProblem message={problem.message} fields={problem.fields} /> : null}
        {done ? (
          <p role="status" className="text-sm text-emerald-800" data-testid="trace-saved">
            {done}
          </p>
        ) : null}
        <button type="submit" className={buttonClass.primary} disabled={share !== null}>
          Upload trace
        </button>
      </div>
    </form>
  );
}
