// Reading the judge's answer: one JSON object with a whole-number score per criterion, within its scale, and a reasoning.
// Anything else (text around the object, a cut-off object, a missing or out-of-range score, a score as a string) is a
// failed answer with the reason, which the judge is shown once in a repair turn; a second failure is a failed judgment,
// never a default score. Pure.
import { REASONING_KEY, rubricJsonSchema, type ChatMessage, type RubricDefinition } from "./rubric";

export type JudgeVerdict = { ok: true; scores: Record<string, number>; reasoning: string } | { ok: false; reason: string };

/** The end of the JSON object that starts at `start` (index of its closing brace), or -1 when it is never closed. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}

const describe = (v: unknown) => (typeof v === "string" ? `"${v.length > 20 ? `${v.slice(0, 20)}…` : v}" (text)` : JSON.stringify(v));

/** The judge's answer checked against the rubric. */
export function parseJudgeAnswer(rubric: RubricDefinition, answer: string | null | undefined): JudgeVerdict {
  const text = (answer ?? "").trim();
  if (!text) return { ok: false, reason: "the answer is empty" };
  // A fenced block (```json ... ```) around the object alone is how many models write JSON; it is not prose.
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/i.exec(text);
  const body = fenced ? fenced[1] : text;
  const start = body.indexOf("{");
  if (start < 0) return { ok: false, reason: "the answer holds no JSON object" };
  const end = objectEnd(body, start);
  if (end < 0) return { ok: false, reason: "the JSON object is cut off (it is never closed)" };
  if (start > 0 || end < body.length - 1) return { ok: false, reason: "the answer has text before or after its JSON object" };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    return { ok: false, reason: `the JSON object does not parse (${err instanceof Error ? err.message : String(err)})` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, reason: "the answer is not a JSON object" };
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  const scores: Record<string, number> = {};
  for (const c of rubric.criteria) {
    const v = record[c.key];
    if (v === undefined) problems.push(`"${c.key}" is missing`);
    else if (typeof v !== "number" || !Number.isInteger(v))
      problems.push(`"${c.key}" must be a whole number from ${c.min} to ${c.max}, got ${describe(v)}`);
    else if (v < c.min || v > c.max) problems.push(`"${c.key}" must be from ${c.min} to ${c.max}, got ${v}`);
    else scores[c.key] = v;
  }
  const reasoning = record[REASONING_KEY];
  if (typeof reasoning !== "string" || !reasoning.trim()) problems.push(`"${REASONING_KEY}" must be a short text explaining the scores`);
  const known = new Set([REASONING_KEY, ...rubric.criteria.map((c) => c.key)]);
  const extra = Object.keys(record).filter((k) => !known.has(k));
  if (extra.length) problems.push(`unexpected field${extra.length > 1 ? "s" : ""} ${extra.map((k) => `"${k}"`).join(", ")}`);
  if (problems.length) return { ok: false, reason: problems.join("; ") };
  return { ok: true, scores, reasoning: (reasoning as string).trim() };
}

/** The conversation for the one repair turn: the judge's answer, what was wrong with it, and the schema again. */
export function repairMessages(rubric: RubricDefinition, messages: readonly ChatMessage[], answer: string, reason: string): ChatMessage[] {
  return [
    ...messages,
    { role: "assistant", content: answer },
    {
      role: "user",
      content: `Your answer could not be used: ${reason}. Answer again with only one JSON object, no other text, that follows this schema: ${JSON.stringify(rubricJsonSchema(rubric))}`,
    },
  ];
}
