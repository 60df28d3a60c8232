// The judge-against-users agreement report's query: GET /api/v1/experiments/{key}/judge-agreement and the Judge page's
// selects, which send the same names.
import { z } from "zod";

/** A query parameter given at most once (queryObject leaves a repeated one as a list, which this refuses by name). */
const once = (field: string) => z.string({ error: `${field} must be given once` });

export const judgeAgreementQuerySchema = z.strictObject({
  criterion: once("criterion")
    .regex(/^[a-z][a-z0-9_]{0,39}$/, "criterion must be a judge criterion's key, such as helpfulness")
    .describe("The judge criterion compared with the users' ratings; default: the rubric's first.")
    .optional(),
  rubric: once("rubric")
    .trim()
    .min(1)
    .max(100, "rubric must be a rubric's name (at most 100 characters), such as default")
    .describe("The rubric's name; default: the rubric version most recently used on the experiment.")
    .optional(),
  version: once("version")
    .trim()
    .regex(/^\d{1,9}$/, "version must be a whole number of the rubric's versions, such as 1")
    .transform(Number)
    .refine((v) => v >= 1, "version must be 1 or more")
    .describe("The rubric's version; default: the most recently used version of the rubric.")
    .optional(),
});
export type JudgeAgreementQuery = z.infer<typeof judgeAgreementQuerySchema>;
