"use client";

import { useEffect, useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { sendJson, type FieldErrors } from "@/components/ui/apiRequest";
import { SelectField } from "@/components/ui/SelectField";
import { FormField, fieldClass } from "@/components/experiments/FormField";
import type { RubricVersionView } from "@/lib/judge/rubrics";
import type { TryJudgment } from "@/lib/judge/tryRubric";
import { definitionOf, type RubricDraft } from "./rubricDraft";

const DRAFT = "draft";

/** "Try it": one pasted interaction judged with the form's rubric or a saved version; nothing is kept. */
export function RubricTryPanel({
  draft,
  versions,
  endpoints,
  canUseDraft,
}: {
  draft: RubricDraft;
  versions: RubricVersionView[];
  endpoints: { name: string; defaultModel: string | null }[];
  canUseDraft: boolean;
}) {
  const saved = versions.map((v) => ({ value: `${v.name}@${v.version}`, label: `${v.name}, version ${v.version}` }));
  const options = [...(canUseDraft ? [{ value: DRAFT, label: "The form above (not saved)" }] : []), ...saved];
  const [choice, setChoice] = useState(options[0]?.value ?? "");
  const [endpoint, setEndpoint] = useState(endpoints[0]?.name ?? "");
  const [model, setModel] = useState("");
  const [userInput, setUserInput] = useState("");
  const [modelOutput, setModelOutput] = useState("");
  const [busy, setBusy] = useState(false);
  const [waited, setWaited] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const [result, setResult] = useState<TryJudgment | null>(null);

  useEffect(() => {
    if (!busy) return;
    const started = Date.now();
    const t = setInterval(() => setWaited(Math.floor((Date.now() - started) / 1000)), 500);
    return () => clearInterval(t);
  }, [busy]);

  if (endpoints.length === 0)
    return <p className="text-sm text-slate-700">Add the judge&apos;s model endpoint in Settings &gt; Endpoints to try a rubric.</p>;

  async function run(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setWaited(0);
    setError(null);
    setFields({});
    setResult(null);
    let rubric: unknown;
    if (choice === DRAFT) {
      const { name: _name, ...definition } = definitionOf(draft);
      rubric = definition;
    } else {
      const at = choice.lastIndexOf("@");
      rubric = { name: choice.slice(0, at), version: Number(choice.slice(at + 1)) };
    }
    const res = await sendJson("/api/v1/rubrics/try", "POST", {
      rubric,
      endpoint,
      ...(model.trim() ? { model: model.trim() } : {}),
      userInput,
      modelOutput,
    });
    setBusy(false);
    if (!res.ok) {
      setFields(res.fields);
      const inForm = Object.keys(res.fields).some((f) => f.startsWith("rubric.criteria") || f.startsWith("rubric.systemPrompt"));
      return setError(inForm ? `${res.message} (fix it in the form above)` : res.message);
    }
    setResult((res.data as { judgment: TryJudgment }).judgment);
  }

  const chosen = endpoints.find((e) => e.name === endpoint);
  return (
    <form className="space-y-4" onSubmit={run} noValidate>
      <div className="grid gap-4 sm:grid-cols-3">
        <SelectField id="try-rubric" label="Rubric" value={choice} options={options} onChange={setChoice} />
        <SelectField
          id="try-endpoint"
          label="Judge model endpoint"
          value={endpoint}
          options={endpoints.map((e) => ({ value: e.name, label: e.name }))}
          onChange={setEndpoint}
        />
        <FormField
          id="try-model"
          label="Judge model"
          help={chosen?.defaultModel ? `Empty: ${chosen.defaultModel}` : undefined}
          error={fields.model}
        >
          <input
            id="try-model"
            className={fieldClass(fields.model)}
            value={model}
            placeholder={chosen?.defaultModel ?? ""}
            onChange={(e) => setModel(e.target.value)}
          />
        </FormField>
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <FormField id="try-input" label="User input" error={fields.userInput}>
          <textarea
            id="try-input"
            rows={4}
            className={fieldClass(fields.userInput)}
            value={userInput}
            onChange={(e) => setUserInput(e.target.value)}
          />
        </FormField>
        <FormField id="try-output" label="Model output" error={fields.modelOutput}>
          <textarea
            id="try-output"
            rows={4}
            className={fieldClass(fields.modelOutput)}
            value={modelOutput}
            onChange={(e) => setModelOutput(e.target.value)}
          />
        </FormField>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={buttonClass.primary} disabled={busy || !endpoint || !choice}>
          {busy ? "Judging…" : "Try it"}
        </button>
        <p role="status" className="text-sm text-slate-700" data-testid="try-progress">
          {busy ? `Waiting for the judge's answer… ${waited} s` : ""}
        </p>
      </div>
      {busy ? (
        <div className="h-1.5 w-full overflow-hidden rounded-full bg-slate-200" aria-hidden>
          <div className="h-full w-1/3 animate-pulse rounded-full bg-brand-700" />
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="text-sm text-rose-700">
          {error}
        </p>
      ) : null}
      {result ? <TryResult result={result} /> : null}
    </form>
  );
}

function TryResult({ result }: { result: TryJudgment }) {
  const facts = `${(result.latencyMs / 1000).toFixed(1)} s · ${(result.promptTokens + result.completionTokens).toLocaleString("en-US")} tokens (${result.promptTokens.toLocaleString("en-US")} in, ${result.completionTokens.toLocaleString("en-US")} out) · ${result.model} on ${result.endpoint}${result.repaired ? " · asked once more for a usable answer" : ""}`;
  return (
    <section aria-labelledby="try-result-heading" className="rounded-md border border-slate-200 p-4" data-testid="try-result">
      <h3 id="try-result-heading" className="text-base font-semibold text-slate-900">
        The judge&apos;s answer
      </h3>
      {result.scores ? (
        <>
          <dl className="mt-3 grid gap-3 sm:grid-cols-2">
            {result.criteria.map((c) => {
              const score = result.scores![c.name];
              const share = (score - c.min) / (c.max - c.min);
              return (
                <div key={c.name} data-testid="try-score">
                  <dt className="text-sm font-medium text-slate-800">{c.label}</dt>
                  <dd className="text-sm text-slate-800">
                    <span className="text-lg font-semibold text-slate-900">{score}</span> on {c.min}-{c.max}
                    <div className="mt-1 h-2 w-full overflow-hidden rounded-full bg-slate-200" aria-hidden>
                      <div className="h-full bg-brand-700" style={{ width: `${Math.round(share * 100)}%` }} />
                    </div>
                  </dd>
                </div>
              );
            })}
          </dl>
          <p className="mt-3 text-sm font-medium text-slate-800">Reasoning</p>
          <p className="mt-1 whitespace-pre-wrap break-words text-sm text-slate-800" data-testid="try-reasoning">
            {result.reasoning}
          </p>
        </>
      ) : (
        <p className="mt-2 text-sm text-rose-700" role="alert">
          No scores: {result.error}
        </p>
      )}
      <p className="mt-3 text-xs text-slate-600">{facts}</p>
    </section>
  );
}
