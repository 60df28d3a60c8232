"use client";

import { useState } from "react";
import { sendJson } from "@/components/ui/apiRequest";
import { buttonClass, inputClass, labelClass } from "@/components/ui/button";
import { SelectField } from "@/components/ui/SelectField";
import type { PairwiseView } from "@/lib/judge/pairwiseService";

/** Head to head: one variant's answers against another's for the same user inputs, judged in both orders. */
export function Pairwise({
  experimentKey,
  variants,
  endpoints,
}: {
  experimentKey: string;
  variants: { key: string; name: string; isControl: boolean }[];
  endpoints: { name: string; defaultModel: string | null }[];
}) {
  const control = variants.find((v) => v.isControl) ?? variants[0];
  const [variant, setVariant] = useState(variants.find((v) => v.key !== control?.key)?.key ?? "");
  const [against, setAgainst] = useState(control?.key ?? "");
  const [endpoint, setEndpoint] = useState(endpoints[0]?.name ?? "");
  const [pairs, setPairs] = useState("50");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [result, setResult] = useState<PairwiseView | null>(null);
  const options = variants.map((v) => ({ value: v.key, label: `${v.key} · ${v.name}` }));

  async function compare() {
    setBusy(true);
    setMessage(null);
    setResult(null);
    const res = await sendJson(`/api/v1/experiments/${encodeURIComponent(experimentKey)}/pairwise`, "POST", {
      endpoint,
      variant,
      against,
      maxPairs: Number(pairs),
    });
    setBusy(false);
    if (!res.ok) return setMessage(res.message);
    setResult((res.data as { comparison: PairwiseView }).comparison);
  }

  if (variants.length < 2 || endpoints.length === 0) return null;
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-700">
        For user inputs both variants answered, the judge reads the two answers side by side and picks the better one, twice, with the order
        swapped: a pair counts only when both readings agree, so a judge that prefers the first answer shown cannot tip it.
      </p>
      <form
        className="grid gap-4 sm:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          void compare();
        }}
      >
        <SelectField id="pairwise-variant" label="Variant" value={variant} options={options} onChange={setVariant} />
        <SelectField id="pairwise-against" label="Against" value={against} options={options} onChange={setAgainst} />
        <SelectField
          id="pairwise-endpoint"
          label="Endpoint of the judge"
          value={endpoint}
          options={endpoints.map((e) => ({ value: e.name, label: e.name }))}
          onChange={setEndpoint}
        />
        <div>
          <label htmlFor="pairwise-pairs" className={labelClass}>
            Pairs to compare (at most 200)
          </label>
          <input
            id="pairwise-pairs"
            className={`${inputClass} mt-1`}
            inputMode="numeric"
            value={pairs}
            onChange={(e) => setPairs(e.target.value)}
          />
        </div>
        <div className="sm:col-span-2">
          {message ? (
            <p role="alert" className="mb-2 text-sm text-rose-700">
              {message}
            </p>
          ) : null}
          <button type="submit" className={buttonClass.secondary} disabled={busy || variant === against}>
            {busy ? "Comparing…" : "Compare head to head"}
          </button>
        </div>
      </form>
      <div role="status" aria-live="polite">
        {busy ? (
          <div className="space-y-2">
            <p className="text-sm text-slate-700">Judging up to {pairs} pairs, each in both orders. This can take a minute.</p>
            <div className="h-2 w-full overflow-hidden rounded-full bg-slate-200">
              <div className="h-full w-1/3 animate-pulse rounded-full bg-brand-700" />
            </div>
          </div>
        ) : null}
        {result ? (
          <div className="space-y-2" data-testid="pairwise-result">
            <p className="text-base text-slate-900" data-testid="pairwise-sentence">
              {result.sentence}
            </p>
            <p className="text-sm text-slate-700">
              {result.pairs.toLocaleString("en-US")} pairs judged by {result.model} on {result.endpoint} ·{" "}
              {(result.promptTokens + result.completionTokens).toLocaleString("en-US")} tokens
            </p>
            {result.examples.length ? (
              <details className="text-sm text-slate-700">
                <summary className="cursor-pointer text-brand-700">Examples of the judge&apos;s reasoning</summary>
                <ul className="mt-2 space-y-2">
                  {result.examples.map((e, i) => (
                    <li key={i} className="break-words rounded border border-slate-200 p-2">
                      <p className="font-medium text-slate-900">“{e.input}”</p>
                      <p>{e.error ? `Could not be judged: ${e.error}` : e.outcome === "tie" ? "A tie" : `${e.outcome} is better`}</p>
                      {e.reasoning ? (
                        <p>
                          {e.reasoning[0]} / {e.reasoning[1]}
                        </p>
                      ) : null}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
          </div>
        ) : null}
      </div>
    </div>
  );
}
