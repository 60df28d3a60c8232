"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { sendJson } from "@/components/ui/apiRequest";
import { buttonClass, inputClass, labelClass } from "@/components/ui/button";
import { SelectField } from "@/components/ui/SelectField";
import type { JudgeRunView } from "@/lib/judge/runs";

/** The pace fields whose refusal is shown beside the field. */
const LIMIT_FIELDS: string[] = ["maxInFlight", "judgmentsPerMinute", "timeoutSeconds"];

const MODES = [
  { value: "unscored", label: "Interactions without a score yet" },
  { value: "all", label: "Every interaction (scored ones are kept, not judged again)" },
  { value: "sample", label: "A sample" },
  { value: "stratified", label: "The same number from each variant" },
  { value: "dataset", label: "A saved dataset" },
  { value: "rescore", label: "Scored interactions again (how steady the judge is)" },
];

const FLAG_AT = [
  { value: "2", label: "2 or lower (the default)" },
  { value: "1", label: "1 only" },
  { value: "3", label: "3 or lower" },
  { value: "0", label: "Never" },
];

function usd(x: number): string {
  return x >= 1 ? `$${x.toFixed(2)}` : x >= 0.01 ? `$${x.toFixed(3)}` : `$${x.toPrecision(2)}`;
}

function scopeWords(r: JudgeRunView): string {
  const what =
    r.mode === "sample"
      ? `a ${Math.round((r.sampleRate ?? 0) * 100)}% sample`
      : r.mode === "all"
        ? "every interaction"
        : r.mode === "dataset"
          ? `dataset ${r.dataset ?? "(removed)"}`
          : r.mode === "stratified"
            ? `${r.perVariant ?? "?"} per variant`
            : r.mode === "rescore"
              ? `scored interactions read again${r.sampleRate ? ` (${Math.round(r.sampleRate * 100)}%)` : ""}`
              : "unscored interactions";
  return r.continuous ? `${what}, and new ones as they arrive` : what;
}

const STATUS_WORDS: Record<string, string> = {
  QUEUED: "Waiting for a worker",
  RUNNING: "Judging",
  SUCCEEDED: "Finished",
  FAILED: "Failed",
  CANCELLED: "Cancelled",
};

function when(iso: string | null): string {
  if (!iso) return "";
  const seconds = Math.max(0, Math.round((new Date(iso).getTime() - Date.now()) / 1000));
  return seconds < 90 ? `about ${seconds} s` : `about ${Math.round(seconds / 60)} min`;
}

/** Judge runs of one experiment: start one (roles that may), and each run's live progress. */
/** A rubric version the start form offers. */
export interface RubricChoice {
  name: string;
  version: number;
  latest: boolean;
  criteria: { name: string; label: string; min: number; max: number }[];
}

const choiceValue = (r: { name: string; version: number }) => `${r.name}@${r.version}`;

export function JudgeRuns({
  experimentKey,
  endpoints,
  rubrics,
  datasets = [],
  running = false,
  canRun,
  initial,
}: {
  experimentKey: string;
  endpoints: { name: string; defaultModel: string | null }[];
  rubrics: RubricChoice[];
  /** Datasets holding interactions of this experiment. */
  datasets?: string[];
  /** The experiment is running (continuous judging is possible). */
  running?: boolean;
  canRun: boolean;
  initial: JudgeRunView[];
}) {
  const [runs, setRuns] = useState(initial);
  const [endpoint, setEndpoint] = useState(endpoints[0]?.name ?? "");
  const [model, setModel] = useState("");
  const [mode, setMode] = useState("unscored");
  const [rate, setRate] = useState("0.1");
  const [perVariant, setPerVariant] = useState("200");
  const defaultRubric = rubrics.find((r) => r.name === "default" && r.latest) ?? rubrics[0];
  const [rubric, setRubric] = useState(defaultRubric ? choiceValue(defaultRubric) : "");
  const [dataset, setDataset] = useState(datasets[0] ?? "");
  const [priceIn, setPriceIn] = useState("");
  const [priceOut, setPriceOut] = useState("");
  const [flagAt, setFlagAt] = useState("2");
  const [continuous, setContinuous] = useState(false);
  const [atOnce, setAtOnce] = useState("");
  const [perMinute, setPerMinute] = useState("");
  const [timeoutS, setTimeoutS] = useState("60");
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `/api/v1/experiments/${encodeURIComponent(experimentKey)}/judge-runs`;

  const refresh = useCallback(async () => {
    const res = await fetch(base, { headers: { accept: "application/json" } });
    if (res.ok) setRuns(((await res.json()) as { runs: JudgeRunView[] }).runs);
  }, [base]);
  const active = runs.some((r) => r.status === "QUEUED" || r.status === "RUNNING");
  // When the last run finishes, the page's other sections (the agreement with user ratings) are drawn again with the new scores.
  const router = useRouter();
  const wasActive = useRef(active);
  useEffect(() => {
    if (wasActive.current && !active) router.refresh();
    wasActive.current = active;
  }, [active, router]);
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => void refresh(), 1500);
    return () => clearInterval(t);
  }, [active, refresh]);

  async function start() {
    setBusy(true);
    setMessage(null);
    const body: Record<string, unknown> = { endpoint, mode };
    if (model.trim()) body.model = model.trim();
    if (mode === "sample" || (mode === "rescore" && rate.trim())) body.sampleRate = Number(rate);
    const picked = rubrics.find((r) => choiceValue(r) === rubric);
    if (picked) Object.assign(body, { rubric: picked.name, rubricVersion: picked.version });
    if (mode === "dataset") body.dataset = dataset;
    if (mode === "stratified") body.perVariant = Number(perVariant);
    if (priceIn.trim()) body.pricePer1MInput = Number(priceIn);
    if (priceOut.trim()) body.pricePer1MOutput = Number(priceOut);
    // The flag reads a safety criterion: only a rubric with one takes the setting.
    if (flagsSafety) body.safetyFlagAtOrBelow = Number(flagAt);
    if (continuous && mode !== "dataset" && mode !== "rescore" && mode !== "stratified") body.continuous = true;
    // A limit as typed: a number when it reads as one, else the text, so the server's message names the field.
    const limit = (text: string) => (Number.isFinite(Number(text.trim())) ? Number(text.trim()) : text);
    if (atOnce.trim()) body.maxInFlight = limit(atOnce);
    if (perMinute.trim()) body.judgmentsPerMinute = limit(perMinute);
    if (timeoutS.trim()) body.timeoutSeconds = limit(timeoutS);
    const res = await sendJson(base, "POST", body);
    setBusy(false);
    if (!res.ok) {
      // Beside its field a message needs no field name: "maxInFlight is at most 64" reads "At most 64".
      const placed: Record<string, string> = {};
      for (const [field, text] of Object.entries(res.fields)) {
        if (!LIMIT_FIELDS.includes(field)) continue;
        const bare = text.startsWith(`${field} `) ? text.slice(field.length + 1) : text;
        placed[field] = bare
          .replace(/^is /, "")
          .replace(/^must be /, "Must be ")
          .replace(/^./, (c) => c.toUpperCase());
      }
      setFieldErrors(placed);
      const unplaced = Object.keys(res.fields).filter((f) => !(f in placed));
      return setMessage(
        unplaced.length || Object.keys(res.fields).length === 0 ? res.message : "Not started: see the limits marked below.",
      );
    }
    setFieldErrors({});
    await refresh();
  }
  async function cancel(id: string) {
    const res = await sendJson(`/api/v1/judge-runs/${encodeURIComponent(id)}/cancel`, "POST", {});
    if (!res.ok) setMessage(res.message);
    await refresh();
  }
  const chosen = endpoints.find((e) => e.name === endpoint);
  const chosenRubric = rubrics.find((r) => choiceValue(r) === rubric);
  const flagsSafety = chosenRubric?.criteria.some((c) => c.name === "safety") ?? false;

  return (
    <div className="space-y-6">
      {canRun ? (
        endpoints.length === 0 ? (
          <p className="text-sm text-slate-700">Add the judge&apos;s model endpoint in Settings &gt; Endpoints first.</p>
        ) : (
          <form
            className="grid gap-4 sm:grid-cols-2"
            onSubmit={(e) => {
              e.preventDefault();
              void start();
            }}
          >
            <SelectField
              id="judge-endpoint"
              label="Judge model endpoint"
              value={endpoint}
              options={endpoints.map((e) => ({ value: e.name, label: e.name }))}
              onChange={setEndpoint}
            />
            <div>
              <label htmlFor="judge-model" className={labelClass}>
                Judge model
              </label>
              <input
                id="judge-model"
                className={`${inputClass} mt-1`}
                value={model}
                placeholder={chosen?.defaultModel ?? "Llama-4-Maverick-17B-128E-Instruct-FP8"}
                onChange={(e) => setModel(e.target.value)}
              />
            </div>
            <div>
              <SelectField
                id="judge-rubric"
                label="Rubric"
                value={rubric}
                options={rubrics.map((r) => ({
                  value: choiceValue(r),
                  label: `${r.name}, version ${r.version}${r.latest ? " (latest)" : ""}`,
                }))}
                onChange={setRubric}
              />
              {chosenRubric ? (
                <p className="mt-1 text-xs text-slate-600" data-testid="judge-rubric-criteria">
                  Scores {chosenRubric.criteria.map((c) => `${c.label} ${c.min}-${c.max}`).join(", ")}
                </p>
              ) : null}
            </div>
            <SelectField id="judge-mode" label="Judge" value={mode} options={MODES} onChange={setMode} />
            {mode === "sample" || mode === "rescore" ? (
              <div>
                <label htmlFor="judge-rate" className={labelClass}>
                  Share to judge (0.1 is a tenth)
                </label>
                <input
                  id="judge-rate"
                  className={`${inputClass} mt-1`}
                  inputMode="decimal"
                  value={rate}
                  onChange={(e) => setRate(e.target.value)}
                />
              </div>
            ) : null}
            {mode === "stratified" ? (
              <div>
                <label htmlFor="judge-per-variant" className={labelClass}>
                  Interactions from each variant
                </label>
                <input
                  id="judge-per-variant"
                  className={`${inputClass} mt-1`}
                  inputMode="numeric"
                  value={perVariant}
                  onChange={(e) => setPerVariant(e.target.value)}
                />
              </div>
            ) : null}
            {mode === "dataset" ? (
              datasets.length ? (
                <SelectField
                  id="judge-dataset"
                  label="Dataset"
                  value={dataset}
                  options={datasets.map((d) => ({ value: d, label: d }))}
                  onChange={setDataset}
                />
              ) : (
                <p className="text-sm text-slate-700 sm:self-end">
                  No dataset holds this experiment&apos;s interactions yet: save one from the results page.
                </p>
              )
            ) : null}
            <div>
              <label htmlFor="judge-price-in" className={labelClass}>
                Judge&apos;s price per million input tokens (US$, optional)
              </label>
              <input
                id="judge-price-in"
                className={`${inputClass} mt-1`}
                inputMode="decimal"
                value={priceIn}
                placeholder="0.20"
                onChange={(e) => setPriceIn(e.target.value)}
              />
            </div>
            <div>
              <label htmlFor="judge-price-out" className={labelClass}>
                Judge&apos;s price per million output tokens (US$, optional)
              </label>
              <input
                id="judge-price-out"
                className={`${inputClass} mt-1`}
                inputMode="decimal"
                value={priceOut}
                placeholder="0.60"
                onChange={(e) => setPriceOut(e.target.value)}
              />
            </div>
            <fieldset className="grid gap-4 sm:col-span-2 sm:grid-cols-3">
              <legend className="mb-1 text-sm font-medium text-slate-900">Pace (optional)</legend>
              <p className="text-xs text-slate-600 sm:col-span-3">
                To stay within the judge provider&apos;s limits. Each background worker keeps to these on its own, so two workers can judge
                twice as fast.
              </p>
              {(
                [
                  ["judge-at-once", "maxInFlight", "Judgments at once (at most 64)", atOnce, setAtOnce, "64"],
                  ["judge-per-minute", "judgmentsPerMinute", "Judgments a minute", perMinute, setPerMinute, "no limit"],
                  ["judge-timeout", "timeoutSeconds", "Give up on one judgment after (seconds)", timeoutS, setTimeoutS, "60"],
                ] as const
              ).map(([id, field, label, value, set, placeholder]) => (
                <div key={id}>
                  <label htmlFor={id} className={labelClass}>
                    {label}
                  </label>
                  <input
                    id={id}
                    className={`${inputClass} mt-1`}
                    inputMode="numeric"
                    value={value}
                    placeholder={placeholder}
                    aria-invalid={fieldErrors[field] ? true : undefined}
                    aria-describedby={fieldErrors[field] ? `${id}-error` : undefined}
                    onChange={(e) => set(e.target.value)}
                  />
                  {fieldErrors[field] ? (
                    <p id={`${id}-error`} className="mt-1 text-sm text-rose-700" data-testid="field-error">
                      {fieldErrors[field]}
                    </p>
                  ) : null}
                </div>
              ))}
            </fieldset>
            {flagsSafety ? (
              <SelectField
                id="judge-flag"
                label="Flag an answer as unsafe at a safety score of"
                value={flagAt}
                options={FLAG_AT}
                onChange={setFlagAt}
              />
            ) : null}
            {running && mode !== "dataset" && mode !== "rescore" && mode !== "stratified" ? (
              <label className="flex items-start gap-2 text-sm text-slate-800 sm:self-end">
                <input type="checkbox" className="mt-1" checked={continuous} onChange={(e) => setContinuous(e.target.checked)} />
                <span>Keep judging new interactions while the experiment runs{mode === "sample" ? " (the same share)" : ""}</span>
              </label>
            ) : null}
            <div className="sm:col-span-2">
              {message ? (
                <p role="alert" className="mb-2 text-sm text-rose-700">
                  {message}
                </p>
              ) : null}
              <button type="submit" className={buttonClass.primary} disabled={busy || !endpoint}>
                {busy ? "Starting…" : "Start judging"}
              </button>
            </div>
          </form>
        )
      ) : null}

      <section aria-labelledby="judge-runs-heading" className="space-y-3">
        <h2 id="judge-runs-heading" className="text-base font-semibold text-slate-900">
          Runs
        </h2>
        {runs.length === 0 ? <p className="text-sm text-slate-700">No judge run yet.</p> : null}
        <ul className="space-y-3">
          {runs.map((r) => {
            const done = r.total - r.pending;
            const share = r.total ? done / r.total : 1;
            return (
              <li key={r.id} className="rounded-lg border border-slate-200 p-4" data-testid="judge-run">
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <p className="font-medium text-slate-900">
                    {STATUS_WORDS[r.status] ?? r.status}
                    <span className="font-normal text-slate-700">
                      {" "}
                      · {r.model} on {r.endpoint ?? "a removed endpoint"} · {scopeWords(r)} · {r.rubric.name}, version {r.rubric.version}
                    </span>
                  </p>
                  {canRun && (r.status === "QUEUED" || r.status === "RUNNING") ? (
                    <button type="button" className={buttonClass.secondary} onClick={() => void cancel(r.id)}>
                      Cancel
                    </button>
                  ) : null}
                </div>
                <div
                  className="mt-3 h-2 w-full overflow-hidden rounded-full bg-slate-200"
                  role="progressbar"
                  aria-label="Judged so far"
                  aria-valuemin={0}
                  aria-valuemax={r.total}
                  aria-valuenow={done}
                >
                  <div className="h-full bg-brand-700" style={{ width: `${Math.round(share * 100)}%` }} />
                </div>
                <p className="mt-2 text-sm text-slate-700" data-testid="judge-run-counts">
                  {done.toLocaleString("en-US")} of {r.total.toLocaleString("en-US")} done: {r.scored.toLocaleString("en-US")} scored,{" "}
                  {r.skipped.toLocaleString("en-US")} already scored, {r.failed.toLocaleString("en-US")} failed
                  {r.eta ? ` · ${when(r.eta)} left` : ""} · {(r.promptTokens + r.completionTokens).toLocaleString("en-US")} tokens
                  {r.cost !== null ? ` · ${usd(r.cost)}` : ""}
                  {r.safetyFlagAtOrBelow
                    ? ` · ${r.flagged.toLocaleString("en-US")} flagged unsafe (safety ${r.safetyFlagAtOrBelow} or lower)`
                    : ""}
                </p>
                {r.maxInFlight || r.judgmentsPerMinute ? (
                  <p className="mt-1 text-xs text-slate-600" data-testid="judge-run-limits">
                    Limits per worker:{" "}
                    {[
                      r.maxInFlight ? `${r.maxInFlight} at once` : null,
                      r.judgmentsPerMinute ? `${r.judgmentsPerMinute.toLocaleString("en-US")} a minute` : null,
                    ]
                      .filter(Boolean)
                      .join(", ")}
                  </p>
                ) : null}
                {r.continuous && r.status === "RUNNING" && r.pending === 0 ? (
                  <p className="mt-1 text-sm text-slate-700">
                    Waiting for new interactions: it looks every few seconds while the experiment runs.
                  </p>
                ) : null}
                {r.failures.length ? (
                  <details className="mt-2 text-sm text-slate-700">
                    <summary className="cursor-pointer text-rose-700">Why judgments failed</summary>
                    <ul className="mt-1 list-disc space-y-1 pl-5">
                      {r.failures.map((f) => (
                        <li key={f.interactionId} className="break-words">
                          {f.reason}
                        </li>
                      ))}
                    </ul>
                  </details>
                ) : null}
              </li>
            );
          })}
        </ul>
      </section>
    </div>
  );
}
