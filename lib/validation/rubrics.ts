// Rubrics for the LLM judge as the API and the Rubrics page take them (POST /api/v1/rubrics, POST /api/v1/rubrics/try):
// the same JSON as the CLI's `assay judge --rubric FILE`, with the stored rubric's name as a slug and its scales within 1-10.
import { z } from "zod";
import { criteriaSchema, systemPromptFor, systemPromptInputSchema, type RubricDefinition } from "@/lib/judge/rubric";
import { name, text } from "./text";

/** The longest rubric body the API reads (a larger one is answered 413). */
export const MAX_RUBRIC_BODY_BYTES = 100 * 1024;
/** The longest "try it" body (a rubric, a user input and a model output). */
export const MAX_RUBRIC_TRY_BODY_BYTES = 256 * 1024;
/** The longest user input or model output "try it" takes, in characters. */
export const MAX_TRY_TEXT = 50_000;
/** The longest a rubric's name is. */
export const MAX_RUBRIC_NAME = 60;
/** Names a rubric may not take: "try" is the path of POST /api/v1/rubrics/try. */
const RESERVED_RUBRIC_NAMES = new Set(["try"]);
/** The rubric judge runs use unless told otherwise. */
export const DEFAULT_RUBRIC_NAME = "default";

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A rubric's name: a lower-case slug of 1-60 characters (support-tone). */
export const rubricNameSchema = z
  .string({ error: "name must be text: a lower-case slug like support-tone" })
  .trim()
  .min(1, "give the rubric a name: a lower-case slug like support-tone")
  .max(MAX_RUBRIC_NAME, `a rubric's name is at most ${MAX_RUBRIC_NAME} characters`)
  .regex(SLUG, "a rubric's name is lower-case letters and digits in words joined by single hyphens (support-tone)")
  .refine((n) => !RESERVED_RUBRIC_NAMES.has(n), '"try" names the try-it route; choose another name');

/** POST /api/v1/rubrics: a rubric definition, saved as version 1 or the next version of its name. */
export const createRubricSchema = z
  .strictObject({
    name: rubricNameSchema,
    systemPrompt: systemPromptInputSchema,
    criteria: criteriaSchema(1),
  })
  .transform((r): RubricDefinition => ({ ...r, systemPrompt: r.systemPrompt ?? systemPromptFor(r.criteria) }));
export type CreateRubricInput = z.infer<typeof createRubricSchema>;

const rubricVersionSchema = z
  .number({ error: "rubricVersion must be a whole number (1, 2, …)" })
  .int("rubricVersion must be a whole number (1, 2, …)")
  .min(1, "versions start at 1")
  .max(1_000_000, "no rubric has that many versions");

/** A saved rubric by name and, optionally, version (default: its latest). */
const rubricReferenceSchema = z.strictObject({
  name: rubricNameSchema,
  version: rubricVersionSchema.optional(),
});

/** A definition being tried before it is saved: as POST /api/v1/rubrics takes it, the name optional. */
const tryDefinitionSchema = z
  .strictObject({
    name: rubricNameSchema.optional(),
    systemPrompt: systemPromptInputSchema,
    criteria: criteriaSchema(1),
  })
  .transform((r): RubricDefinition => ({
    name: r.name ?? "draft",
    criteria: r.criteria,
    systemPrompt: r.systemPrompt ?? systemPromptFor(r.criteria),
  }));

export type TryRubricChoice = { kind: "saved"; name: string; version?: number } | { kind: "definition"; definition: RubricDefinition };

/** `rubric` of a try: {name, version?} names a saved version, an object with criteria is a definition as written. */
const tryRubricChoiceSchema = z.unknown().transform((value, ctx): TryRubricChoice => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    ctx.addIssue({
      code: "custom",
      message: 'rubric must be a saved rubric ({"name": "default", "version": 1}) or a definition ({"name", "systemPrompt", "criteria"})',
    });
    return z.NEVER;
  }
  const isDefinition = "criteria" in value || "systemPrompt" in value;
  const parsed = isDefinition ? tryDefinitionSchema.safeParse(value) : rubricReferenceSchema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: issue.path } as Parameters<typeof ctx.addIssue>[0]);
    return z.NEVER;
  }
  return isDefinition
    ? { kind: "definition", definition: parsed.data as RubricDefinition }
    : { kind: "saved", ...(parsed.data as { name: string; version?: number }) };
});

/** POST /api/v1/rubrics/try: one judgment of a pasted interaction, stored nowhere. */
export const tryRubricSchema = z.strictObject({
  rubric: tryRubricChoiceSchema,
  endpoint: name("endpoint", 100).pipe(z.string().min(1, "name the judge's model endpoint (Settings > Endpoints)")),
  model: name("model", 200).pipe(z.string().min(1, "model may not be empty")).optional(),
  userInput: text("userInput", MAX_TRY_TEXT).refine((t) => t.trim().length > 0, "paste the user's input"),
  modelOutput: text("modelOutput", MAX_TRY_TEXT).refine((t) => t.trim().length > 0, "paste the model's output"),
  timeoutSeconds: z
    .number({ error: "timeoutSeconds must be a number of seconds from 1 to 120" })
    .min(1, "timeoutSeconds must be at least 1")
    .max(120, "timeoutSeconds must be at most 120")
    .default(30),
});
export type TryRubricInput = z.infer<typeof tryRubricSchema>;

/** The rubric fields of a judge run (lib/validation/judgeRuns.ts). */
export const judgeRunRubricFields = {
  rubric: rubricNameSchema.optional(),
  rubricVersion: rubricVersionSchema.optional(),
};
