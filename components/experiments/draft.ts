// The design forms keep what a person typed as text (an empty box means "not set"); these functions turn
// saved designs into form drafts and drafts back into the API's shapes (lib/validation/experiments.ts).
import { withReading } from "@/lib/experiments/metricScale";
import type { MetricInput, VariantConfig, VariantInput } from "@/lib/validation/experiments";

export interface ConfigDraft {
  endpoint: string;
  model: string;
  systemPrompt: string;
  systemPromptVersion: string;
  temperature: string;
  topP: string;
  maxTokens: string;
  ragRetriever: string;
  ragTopK: string;
  ragChunkSize: string;
  ragReranker: string;
  toolUsePrompt: string;
  pricePer1MInput: string;
  pricePer1MOutput: string;
}

export interface VariantDraft {
  key: string;
  name: string;
  isControl: boolean;
  weight: string;
  config: ConfigDraft;
  /** Saved configuration version (absent for a variant not saved yet). */
  configVersion?: number;
}

export interface MetricDraft {
  name: string;
  role: MetricInput["role"];
  kind: MetricInput["kind"];
  source: MetricInput["source"];
  field: string;
  quantile: string;
  direction: MetricInput["direction"];
  /** In percent when relative (5 = 5%), in the metric's unit when absolute. */
  mde: string;
  mdeAbsolute: boolean;
  /** Same unit as the MDE. */
  nonInferiorityMargin: string;
  baseline: string;
  baselineSd: string;
  /** The score's range (a judge's 1–5), kept as saved; it decides the mean / normalised-score reading. */
  scale?: MetricInput["scale"];
}

/** A number as a person would type it (no float noise like 7.000000000000001). */
export function numberText(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "";
  return String(Number(value.toPrecision(12)));
}

/** Text to number; an empty box is undefined, anything unparsable is passed through so the API names the field. */
function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : (t as unknown as number);
}

const str = (v: unknown) => (typeof v === "string" ? v : "");
const num = (v: unknown) => (typeof v === "number" ? numberText(v) : "");

export function configDraftOf(config: VariantConfig | undefined): ConfigDraft {
  const c = config ?? {};
  return {
    endpoint: str(c.endpoint),
    model: str(c.model),
    systemPrompt: str(c.systemPrompt),
    systemPromptVersion: str(c.systemPromptVersion),
    temperature: num(c.temperature),
    topP: num(c.topP),
    maxTokens: num(c.maxTokens),
    ragRetriever: str(c.rag?.retriever),
    ragTopK: num(c.rag?.topK),
    ragChunkSize: num(c.rag?.chunkSize),
    ragReranker: str(c.rag?.reranker),
    toolUsePrompt: str(c.toolUsePrompt),
    pricePer1MInput: num(c.pricePer1MInput),
    pricePer1MOutput: num(c.pricePer1MOutput),
  };
}

/** The configuration to save: only the fields that are set. */
export function configOf(d: ConfigDraft): VariantConfig {
  const out: Record<string, unknown> = {};
  const text = (k: string, v: string) => {
    if (v.trim() !== "") out[k] = v;
  };
  const number = (k: string, v: string) => {
    const n = parseNumber(v);
    if (n !== undefined) out[k] = n;
  };
  text("endpoint", d.endpoint.trim());
  text("model", d.model.trim());
  text("systemPrompt", d.systemPrompt);
  text("systemPromptVersion", d.systemPromptVersion.trim());
  number("temperature", d.temperature);
  number("topP", d.topP);
  number("maxTokens", d.maxTokens);
  const rag: Record<string, unknown> = {};
  if (d.ragRetriever.trim()) rag.retriever = d.ragRetriever.trim();
  if (parseNumber(d.ragTopK) !== undefined) rag.topK = parseNumber(d.ragTopK);
  if (parseNumber(d.ragChunkSize) !== undefined) rag.chunkSize = parseNumber(d.ragChunkSize);
  if (d.ragReranker.trim()) rag.reranker = d.ragReranker.trim();
  if (Object.keys(rag).length) out.rag = rag;
  text("toolUsePrompt", d.toolUsePrompt);
  number("pricePer1MInput", d.pricePer1MInput);
  number("pricePer1MOutput", d.pricePer1MOutput);
  return out as VariantConfig;
}

export function variantDraftOf(v: {
  key: string;
  name: string;
  isControl: boolean;
  weight: number;
  config: VariantConfig;
  configVersion?: number;
}): VariantDraft {
  return {
    key: v.key,
    name: v.name,
    isControl: v.isControl,
    weight: numberText(v.weight),
    config: configDraftOf(v.config),
    configVersion: v.configVersion,
  };
}

export function variantOf(d: VariantDraft): VariantInput {
  return {
    key: d.key.trim(),
    name: d.name.trim(),
    isControl: d.isControl,
    weight: parseNumber(d.weight) ?? (d.weight as unknown as number),
    config: configOf(d.config),
  };
}

/** Sum of the weights that parse as numbers. */
export function weightSum(variants: VariantDraft[]): number {
  return variants.reduce((s, v) => s + (Number.isFinite(Number(v.weight)) ? Number(v.weight) : 0), 0);
}

export function metricDraftOf(m: MetricInput): MetricDraft {
  const scale = (v: number | undefined | null) => (v === undefined || v === null ? "" : numberText(m.mdeAbsolute ? v : v * 100));
  return {
    name: m.name,
    role: m.role,
    kind: m.kind,
    source: m.source ?? "LOG_FIELD",
    field: m.field ?? "",
    quantile: numberText(m.quantile),
    direction: m.direction,
    mde: scale(m.mde),
    mdeAbsolute: !!m.mdeAbsolute,
    nonInferiorityMargin: scale(m.nonInferiorityMargin),
    baseline: numberText(m.baseline),
    baselineSd: numberText(m.baselineSd),
    ...(m.scale ? { scale: m.scale } : {}),
  };
}

export function metricOf(d: MetricDraft): MetricInput {
  const unscale = (text: string) => {
    const n = parseNumber(text);
    return typeof n === "number" && !d.mdeAbsolute ? Number((n / 100).toPrecision(12)) : n;
  };
  const out: Record<string, unknown> = {
    name: d.name.trim(),
    role: d.role,
    kind: d.kind,
    source: d.source,
    field: d.field.trim(),
    direction: d.direction,
    mde: unscale(d.mde) ?? 0,
    mdeAbsolute: d.mdeAbsolute,
  };
  if (d.kind === "QUANTILE" && parseNumber(d.quantile) !== undefined) out.quantile = parseNumber(d.quantile);
  if (d.role === "GUARDRAIL" && unscale(d.nonInferiorityMargin) !== undefined) out.nonInferiorityMargin = unscale(d.nonInferiorityMargin);
  if (parseNumber(d.baseline) !== undefined) out.baseline = parseNumber(d.baseline);
  if (d.kind !== "PROPORTION" && parseNumber(d.baselineSd) !== undefined) out.baselineSd = parseNumber(d.baselineSd);
  if (d.scale && d.kind !== "QUANTILE") out.scale = d.scale;
  return out as MetricInput;
}

export interface HypothesisDraft {
  change: string;
  expectation: string;
  reason: string;
}

/** A key suggestion from a name: lowercase, digits and dashes ("Support persona (guide)" -> "support-persona-guide"). */
export function keyFromName(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");
}

/** Maps a saved config path (variants.1.config.rag.topK) to the draft field name used by the inputs. */
export const configInputName: Record<string, keyof ConfigDraft> = {
  endpoint: "endpoint",
  model: "model",
  systemPrompt: "systemPrompt",
  systemPromptVersion: "systemPromptVersion",
  temperature: "temperature",
  topP: "topP",
  maxTokens: "maxTokens",
  "rag.retriever": "ragRetriever",
  "rag.topK": "ragTopK",
  "rag.chunkSize": "ragChunkSize",
  "rag.reranker": "ragReranker",
  toolUsePrompt: "toolUsePrompt",
  pricePer1MInput: "pricePer1MInput",
  pricePer1MOutput: "pricePer1MOutput",
};

/** The drafts with one metric's MDE set (an MDE in the API's units: 0.05 relative, or absolute in the metric's unit). */
export function withMetricMde(metrics: MetricDraft[], name: string, value: { mde: number; mdeAbsolute: boolean }): MetricDraft[] {
  return metrics.map((m) =>
    m.name.trim() !== name
      ? m
      : { ...m, mde: numberText(Math.abs(value.mdeAbsolute ? value.mde : value.mde * 100)), mdeAbsolute: value.mdeAbsolute },
  );
}

/** The draft read the other way (mean score <-> normalised score on its scale), its baseline converted (lib/experiments/metricScale). */
export function withDraftReading(d: MetricDraft, kind: "MEAN" | "PROPORTION"): MetricDraft {
  const baseline = parseNumber(d.baseline);
  const read = withReading(
    { kind: d.kind, scale: d.scale, baseline: typeof baseline === "number" ? baseline : undefined, baselineSd: undefined },
    kind,
  );
  return {
    ...d,
    kind,
    baseline: typeof baseline === "number" ? numberText(read.baseline) : d.baseline,
    baselineSd: kind === "PROPORTION" ? "" : d.baselineSd,
  };
}
