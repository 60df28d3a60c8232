"use client";

import { useRef, useState } from "react";
import Papa from "papaparse";
import { buttonClass } from "@/components/ui/button";
import { csvRecords } from "@/lib/ingest/csv";

const BATCH = 1000;
const MAX_JSON_BYTES = 50 * 1024 * 1024;

type Kind = "csv" | "ndjson" | "json";

interface Refusal {
  where: string;
  field: string;
  message: string;
}

interface Progress {
  file: string;
  bytes: number;
  total: number;
  records: number;
  accepted: number;
  duplicates: number;
  state: "reading" | "done" | "refused" | "failed" | "cancelled";
  message?: string;
  refusals: Refusal[];
}

function kindOf(file: File): Kind | null {
  const name = file.name.toLowerCase();
  if (name.endsWith(".csv")) return "csv";
  if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) return "ndjson";
  if (name.endsWith(".json")) return "json";
  return null;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
const count = (n: number) => n.toLocaleString("en-US");

class Stop extends Error {}

/** Uploads a CSV, NDJSON or JSON file of interactions in batches of 1,000, with progress; a refused batch stops the upload. */
export function InteractionUpload({ experimentKey }: { experimentKey: string }) {
  const [progress, setProgress] = useState<Progress | null>(null);
  const cancelled = useRef(false);
  const input = useRef<HTMLInputElement>(null);

  async function upload(file: File) {
    const kind = kindOf(file);
    const base: Progress = {
      file: file.name,
      bytes: 0,
      total: file.size,
      records: 0,
      accepted: 0,
      duplicates: 0,
      state: "reading",
      refusals: [],
    };
    if (!kind) {
      setProgress({ ...base, state: "refused", message: "Choose a .csv, .ndjson, .jsonl or .json file." });
      return;
    }
    cancelled.current = false;
    let p = base;
    const update = (change: Partial<Progress>) => {
      p = { ...p, ...change };
      setProgress(p);
    };
    update({});
    // `where(i)` says where record i of this batch is in the file, in the file's own terms (a line, a row, a record).
    const send = async (records: unknown[], where: (i: number) => string, bytes: number) => {
      if (cancelled.current) throw new Stop("cancelled");
      const body = records.map((r) =>
        r && typeof r === "object" && !Array.isArray(r) && !("experiment_key" in r) ? { experiment_key: experimentKey, ...r } : r,
      );
      let res: Response;
      try {
        res = await fetch("/api/v1/uploads/interactions", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      } catch {
        update({
          state: "failed",
          message: "Could not reach Assay. Check your connection, then upload the file again: rows already stored count as duplicates.",
        });
        throw new Stop("failed");
      }
      const json = (await res.json().catch(() => null)) as {
        accepted?: number;
        duplicates?: number;
        rejected?: { index: number; field: string; message: string }[];
        error?: { message: string };
      } | null;
      if (res.ok && json) {
        update({
          records: p.records + records.length,
          accepted: p.accepted + (json.accepted ?? 0),
          duplicates: p.duplicates + (json.duplicates ?? 0),
          bytes,
        });
        return;
      }
      const refusals = (json?.rejected ?? []).map((r) => ({ where: where(r.index), field: r.field, message: r.message }));
      update({
        state: refusals.length ? "refused" : "failed",
        message: refusals.length
          ? "This batch was refused, so none of its rows were stored (the batches before it were). Fix these rows and upload the file again: rows already stored count as duplicates."
          : (json?.error?.message ?? `The upload failed (${res.status}).`),
        refusals,
      });
      throw new Stop("refused");
    };

    try {
      if (kind === "json") {
        if (file.size > MAX_JSON_BYTES) {
          update({
            state: "refused",
            message: `A .json file is read whole, so it can be at most ${mb(MAX_JSON_BYTES)}; save large files as NDJSON (one record per line) or CSV, which are read as they go.`,
          });
          return;
        }
        let records: unknown;
        try {
          records = JSON.parse(await file.text());
        } catch {
          update({ state: "refused", message: "The file is not valid JSON. Check it in an editor, or save it as NDJSON or CSV." });
          return;
        }
        if (!Array.isArray(records)) {
          update({ state: "refused", message: "A .json file must hold a list of records: [{...}, {...}]." });
          return;
        }
        for (let i = 0; i < records.length; i += BATCH) {
          await send(
            records.slice(i, i + BATCH),
            (j) => `record ${count(i + j + 1)}`,
            Math.round((file.size * Math.min(records.length, i + BATCH)) / records.length),
          );
        }
      } else if (kind === "ndjson") {
        const reader = file.stream().pipeThrough(new TextDecoderStream()).getReader();
        let rest = "";
        let line = 0;
        let bytes = 0;
        let batch: unknown[] = [];
        let lines: number[] = [];
        const flush = async () => {
          if (!batch.length) return;
          const at = lines;
          await send(batch, (j) => `line ${count(at[j])}`, bytes);
          batch = [];
          lines = [];
        };
        for (;;) {
          const { done, value } = await reader.read();
          if (value) {
            bytes += new TextEncoder().encode(value).length;
            rest += value;
          }
          const parts = done ? [rest] : rest.split("\n");
          rest = done ? "" : (parts.pop() ?? "");
          for (const text of parts) {
            line++;
            if (!text.trim()) continue;
            try {
              batch.push(JSON.parse(text));
            } catch {
              update({
                state: "refused",
                message: "A line is not valid JSON; nothing from its batch was stored.",
                refusals: [{ where: `line ${count(line)}`, field: "(line)", message: "each line must be one JSON object" }],
              });
              throw new Stop("refused");
            }
            lines.push(line);
            if (batch.length === BATCH) await flush();
          }
          if (done) break;
        }
        await flush();
      } else {
        await new Promise<void>((resolve, reject) => {
          let header: string[] | null = null;
          let offset = 0;
          let chunkStart = 0;
          Papa.parse<string[]>(file, {
            skipEmptyLines: "greedy",
            chunkSize: 1024 * 1024,
            chunk: (results, parser) => {
              parser.pause();
              const rows = results.data;
              if (!header) header = (rows.shift() ?? []).map((h) => h.replace(/^\uFEFF/, ""));
              const raw = csvRecords(header, rows, offset);
              const first = offset;
              offset += rows.length;
              void (async () => {
                const problem = raw.find((r) => r.problem);
                if (problem?.problem) {
                  update({
                    state: "refused",
                    message: "A row does not match the header; nothing from its batch was stored.",
                    refusals: [
                      { where: `row ${count(problem.index + 2)}`, field: problem.problem.field, message: problem.problem.message },
                    ],
                  });
                  throw new Stop("refused");
                }
                for (let i = 0; i < raw.length; i += BATCH) {
                  // The bytes read so far, pro rata within this chunk, so the bar moves batch by batch.
                  const upTo = chunkStart + ((results.meta.cursor - chunkStart) * Math.min(raw.length, i + BATCH)) / raw.length;
                  await send(
                    raw.slice(i, i + BATCH).map((r) => r.value),
                    (j) => `row ${count(first + i + j + 2)}`,
                    Math.round(upTo),
                  );
                }
                chunkStart = results.meta.cursor;
              })().then(
                () => parser.resume(),
                (err) => {
                  // Reject first: aborting calls `complete`, which would resolve.
                  reject(err);
                  parser.abort();
                },
              );
            },
            complete: () => resolve(),
            error: () => reject(new Stop("failed")),
          });
        });
      }
      update({ state: "done", bytes: file.size });
    } catch (err) {
      if (!(err instanceof Stop))
        update({ state: "failed", message: "The file could not be read. Check that it is a text file in UTF-8." });
      else if (err.message === "cancelled")
        update({
          state: "cancelled",
          message: "Cancelled. The batches sent before stay stored; upload the file again to finish (they count as duplicates).",
        });
    }
  }

  const pct = progress && progress.total > 0 ? Math.min(100, Math.round((progress.bytes / progress.total) * 100)) : 0;
  return (
    <div className="space-y-4" data-testid="interaction-upload">
      <div>
        <label htmlFor="upload-file" className="block text-sm font-medium text-slate-700">
          File of interactions
        </label>
        <input
          ref={input}
          id="upload-file"
          type="file"
          accept=".csv,.ndjson,.jsonl,.json,text/csv,application/json"
          aria-describedby="upload-help"
          className="mt-1 block w-full text-sm text-slate-800 file:mr-3 file:rounded-md file:border-0 file:bg-brand-600 file:px-3 file:py-2 file:text-sm file:font-medium file:text-white"
          disabled={progress?.state === "reading"}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void upload(file);
          }}
        />
        <p id="upload-help" className="mt-1 text-xs text-slate-600">
          CSV with a header row of field names (request_id, user_id, variant_id, latency_ms, …; custom values as metrics.&lt;name&gt;),
          NDJSON (one record per line) or a JSON list. Sent 1,000 rows at a time; uploading the same file again stores nothing twice.
        </p>
      </div>
      {progress ? (
        <div className="space-y-2 rounded-lg bg-white p-4 ring-1 ring-slate-200" data-testid="upload-progress">
          <div className="flex items-center justify-between gap-2 text-sm">
            <span className="min-w-0 truncate font-medium text-slate-900">{progress.file}</span>
            <span className="shrink-0 text-slate-700">
              {mb(progress.bytes)} of {mb(progress.total)}
            </span>
          </div>
          <progress className="h-2 w-full accent-brand-600" max={100} value={pct} aria-label={`Upload of ${progress.file}`} />
          <p role="status" className="text-sm text-slate-800" data-testid="upload-status">
            {progress.state === "reading" ? "Uploading… " : progress.state === "done" ? "Done. " : ""}
            {count(progress.accepted)} stored, {count(progress.duplicates)} already there
          </p>
          {progress.state === "reading" ? (
            <button type="button" className={buttonClass.secondary} onClick={() => (cancelled.current = true)}>
              Cancel
            </button>
          ) : null}
          {progress.message ? (
            <div role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-900">
              <p>{progress.message}</p>
              {progress.refusals.length ? (
                <ul className="mt-2 list-disc space-y-1 pl-5">
                  {progress.refusals.slice(0, 20).map((r, i) => (
                    <li key={i}>
                      <span className="font-medium">{r.where}</span>, {r.field}: {r.message}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
