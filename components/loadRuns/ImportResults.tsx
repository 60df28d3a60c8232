"use client";

import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import { buttonClass, inputClass, labelClass } from "@/components/ui/button";
import { uploadFile } from "./uploadFile";
import { FileProblem } from "./FileProblem";
import { ProgressBar } from "./ProgressBar";

/** "Upload results file": a results file from varcas or from Assay, kept as a finished run that can be read and compared. */
export function ImportResults() {
  const router = useRouter();
  const panelId = useId();
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState("");
  const [share, setShare] = useState<number | null>(null);
  const [problem, setProblem] = useState<{ message: string; fields: Record<string, string> } | null>(null);

  async function send() {
    if (!file) return setProblem({ message: "Choose a results file first.", fields: {} });
    const runName = name.trim() || file.name.replace(/\.json$/i, "");
    setProblem(null);
    setShare(0);
    const res = await uploadFile(`/api/v1/load-runs/import?name=${encodeURIComponent(runName)}`, file, setShare);
    setShare(null);
    if (!res.ok) return setProblem(res);
    const run = (res.data as { run: { id: string } }).run;
    router.push(`/load-runs/${encodeURIComponent(run.id)}`);
  }

  return (
    <div>
      <button type="button" className={buttonClass.secondary} aria-expanded={open} aria-controls={panelId} onClick={() => setOpen(!open)}>
        Upload results file
      </button>
      {open ? (
        <form
          id={panelId}
          className="mt-3 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:w-[28rem]"
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          <p className="text-sm text-slate-700">
            A results file from varcas or from Assay (JSON with its metrics and one record per request) becomes a finished run you can read
            and compare.
          </p>
          <div>
            <label htmlFor="import-file" className={labelClass}>
              Results file
            </label>
            <input
              id="import-file"
              type="file"
              accept=".json,application/json"
              className="mt-1 block w-full text-sm text-slate-700"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </div>
          <div>
            <label htmlFor="import-name" className={labelClass}>
              Run name
            </label>
            <input
              id="import-name"
              className={`${inputClass} mt-1`}
              value={name}
              placeholder={file ? file.name.replace(/\.json$/i, "") : "baseline build"}
              onChange={(e) => setName(e.target.value)}
            />
          </div>
          {share !== null ? (
            <div>
              <ProgressBar share={share} label="Upload progress" />
              <p className="text-xs text-slate-600">{Math.round(share * 100)}% sent</p>
            </div>
          ) : null}
          {problem ? <FileProblem message={problem.message} fields={problem.fields} /> : null}
          <div>
            <button type="submit" className={buttonClass.primary} disabled={share !== null}>
              Upload
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
