import type { z } from "zod";
import { AppError } from "@/lib/errors";

export interface FieldIssue {
  field: string;
  message: string;
}

/** Flattens zod issues into `{field, message}` pairs with dotted paths (`variants.1.weight`). */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.slice(0, 50).flatMap((issue) => {
    const base = issue.path.map(String).join(".");
    // An unknown key is the fault of that key, so name it as the field.
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ field: base ? `${base}.${key}` : key, message: `unknown field "${key}"; remove it` }));
    }
    return [{ field: base || "(body)", message: issue.message }];
  });
}

/** A VALIDATION AppError whose message names the first fields at fault and whose details list them all. */
export function validationError(error: z.ZodError): AppError {
  return fieldIssuesError(fieldIssues(error));
}

/** validationError for issues found beyond a schema (the planner's, the service's), in the same shape. */
export function fieldIssuesError(issues: FieldIssue[]): AppError {
  const summary = issues
    .slice(0, 3)
    .map((i) => `${i.field}: ${i.message}`)
    .join("; ");
  return new AppError("VALIDATION", `Invalid input: ${summary}${issues.length > 3 ? ` (and ${issues.length - 3} more)` : ""}`, { issues });
}
