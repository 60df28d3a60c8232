// The schemas of the decision step: an experiment's decision rules, a review request and a reviewer's verdict
// (PUT /api/v1/experiments/{key}/decision-rules, POST .../reviews, POST /api/v1/reviews/{id}/approve|reject, and their forms).
import { z } from "zod";
import { DECISION_PRESET_KEYS, DEFAULT_DECISION_RULES } from "@/lib/decision/presets";
import { hasWords, text } from "./text";

/** The highest cost ratio a limit may be set to (a variant at 1,000x the control's cost is no longer a limit). */
export const MAX_COST_RATIO_LIMIT = 1000;
/** The longest comment a reviewer or requester may keep with a decision. */
export const MAX_DECISION_COMMENT = 2000;

export const decisionRulesSchema = z.strictObject({
  preset: z
    .enum(DECISION_PRESET_KEYS, { error: `preset must be one of ${DECISION_PRESET_KEYS.join(", ")}` })
    .default(DEFAULT_DECISION_RULES.preset),
  /** A variant whose cost per 1k requests is more than this many times the control's is not deployed; null: no limit. */
  costRatioLimit: z
    .number({ error: "costRatioLimit must be a number (3 means 3x the control's cost) or null for no limit" })
    .refine(Number.isFinite, "costRatioLimit must be a finite number")
    .min(1, "costRatioLimit must be at least 1 (the control's own cost)")
    .max(MAX_COST_RATIO_LIMIT, `costRatioLimit must be at most ${MAX_COST_RATIO_LIMIT}`)
    .nullable()
    .default(DEFAULT_DECISION_RULES.costRatioLimit),
});
export type DecisionRules = z.infer<typeof decisionRulesSchema>;

/** Stored rules as rules, the defaults when none were chosen (or what is stored no longer parses). */
export function decisionRulesOf(stored: unknown): DecisionRules {
  const parsed = decisionRulesSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : decisionRulesSchema.parse({});
}

const comment = (field: string) =>
  text(field, MAX_DECISION_COMMENT).refine((v) => hasWords(v), `${field} must say something: write the reason for the decision`);

export const requestReviewSchema = z.strictObject({
  /** The variant proposed for shipping; the matrix's best "deploy" variant (else the control) when left out. */
  variant: z
    .string({ error: "variant must be a variant key, e.g. B" })
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, "variant must be one of the experiment's variant keys, e.g. B")
    .optional(),
  /** What the PM wants the reviewer to know. */
  note: text("note", MAX_DECISION_COMMENT).optional(),
});
export type RequestReviewInput = z.infer<typeof requestReviewSchema>;

/** A reviewer's approval or rejection: the comment is required and kept with the decision. */
export const reviewVerdictSchema = z.strictObject({
  comment: z.string({ error: "comment is required: write why you approve or reject" }).pipe(comment("comment")),
});
export type ReviewVerdictInput = z.infer<typeof reviewVerdictSchema>;

export const listReviewsQuerySchema = z.strictObject({
  /** "me": only the pending reviews the caller may decide (not requested by them, not on experiments they own). */
  waiting: z.enum(["me"], { error: 'waiting must be "me"' }).optional(),
  status: z.enum(["PENDING", "APPROVED", "REJECTED"], { error: "status must be PENDING, APPROVED or REJECTED" }).optional(),
});
