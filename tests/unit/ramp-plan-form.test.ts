// The ramp panel's "Your own steps" form (components/experiments/rampPlanForm.ts): rows of typed text to the API's
// steps and back (coverage typed as a percentage, sent as a share), the fields that are no numbers, and every refusal
// the API's schema and plan rules can give a step, put in the form's words (no request field names left).
import { describe, expect, it } from "vitest";
import { plainStepMessage, rowsOfSteps, stepsOfRows } from "@/components/experiments/rampPlanForm";
import { RAMP_PRESETS, rampPlanIssues } from "@/lib/rollouts/ramp";
import { rampPlanRequestSchema } from "@/lib/validation/ramp";
import { fieldIssues } from "@/lib/validation/issues";

const API_FIELD_NAMES = /treatmentPercent|coverage|minHours|minSample/;

describe("rows and steps", () => {
  it("round-trips both presets, coverage as a percentage on screen", () => {
    for (const steps of Object.values(RAMP_PRESETS)) expect(stepsOfRows(rowsOfSteps(steps))).toEqual({ steps, errors: {} });
    expect(rowsOfSteps(RAMP_PRESETS.coverage).map((r) => r.coverage)).toEqual(["10", "25", "50", "100"]);
    expect(rowsOfSteps(RAMP_PRESETS.canary)[0]).toEqual({ treatmentPercent: "1", coverage: "", minHours: "24", minSample: "500" });
  });

  it("sends empty optional fields as absent and a typed percentage of users as a share", () => {
    const { steps, errors } = stepsOfRows([
      { treatmentPercent: " 5 ", coverage: "", minHours: "0", minSample: "200" },
      { treatmentPercent: "", coverage: "33.3", minHours: "1.5", minSample: "0" },
    ]);
    expect(errors).toEqual({});
    expect(steps).toEqual([
      { treatmentPercent: 5, minHours: 0, minSample: 200 },
      { coverage: 0.333, minHours: 1.5, minSample: 0 },
    ]);
  });

  it("names each field that is not a number, keyed as the API keys its refusals", () => {
    const { errors } = stepsOfRows([
      { treatmentPercent: "five", coverage: "0", minHours: "", minSample: "lots" },
      { treatmentPercent: "10", coverage: "100.5", minHours: "2", minSample: "3" },
    ]);
    expect(Object.keys(errors).sort()).toEqual([
      "steps.0.coverage",
      "steps.0.minHours",
      "steps.0.minSample",
      "steps.0.treatmentPercent",
      "steps.1.coverage",
    ]);
  });
});

describe("the API's refusals in the form's words", () => {
  it("leaves no request field name in any message the schema or the plan rules give a step", () => {
    const bad = rampPlanRequestSchema.safeParse({
      steps: [
        { treatmentPercent: 101, minHours: -1, minSample: 2.5 },
        { treatmentPercent: -1, coverage: 2, minHours: 5000, minSample: 20_000_000 },
        { coverage: 0, minHours: "x", minSample: "y" },
        { treatmentPercent: "z", coverage: "w", minSample: -1 },
      ],
    });
    expect(bad.success).toBe(false);
    const schemaIssues = fieldIssues(bad.error!);
    const ruleIssues = rampPlanIssues([
      { treatmentPercent: 50, coverage: 0.5, minHours: 0, minSample: 0 },
      { treatmentPercent: 5, coverage: 0.25, minHours: 0, minSample: 0 },
      { minHours: 0, minSample: 0 },
    ]);
    expect(schemaIssues.length).toBeGreaterThanOrEqual(12);
    expect(ruleIssues.map((i) => i.field)).toEqual(["steps.1.treatmentPercent", "steps.1.coverage", "steps.2"]);
    for (const issue of [...schemaIssues, ...ruleIssues]) {
      const plain = plainStepMessage(issue.message);
      expect(plain, issue.message).not.toMatch(API_FIELD_NAMES);
      expect(plain.charAt(0)).toBe(plain.charAt(0).toUpperCase());
    }
    expect(plainStepMessage("minSample must be a whole number")).toBe("The interactions per variant must be a whole number");
    expect(plainStepMessage("step 2's coverage is below step 1's: a ramp only goes up")).toBe(
      "Step 2's share of users in the experiment is below step 1's: a ramp only goes up",
    );
  });
});
