// What may still change in a design once it has started. Pure, shared by updateExperiment and the design page.
import type { ExperimentStatus } from "@/lib/generated/prisma/enums";
import { listInWords } from "@/lib/text/listInWords";

/** Fields a PM may change once an experiment has started (the plan only until data collection ends, see planIsFixed). */
export const EDITABLE_AFTER_START = ["name", "description", "plan"] as const;

/** True once data collection has ended (STOPPED, DECIDED): re-planning α, power or the sized metric then would be after the fact. */
export function planIsFixed(status: ExperimentStatus): boolean {
  return status === "STOPPED" || status === "DECIDED";
}

/** The fields that may still change in a started design of this status: name, description, and the plan until it is fixed. */
export function editableAfterStart(status: ExperimentStatus): readonly string[] {
  return planIsFixed(status) ? EDITABLE_AFTER_START.filter((f) => f !== "plan") : EDITABLE_AFTER_START;
}

/** Why `fixed` cannot change in a started design of this status, naming only what still can ("only its name and description can change"). */
export function fixedAfterStartMessage(status: ExperimentStatus, fixed: string[]): string {
  const still = editableAfterStart(status);
  const when = planIsFixed(status) ? "Once data collection has ended" : "Once an experiment has started";
  return `${when} only its ${listInWords([...still])} can change; ${fixed.join(", ")} ${fixed.length === 1 ? "is" : "are"} fixed.`;
}
