// The Rubrics page's one editor state: the rubric being written, as text fields, and how it maps to and from the API's
// definition (POST /api/v1/rubrics) and a saved version (prefilling "a new version from this one").
import { systemPromptFor, type RubricCriterion } from "@/lib/judge/rubric";
import type { RubricVersionView } from "@/lib/judge/rubrics";

export interface CriterionDraft {
  name: string;
  description: string;
  min: string;
  max: string;
  /** Kept from the version it was copied from while its name is unchanged: the words shown for it and its scale labels. */
  from?: { name: string; label: string; labels?: Record<string, string> };
}

export interface RubricDraft {
  name: string;
  systemPrompt: string;
  criteria: CriterionDraft[];
  /** The saved version this draft started from, if any. */
  basedOn: { name: string; version: number } | null;
}

export const MAX_CRITERIA = 10;

export const emptyCriterion = (): CriterionDraft => ({ name: "", description: "", min: "1", max: "5" });

export function emptyDraft(): RubricDraft {
  return { name: "", systemPrompt: "", criteria: [emptyCriterion()], basedOn: null };
}

/** A saved version as a draft of its next version; a prompt that was written from the criteria stays empty, to follow them. */
export function draftFromVersion(v: RubricVersionView): RubricDraft {
  const criteria: RubricCriterion[] = v.criteria.map((c) => ({ ...c, key: c.name }));
  return {
    name: v.name,
    systemPrompt: v.systemPrompt === systemPromptFor(criteria) ? "" : v.systemPrompt,
    criteria: v.criteria.map((c) => ({
      name: c.name,
      description: c.description,
      min: String(c.min),
      max: String(c.max),
      from: { name: c.name, label: c.label, ...(c.labels ? { labels: c.labels } : {}) },
    })),
    basedOn: { name: v.name, version: v.version },
  };
}

/** A number field as the API should see it: a number when it reads as one, else the text (refused there, naming the field). */
function numberOf(value: string): number | string {
  const n = Number(value.trim());
  return value.trim() !== "" && Number.isFinite(n) ? n : value;
}

/** The draft as the API's rubric definition (what POST /api/v1/rubrics and a try take). */
export function definitionOf(draft: RubricDraft, withName = true) {
  return {
    ...(withName || draft.name.trim() ? { name: draft.name.trim() } : {}),
    ...(draft.systemPrompt.trim() ? { systemPrompt: draft.systemPrompt } : {}),
    criteria: draft.criteria.map((c) => {
      const kept = c.from && c.from.name === c.name.trim() ? c.from : null;
      return {
        name: c.name.trim(),
        ...(kept ? { label: kept.label } : {}),
        description: c.description,
        min: numberOf(c.min),
        max: numberOf(c.max),
        ...(kept?.labels ? { labels: kept.labels } : {}),
      };
    }),
  };
}
