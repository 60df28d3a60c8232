// What may still change in a design once it has started. Pure, shared by updateExperiment and the design page.
import type { ExperimentStatus } from "@/lib/generated/prisma/enums";

/** Fields a PM may change once an experiment has started (the plan only until data collection ends, see planIsFixed). */
export const EDITABLE_AFTER_START = ["name", "description", "plan"] as const;

/** True once data collection has ended (STOPPED, DECIDED): re-planning α, power or the sized metric then would be after the fact. */
export function planIsFixed(status: ExperimentStatus): boolean {
  return status === "STOPPED" || status === "DECIDED";
}
