import { CONFIG_FIELDS, type ConfigField, type VariantConfig } from "@/lib/validation/experiments";
import type { VariableUnderTest } from "@/lib/validation/experiments";

type Variable = VariableUnderTest;

/** Configuration fields each variable under test may change; OTHER allows any change. */
export const fieldsOfVariable: Record<Variable, ConfigField[] | "any"> = {
  SYSTEM_PROMPT: ["systemPrompt", "systemPromptVersion"],
  MODEL: ["model", "endpoint", "endpointId", "pricePer1MInput", "pricePer1MOutput"],
  GENERATION_PARAMETERS: ["temperature", "topP", "maxTokens"],
  RAG_CONFIGURATION: ["rag.retriever", "rag.topK", "rag.chunkSize", "rag.reranker"],
  TOOL_USE_PROMPT: ["toolUsePrompt"],
  OTHER: "any",
};

/**
 * Fields that may differ whatever the variable: where a variant is served. The guide deploys each variant as its own,
 * independently scalable endpoint, so different endpoints are infrastructure, not a second variable.
 */
export const INFRASTRUCTURE_FIELDS: readonly string[] = ["endpoint", "endpointId"];

/** Every comparable field of a configuration, flattened to dotted names (rag.topK): the schema's own list. */
export { CONFIG_FIELDS };

/** The value of a dotted field in a configuration (undefined when unset). */
export function configValue(config: VariantConfig, field: string): unknown {
  const [head, tail] = field.split(".");
  const value = (config as Record<string, unknown>)[head];
  if (tail === undefined) return value;
  return value && typeof value === "object" ? (value as Record<string, unknown>)[tail] : undefined;
}

export interface ConfigDifference {
  field: string;
  /** Value per variant key. */
  values: Record<string, unknown>;
  /** True when the declared variable under test covers this field. */
  declared: boolean;
}

/** The configuration fields on which the variants do not all agree, each marked as declared or not. */
export function configDifferences(variable: Variable, variants: { key: string; config: VariantConfig }[]): ConfigDifference[] {
  const allowed = fieldsOfVariable[variable];
  const out: ConfigDifference[] = [];
  for (const field of CONFIG_FIELDS) {
    const values = Object.fromEntries(variants.map((v) => [v.key, configValue(v.config, field)]));
    const distinct = new Set(Object.values(values).map((v) => JSON.stringify(v ?? null)));
    if (distinct.size > 1)
      out.push({ field, values, declared: allowed === "any" || allowed.includes(field) || INFRASTRUCTURE_FIELDS.includes(field) });
  }
  return out;
}

/** The single-variable check: the fields that differ beyond the declared variable (empty when the design is clean). */
export function undeclaredDifferences(variable: Variable, variants: { key: string; config: VariantConfig }[]): string[] {
  return configDifferences(variable, variants)
    .filter((d) => !d.declared)
    .map((d) => d.field);
}
