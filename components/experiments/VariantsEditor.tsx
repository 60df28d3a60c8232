"use client";

import { buttonClass } from "@/components/ui/button";
import { Badge } from "@/components/ui/Badge";
import { fieldsOfVariable } from "@/lib/experiments/singleVariable";
import type { VariableUnderTest } from "@/lib/validation/experiments";
import { FormField, fieldClass } from "./FormField";
import { configInputName, weightSum, type ConfigDraft, type VariantDraft } from "./draft";
import { type FieldErrors } from "@/components/ui/apiRequest";

type Variable = VariableUnderTest;

export interface VariantPermissions {
  /** Keys, names, control, weights, adding and removing variants (PM, ADMIN). */
  structure: boolean;
  /** The technical configuration (PM, ADMIN, ENGINEER). */
  settings: boolean;
}

const MAX_VARIANTS = 8;

/** The next free single-letter key (C after A and B). */
function nextKey(variants: VariantDraft[]): string {
  const used = new Set(variants.map((v) => v.key.toUpperCase()));
  for (const letter of "ABCDEFGHIJKLMNOPQRSTUVWXYZ") if (!used.has(letter)) return letter;
  return `V${variants.length + 1}`;
}

/** Which draft config fields belong to the variable under test (marked so a PM sees what should differ). */
function declaredInputs(variable: Variable): Set<keyof ConfigDraft> | "any" {
  const fields = fieldsOfVariable[variable];
  if (fields === "any") return "any";
  return new Set(fields.map((f) => configInputName[f]));
}

/** Variants 2-8: one control, weights summing to 100%, and each one's versioned configuration. */
export function VariantsEditor({
  variants,
  onChange,
  errors,
  can,
  variable,
  endpoints = [],
}: {
  variants: VariantDraft[];
  onChange: (next: VariantDraft[]) => void;
  errors: FieldErrors;
  can: VariantPermissions;
  variable: Variable;
  /** The managed endpoints (Settings > Endpoints) a variant can be served by. */
  endpoints?: { id: string; name: string }[];
}) {
  const { structure, settings } = can;
  const sum = weightSum(variants);
  const sumOk = Math.abs(sum - 100) < 1e-6;
  const declared = declaredInputs(variable);

  const update = (i: number, patch: Partial<VariantDraft>) => onChange(variants.map((v, j) => (j === i ? { ...v, ...patch } : v)));
  const updateConfig = (i: number, field: keyof ConfigDraft, value: string) =>
    update(i, { config: { ...variants[i].config, [field]: value } });
  const setControl = (i: number) => onChange(variants.map((v, j) => ({ ...v, isControl: j === i })));
  const add = () => {
    const control = variants.find((v) => v.isControl) ?? variants[0];
    const key = nextKey(variants);
    // A new variant starts as a copy of the control, so it differs only in what you change next.
    onChange([...variants, { key, name: `Variant ${key}`, isControl: false, weight: "0", config: { ...control.config } }]);
  };
  const remove = (i: number) => {
    const rest = variants.filter((_, j) => j !== i);
    if (!rest.some((v) => v.isControl)) rest[0] = { ...rest[0], isControl: true };
    onChange(rest);
  };

  return (
    <div className="space-y-4">
      {variants.map((v, i) => {
        const err = (path: string) => errors[`variants.${i}.${path}`];
        const cfgErr = (field: keyof ConfigDraft) => {
          const path = Object.entries(configInputName).find(([, name]) => name === field)?.[0] ?? field;
          return errors[`variants.${i}.config.${path}`];
        };
        const id = (field: string) => `v${i}-${field}`;
        const mark = (field: keyof ConfigDraft) =>
          declared === "any" || declared.has(field) ? (
            <span className="ml-1 align-middle">
              <Badge tone="blue">variable under test</Badge>
            </span>
          ) : null;
        const text = (field: keyof ConfigDraft, label: string, help?: string, placeholder?: string) => (
          <FormField
            id={id(field)}
            label={
              <>
                {label}
                {mark(field)}
              </>
            }
            help={help}
            error={cfgErr(field)}
          >
            <input
              id={id(field)}
              className={fieldClass(cfgErr(field))}
              value={v.config[field]}
              onChange={(e) => updateConfig(i, field, e.target.value)}
              disabled={!settings}
              placeholder={placeholder}
            />
          </FormField>
        );
        const number = (field: keyof ConfigDraft, label: string, help?: string, step = "any") => (
          <FormField
            id={id(field)}
            label={
              <>
                {label}
                {mark(field)}
              </>
            }
            help={help}
            error={cfgErr(field)}
          >
            <input
              id={id(field)}
              type="number"
              step={step}
              inputMode="decimal"
              className={fieldClass(cfgErr(field))}
              value={v.config[field]}
              onChange={(e) => updateConfig(i, field, e.target.value)}
              disabled={!settings}
              placeholder="not set"
            />
          </FormField>
        );
        const ragOpen =
          !!(v.config.ragRetriever || v.config.ragTopK || v.config.ragChunkSize || v.config.ragReranker) ||
          variable === "RAG_CONFIGURATION";
        const toolOpen = !!v.config.toolUsePrompt || variable === "TOOL_USE_PROMPT";
        return (
          <div key={i} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid={`variant-${i}`}>
            <div className="grid items-start gap-3 md:grid-cols-[7rem_1fr_8rem_7rem_auto]">
              <FormField id={id("key")} label="Key" help="Logged as variant_id." error={err("key")}>
                <input
                  id={id("key")}
                  className={fieldClass(err("key"), "font-mono")}
                  value={v.key}
                  onChange={(e) => update(i, { key: e.target.value })}
                  disabled={!structure}
                />
              </FormField>
              <FormField id={id("name")} label="Name" error={err("name")}>
                <input
                  id={id("name")}
                  className={fieldClass(err("name"))}
                  value={v.name}
                  onChange={(e) => update(i, { name: e.target.value })}
                  disabled={!structure}
                />
              </FormField>
              <FormField id={id("weight")} label="Traffic (%)" error={err("weight")}>
                <input
                  id={id("weight")}
                  type="number"
                  min={0}
                  max={100}
                  step="any"
                  className={fieldClass(err("weight"))}
                  value={v.weight}
                  onChange={(e) => update(i, { weight: e.target.value })}
                  disabled={!structure}
                />
              </FormField>
              <div>
                <span className="block text-sm font-medium text-slate-700">Role</span>
                <label className="mt-2 flex items-center gap-2 text-sm text-slate-700">
                  <input
                    type="radio"
                    name="control-variant"
                    checked={v.isControl}
                    onChange={() => setControl(i)}
                    disabled={!structure}
                    aria-label={`Variant ${v.key} is the control`}
                  />
                  Control
                </label>
              </div>
              <div className="pt-6">
                {structure && variants.length > 2 ? (
                  <button type="button" className={buttonClass.danger} onClick={() => remove(i)}>
                    Remove
                  </button>
                ) : null}
              </div>
            </div>

            <div className="mt-4 border-t border-slate-100 pt-4">
              <p className="mb-3 text-xs font-semibold uppercase tracking-wide text-slate-500">
                Configuration{" "}
                {v.configVersion ? (
                  <span className="normal-case tracking-normal text-slate-600" data-testid={`variant-${i}-version`}>
                    · version {v.configVersion} (a new version is saved whenever it changes)
                  </span>
                ) : (
                  <span className="normal-case tracking-normal text-slate-600">· version 1 when saved</span>
                )}
              </p>
              <div className="grid gap-3 md:grid-cols-2">
                {text("model", "Model", undefined, "e.g. Llama-4-Scout-17B-16E-Instruct-FP8")}
                <FormField
                  id={id("endpointId")}
                  label={<>Endpoint{mark("endpointId")}</>}
                  help={
                    endpoints.length
                      ? "Needed when Assay's gateway serves the experiment: one of Settings > Endpoints (with its API key), or a base URL below."
                      : "Needed when Assay's gateway serves the experiment. Add endpoints with their API keys in Settings > Endpoints, or give a base URL below."
                  }
                  error={cfgErr("endpointId")}
                >
                  <select
                    id={id("endpointId")}
                    className={fieldClass(cfgErr("endpointId"))}
                    value={v.config.endpointId}
                    // A managed endpoint replaces the base URL: a variant is served from one place.
                    onChange={(e) =>
                      update(i, { config: { ...v.config, endpointId: e.target.value, endpoint: e.target.value ? "" : v.config.endpoint } })
                    }
                    disabled={!settings}
                  >
                    <option value="">None: the base URL below</option>
                    {endpoints.map((e) => (
                      <option key={e.id} value={e.id}>
                        {e.name}
                      </option>
                    ))}
                    {v.config.endpointId && !endpoints.some((e) => e.id === v.config.endpointId) ? (
                      <option value={v.config.endpointId}>an endpoint you cannot see ({v.config.endpointId})</option>
                    ) : null}
                  </select>
                </FormField>
                {v.config.endpointId
                  ? null
                  : text("endpoint", "Base URL (OpenAI-compatible, no API key)", undefined, "e.g. http://vllm:8000/v1")}
              </div>
              <div className="mt-3 grid gap-3 md:grid-cols-[1fr_12rem]">
                <FormField id={id("systemPrompt")} label={<>System prompt{mark("systemPrompt")}</>} error={cfgErr("systemPrompt")}>
                  <textarea
                    id={id("systemPrompt")}
                    rows={v.config.systemPrompt.split("\n").length > 3 ? 7 : 3}
                    className={fieldClass(cfgErr("systemPrompt"), "font-mono text-xs")}
                    value={v.config.systemPrompt}
                    onChange={(e) => updateConfig(i, "systemPrompt", e.target.value)}
                    disabled={!settings}
                    placeholder="e.g. You are a helpful customer support agent."
                  />
                </FormField>
                {text("systemPromptVersion", "Prompt version label", "Logged as system_prompt_version.", "e.g. v1")}
              </div>
              <div className="mt-3 grid gap-3 sm:grid-cols-3">
                {number("temperature", "Temperature", "0–2; empty uses the server default.")}
                {number("topP", "top_p", "In (0, 1].")}
                {number("maxTokens", "max_tokens", "Longest answer, in tokens.", "1")}
              </div>
              <div className="mt-3 grid gap-3 sm:grid-cols-2">
                {number("pricePer1MInput", "Price per 1M input tokens ($)", "For cost-per-interaction.")}
                {number("pricePer1MOutput", "Price per 1M output tokens ($)")}
              </div>
              <details className="mt-3 rounded-md bg-slate-50 px-3 py-2" open={ragOpen}>
                <summary className="cursor-pointer text-sm font-medium text-slate-700">RAG settings</summary>
                <div className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
                  {text("ragRetriever", "Retriever", undefined, "e.g. bm25, dense, hybrid")}
                  {number("ragTopK", "top_k", "Passages retrieved.", "1")}
                  {number("ragChunkSize", "Chunk size", "Tokens per chunk.", "1")}
                  {text("ragReranker", "Reranker", undefined, "e.g. none")}
                </div>
              </details>
              <details className="mt-3 rounded-md bg-slate-50 px-3 py-2" open={toolOpen}>
                <summary className="cursor-pointer text-sm font-medium text-slate-700">Tool-use prompt</summary>
                <div className="mt-3">
                  <FormField
                    id={id("toolUsePrompt")}
                    label={<>Tool-use instructions{mark("toolUsePrompt")}</>}
                    error={cfgErr("toolUsePrompt")}
                  >
                    <textarea
                      id={id("toolUsePrompt")}
                      rows={3}
                      className={fieldClass(cfgErr("toolUsePrompt"), "font-mono text-xs")}
                      value={v.config.toolUsePrompt}
                      onChange={(e) => updateConfig(i, "toolUsePrompt", e.target.value)}
                      disabled={!settings}
                      placeholder="e.g. You have a tool 'get_stock_price(ticker)'. Only use it if …"
                    />
                  </FormField>
                </div>
              </details>
            </div>
          </div>
        );
      })}
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className={`text-sm font-medium ${sumOk ? "text-emerald-700" : "text-rose-700"}`} data-testid="weight-sum">
          Traffic split: {Number(sum.toFixed(6))}%{sumOk ? " — adds up to 100%" : " — the weights must add up to 100%"}
        </p>
        {structure && variants.length < MAX_VARIANTS ? (
          <button type="button" className={buttonClass.secondary} onClick={add}>
            Add variant
          </button>
        ) : null}
      </div>
      {errors.variants ? <p className="text-sm font-medium text-rose-700">{errors.variants}</p> : null}
    </div>
  );
}
