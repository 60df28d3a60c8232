// What a sweep's row keeps (LoadRun.sweep) as its steps end, read by the page and the API. Pure.
import type { SweepStep } from "@/lib/harness/sweep";

/** What a sweep's row keeps (LoadRun.sweep), as the page and the API show it. */
export interface SweepView {
  plannedSteps: number;
  /** Each finished step's figures and the id of its run. */
  steps: (SweepStep & { runId: string })[];
  /** Rates not run because a slower step was already over-saturated. */
  skippedRates: number[];
  /** The step running now, by its place (0-based) and name; null once the sweep has ended. */
  current: { index: number; name: string } | null;
  /** The sweep was stopped before its last step. */
  stopped: boolean;
}

export function sweepViewOf(value: unknown): SweepView | null {
  if (!value || typeof value !== "object" || !Array.isArray((value as SweepView).steps)) return null;
  return value as SweepView;
}
