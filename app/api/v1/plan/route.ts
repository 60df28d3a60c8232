import { withAuth } from "@/lib/auth/guard";
import { AppError } from "@/lib/errors";
import { readBody } from "@/lib/http/body";
import { planReport, planRequestSchema } from "@/lib/planner/report";
import { PlanInputError } from "@/lib/stats/power";

export const dynamic = "force-dynamic";

/** POST /api/v1/plan (any signed-in role): sample size, duration, the MDE table and, with `days`, the MDE those days detect. */
export const POST = withAuth("planner:use", async ({ req }) => {
  const { days, ...input } = await readBody(req, planRequestSchema);
  try {
    return planReport(input, { days });
  } catch (err) {
    if (err instanceof PlanInputError) {
      throw new AppError("VALIDATION", `Invalid input: ${err.field}: ${err.message}`, {
        issues: [{ field: err.field, message: err.message }],
      });
    }
    throw err;
  }
});
