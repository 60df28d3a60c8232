// The "Your own steps" form of the ramp panel: its rows of text (what a person types) to the API's steps, and the API's
// refusals in the form's words. Percentages are typed as percent; the API takes coverage as a share (0-1).
import type { FieldErrors } from "@/components/ui/apiRequest";
import type { RampStep } from "@/lib/rollouts/ramp";

/** One step as typed: treatment % of new users, users in the experiment % (optional), least hours, least interactions per variant. */
export interface RampStepRow {
  treatmentPercent: string;
  coverage: string;
  minHours: string;
  minSample: string;
}

/** The most steps a plan may have (lib/rollouts/ramp.ts rampPlanIssues refuses more). */
export const MAX_RAMP_STEPS = 20;

const trimmedNumber = (text: string) => (text.trim() === "" ? null : Number(text.trim()));

/** Rows for steps (a coverage share shown as a percentage), e.g. to start the form from a preset or the current plan. */
export function rowsOfSteps(steps: readonly RampStep[]): RampStepRow[] {
  return steps.map((s) => ({
    treatmentPercent: s.treatmentPercent === undefined ? "" : String(s.treatmentPercent),
    coverage: s.coverage === undefined ? "" : String(Math.round(s.coverage * 1e6) / 1e4),
    minHours: String(s.minHours),
    minSample: String(s.minSample),
  }));
}

/**
 * The API's steps from the rows, or the fields that are not numbers at all, keyed as the API keys its refusals
 * (`steps.2.minHours`). Ranges and order are the API's to judge, except the coverage percentage, whose unit differs.
 */
export function stepsOfRows(rows: readonly RampStepRow[]): { steps: RampStep[]; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const steps = rows.map((row, i) => {
    const at = `steps.${i}`;
    const step: RampStep = { minHours: 0, minSample: 0 };
    const treatment = trimmedNumber(row.treatmentPercent);
    if (treatment !== null) {
      if (Number.isFinite(treatment)) step.treatmentPercent = treatment;
      else errors[`${at}.treatmentPercent`] = "Enter a percentage from 0 to 100, or leave it empty.";
    }
    const coverage = trimmedNumber(row.coverage);
    if (coverage !== null) {
      if (Number.isFinite(coverage) && coverage > 0 && coverage <= 100)
        step.coverage = Math.round(coverage * 1e4) / 1e6; // 33.3 -> 0.333, not 0.33299999999999996
      else errors[`${at}.coverage`] = "Enter a percentage above 0 and at most 100, or leave it empty.";
    }
    const hours = trimmedNumber(row.minHours);
    if (hours !== null && Number.isFinite(hours)) step.minHours = hours;
    else errors[`${at}.minHours`] = "Enter the hours to wait at this step (0 for no wait).";
    const sample = trimmedNumber(row.minSample);
    if (sample !== null && Number.isFinite(sample)) step.minSample = sample;
    else errors[`${at}.minSample`] = "Enter the interactions each variant needs at this step (0 for none).";
    return step;
  });
  return { steps, errors };
}

const FIELD_WORDS: [RegExp, string][] = [
  [/'s coverage\b/g, "'s share of users in the experiment"],
  [/\btreatmentPercent\b/g, "the treatment's share of new users"],
  [/\bcoverage\b/g, "the share of users in the experiment"],
  [/\bminHours\b/g, "the wait"],
  [/\bminSample\b/g, "the interactions per variant"],
];

/** An API refusal of a step in the form's words (the API names its fields as the request spells them). */
export function plainStepMessage(message: string): string {
  const plain = FIELD_WORDS.reduce((text, [name, words]) => text.replace(name, words), message);
  return plain.charAt(0).toUpperCase() + plain.slice(1);
}
