// The sample-size planner's one service: a plan, its MDE trade-off table and the inverse (the MDE a
// number of days can detect), computed together for the /planner page, PlanPanel and POST /api/v1/plan.
// Pure: the numbers all come from lib/stats/power.
import { z } from "zod";
import {
  mdeForDays,
  mdeTable,
  planSampleSize,
  PlanInputError,
  type MdeForDaysResult,
  type MdeTableRow,
  type Plan,
  type PlanInput,
} from "@/lib/stats/power";
import { planInputSchema } from "@/lib/validation/plan";

/** The relative MDEs of the trade-off table (the guide's 5-15% range, plus the small ones safety metrics need). */
export const TABLE_MDES = [0.01, 0.02, 0.05, 0.1, 0.15] as const;

/** POST /api/v1/plan's body: planInputSchema plus `days` for the inverse. */
export const planRequestSchema = planInputSchema.safeExtend({
  days: z
    .number({
      error: (issue) => (issue.input === undefined ? "days is required" : `days must be a number, got ${JSON.stringify(issue.input)}`),
    })
    .positive({ error: (issue) => `days must be a positive number, got ${JSON.stringify(issue.input)}` })
    .optional(),
});

export type InverseResult = MdeForDaysResult & { days: number };

export type TableRow = MdeTableRow & { current: boolean };

export type PlanReport = {
  plan: Plan;
  /** planSampleSize at each of TABLE_MDES (relative, signed like the plan's direction); empty when the baseline is 0. */
  table: TableRow[];
  /** The plan's MDE as a relative change (equals plan.mde unless the MDE is absolute); null when the baseline is 0. */
  relativeMde: number | null;
  inverse?: InverseResult;
};

/** +1 when the plan looks for an increase of the metric, -1 for a decrease (the sign of target - baseline). */
export function planDirection(input: Pick<PlanInput, "baseline" | "mde" | "mdeAbsolute">): 1 | -1 {
  const difference = input.mdeAbsolute ? input.mde : input.baseline * input.mde;
  return difference < 0 ? -1 : 1;
}

/** The MDE table for a plan input: relative MDEs with the direction's sign (also when the form uses an absolute MDE). */
export function planTable(input: PlanInput): TableRow[] {
  if (input.baseline === 0) return [];
  const sign = planDirection(input) * Math.sign(input.baseline);
  const relative = relativeMdeOf(input);
  const rows = mdeTable(
    { ...input, mdeAbsolute: false },
    TABLE_MDES.map((m) => sign * m),
  );
  return rows.map((row) => ({ ...row, current: relative !== null && Math.abs(row.mde - relative) < 1e-9 }));
}

/** The MDE as a relative change: mde itself, or mde / baseline when it is absolute. */
export function relativeMdeOf(input: Pick<PlanInput, "baseline" | "mde" | "mdeAbsolute">): number | null {
  if (!input.mdeAbsolute) return input.mde;
  return input.baseline === 0 ? null : input.mde / input.baseline;
}

/** The inverse for `days`: n = floor(days·traffic·coverage/k), the smallest MDE n detects in the plan's direction (mdeForDays). */
export function inverseForDays(input: PlanInput, days: number): InverseResult {
  if (input.dailyTraffic === undefined || input.dailyTraffic === null) {
    throw new PlanInputError("dailyTraffic", "is required to turn days into a sample size");
  }
  const { mde: _mde, dailyTraffic, ...rest } = input;
  const result = mdeForDays({ ...rest, dailyTraffic, days, decrease: planDirection(input) < 0 });
  return { days, ...result };
}

/** planSampleSize + planTable (+ inverseForDays when `days` is given); throws PlanInputError naming the field at fault. */
export function planReport(input: PlanInput, { days }: { days?: number | null } = {}): PlanReport {
  const plan = planSampleSize(input);
  const report: PlanReport = { plan, table: planTable(input), relativeMde: relativeMdeOf(input) };
  if (days !== undefined && days !== null) report.inverse = inverseForDays(input, days);
  return report;
}
