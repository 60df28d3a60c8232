// What a design needs before it can go live. Pure, shared by the detail view (startProblems) and startExperiment.
import type { ExperimentStatus } from "@/lib/generated/prisma/enums";
import { variableLabels, type MetricInput, type VariantConfig, type VariableUnderTest } from "@/lib/validation/experiments";
import { listInWords } from "@/lib/text/listInWords";
import { canonicalConfig } from "./canonical";
import { HYPOTHESIS_PARTS, missingHypothesisParts, type Hypothesis } from "./hypothesis";

interface StartableDesign {
  hypothesis: Hypothesis;
  variableUnderTest: VariableUnderTest;
  gatewayEnabled: boolean;
  variants: { key: string; isControl: boolean; weight: number; config: VariantConfig }[];
  metrics: Pick<MetricInput, "role">[];
}

/** The smallest length a written single-variable reason must have. */
export const MIN_REASON_LENGTH = 10;

const list = (keys: string[]) => keys.join(", ");

/** Variant keys grouped by configuration, for every configuration two or more variants share (compared as canonicalConfig). */
export function identicalVariantGroups(variants: { key: string; config: VariantConfig }[]): string[][] {
  const byConfig = new Map<string, string[]>();
  for (const v of variants) {
    const c = canonicalConfig(v.config);
    byConfig.set(c, [...(byConfig.get(c) ?? []), v.key]);
  }
  return [...byConfig.values()].filter((keys) => keys.length > 1);
}

function hypothesisProblem(h: Hypothesis): string | null {
  const missing = missingHypothesisParts(h);
  if (!missing.length) return null;
  const parts = HYPOTHESIS_PARTS.filter((p) => missing.includes(p.part)).map((p) => `${p.what} (“${p.label}”)`);
  return `Complete the hypothesis: write ${listInWords(parts)}.`;
}

/**
 * Sentences naming every rule the design breaks: the three hypothesis parts written, ≥ 2 variants, one control, weights summing
 * to 100, the control and a treatment with weight above 0, no two variants with the same configuration, a GOAL metric, a model per variant, an endpoint per variant when the
 * gateway serves it.
 */
export function designProblems(design: StartableDesign): string[] {
  const out: string[] = [];
  const { variants } = design;
  const hypothesis = hypothesisProblem(design.hypothesis);
  if (hypothesis) out.push(hypothesis);
  if (variants.length < 2)
    out.push(`Add at least 2 variants (a control and a treatment); there ${variants.length === 1 ? "is 1" : `are ${variants.length}`}.`);
  const controls = variants.filter((v) => v.isControl).length;
  if (controls !== 1) out.push(`Mark exactly one variant as the control; ${controls} ${controls === 1 ? "is" : "are"} marked.`);
  const total = variants.reduce((s, v) => s + v.weight, 0);
  if (Math.abs(total - 100) > 1e-6) out.push(`Make the variant weights sum to 100; they sum to ${Number(total.toFixed(6))}.`);
  const control = variants.find((v) => v.isControl);
  if (variants.length >= 2 && control) {
    // A 0% variant is not an arm (it gets no traffic): the test needs the control and one treatment with traffic.
    if (!(control.weight > 0)) out.push(`Give the control (${control.key}) a weight above 0: it is what every treatment is compared with.`);
    if (!variants.some((v) => !v.isControl && v.weight > 0))
      out.push("Give at least one variant besides the control a weight above 0: with every treatment at 0% there is nothing to compare.");
  }
  const fix =
    design.variableUnderTest === "OTHER"
      ? "make each variant differ in what you test"
      : `change the ${variableLabels[design.variableUnderTest].toLowerCase()} (the variable under test) so each variant differs`;
  for (const keys of identicalVariantGroups(variants))
    out.push(`Variants ${listInWords(keys)} have the same configuration, so the test could only measure noise: ${fix}.`);
  if (!design.metrics.some((m) => m.role === "GOAL")) out.push("Add at least one GOAL metric: the outcome the hypothesis expects to move.");
  const noModel = variants.filter((v) => !v.config.model?.trim()).map((v) => v.key);
  if (noModel.length) out.push(`Set a model for variant ${list(noModel)}.`);
  if (design.gatewayEnabled) {
    const noEndpoint = variants.filter((v) => !v.config.endpoint && !v.config.endpointId).map((v) => v.key);
    if (noEndpoint.length) out.push(`The gateway serves this experiment: set an endpoint for variant ${list(noEndpoint)}.`);
  }
  return out;
}

/** Why an experiment in this state cannot start, or null: only a draft starts, and not while archived (it would run unlisted). */
export function lifecycleStartProblem(state: { status: ExperimentStatus; archived: boolean }): string | null {
  if (state.status !== "DRAFT") return `Only a draft can be started; this experiment is ${state.status}.`;
  if (state.archived) return "This draft is archived: unarchive it (it returns to the list) before starting it.";
  return null;
}

/** designProblems plus the state rule (only a draft that is not archived starts). */
export function startProblems(design: StartableDesign & { status: ExperimentStatus; archived: boolean }): string[] {
  const state = lifecycleStartProblem(design);
  return [...(state ? [state] : []), ...designProblems(design)];
}
