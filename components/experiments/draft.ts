// The design forms keep what a person typed as text (an empty box means "not set"); these functions turn
// saved designs into form drafts and drafts back into the API's shapes (lib/validation/experiments.ts).
import { withReading } from "@/lib/experiments/metricScale";
import { configValue } from "@/lib/experiments/singleVariable";
import {
  CONFIG_FIELDS,
  isNumberConfigField,
  type ConfigField,
  type MetricInput,
  type VariantConfig,
  type VariantInput,
} from "@/lib/validation/experiments";

/** The draft's name for a configuration field: "rag.topK" -> "ragTopK" (an input name without a dot). */
type DraftName<F extends string> = F extends `rag.${infer R}` ? `rag${Capitalize<R>}` : F;
const draftName = <F extends ConfigField>(field: F) =>
  field.replace(/^rag\.(.)/, (_m, c: string) => `rag${c.toUpperCase()}`) as DraftName<F>;

/** What the configuration inputs hold: one text per schema field (CONFIG_FIELDS). */
export type ConfigDraft = Record<DraftName<ConfigField>, string>;

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
  return Object.fromEntries(
    CONFIG_FIELDS.map((f) => {
      const v = configValue(c, f);
      return [draftName(f), isNumberConfigField(f) ? num(v) : str(v)];
    }),
  ) as ConfigDraft;
}

/** Fields whose whitespace matters: a prompt is sent as typed. */
const UNTRIMMED: ReadonlySet<ConfigField> = new Set(["systemPrompt", "toolUsePrompt"]);
/** The configuration to save: only the fields that are set (prompts exactly as typed, other text trimmed). */
export function configOf(d: ConfigDraft): VariantConfig {
  const out: Record<string, unknown> = {};
  const rag: Record<string, unknown> = {};
  for (const f of CONFIG_FIELDS) {
    const typed = d[draftName(f)];
    const value = isNumberConfigField(f) ? parseNumber(typed) : UNTRIMMED.has(f) ? typed : typed.trim();
    if (value === undefined || value === "" || (typeof value === "string" && value.trim() === "")) continue;
    if (f.startsWith("rag.")) rag[f.slice(4)] = value;
    else out[f] = value;
  }
  if (Object.keys(rag).length) out.rag = rag;
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
export const configInputName = Object.fromEntries(CONFIG_FIELDS.map((f) => [f, draftName(f)])) as Record<ConfigField, keyof ConfigDraft>;

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
