/** The three parts of a hypothesis, as the guide writes it: "If we change [variable], we expect [outcome] because [reasoning]." */
export interface Hypothesis {
  change: string;
  expectation: string;
  reason: string;
}

const MISSING = "…";

/** Strips a lead-in the writer already typed ("If we change", "we expect", "because") and trailing punctuation, so the sentence does not repeat it. */
function clause(text: string, leadIn: RegExp): string {
  const cleaned = text
    .trim()
    .replace(leadIn, "")
    .trim()
    .replace(/[.,;:\s]+$/, "");
  return cleaned || MISSING;
}

/** "If we change X, we expect Y, because Z." (the guide's hypothesis template); empty when no part is written, "…" for a missing part. */
export function hypothesisSentence(h: Hypothesis): string {
  if (!h.change.trim() && !h.expectation.trim() && !h.reason.trim()) return "";
  const change = clause(h.change, /^if\s+we\s+change\s+/i);
  const expectation = clause(h.expectation, /^(then\s+)?we\s+expect\s+/i);
  const reason = clause(h.reason, /^because\s+/i);
  return `If we change ${change}, we expect ${expectation}, because ${reason}.`;
}
