// The one primitive for text that people type and Assay stores and shows: every schema in lib/validation builds its
// strings from `text` or `name`, and the route wrapper checks path and query parameters with `textProblem`.
import { z } from "zod";

/** Whether a string is free text (a prompt, a description: line breaks allowed) or a name (one line, shown beside others). */
export type TextKind = "text" | "name";

// C0 controls other than tab, line feed and carriage return, and DEL: never typed on purpose; PostgreSQL refuses U+0000 outright.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/u;
const LINE_BREAK = /[\t\n\r\u0085\u2028\u2029]/u;
// Characters that are invisible or change the reading direction of what follows them (bidirectional embeddings, overrides,
// isolates and marks; zero-width spaces and joiners; soft hyphen; byte-order mark): in a name they can make a list show
// something other than what is stored, e.g. U+202E reverses the key printed next to the name.
const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/u;

// Of those, the ones that re-order the text after them (embeddings, overrides, isolates): refused in free text too, where they
// could make a hypothesis or a prompt read differently from what is stored (the "Trojan Source" trick). Marks (U+200E,
// U+200F) and zero-width joiners stay allowed there: right-to-left and joined scripts use them.
const REORDERING = /[\u202A-\u202E\u2066-\u2069]/u;

/** True when the text has at least one letter or digit: blank, punctuation-only or invisible-only text says nothing. */
export function hasWords(value: string): boolean {
  return /[\p{L}\p{N}]/u.test(value);
}

const codePoint = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

/** The first lone UTF-16 surrogate (half of a character, which no database or JSON encoder can store), with its index. */
function loneSurrogate(value: string): { index: number; char: string } | null {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return { index: i, char: value[i] };
    }
    if (c >= 0xdc00 && c <= 0xdfff) return { index: i, char: value[i] };
  }
  return null;
}

/**
 * What is wrong with a string for Assay to store and show, as the end of a sentence that starts with the field's name, or null:
 * no control characters (U+0000 and the like), no lone surrogates, no text-direction controls, and for names no line breaks and no invisible or
 * direction-changing characters.
 */
export function textProblem(value: string, kind: TextKind): string | null {
  const lone = loneSurrogate(value);
  if (lone) return `must be valid Unicode text; it has half a character (${codePoint(lone.char)}) at position ${lone.index + 1}`;
  const found = (pattern: RegExp) => {
    const match = pattern.exec(value);
    return match ? `${codePoint(match[0])} at position ${match.index + 1}` : null;
  };
  const control = found(CONTROL);
  if (control) return `must not contain control characters; remove ${control}`;
  const reordering = found(REORDERING);
  if (reordering) return `must not contain text-direction controls, which make it read differently from what it is; remove ${reordering}`;
  if (kind === "name") {
    const lineBreak = found(LINE_BREAK);
    if (lineBreak) return `must be one line; remove the line break or tab (${lineBreak})`;
    const invisible = found(INVISIBLE);
    if (invisible)
      return `must not contain invisible or text-direction characters, which make it read differently from what it is; remove ${invisible}`;
  }
  return null;
}

const checked = (field: string, max: number, kind: TextKind) =>
  (kind === "name" ? z.string({ error: `${field} must be text` }).trim() : z.string({ error: `${field} must be text` }))
    .max(max, `${field} must be at most ${max} characters`)
    .superRefine((value, ctx) => {
      const problem = textProblem(value, kind);
      if (problem) ctx.addIssue({ code: "custom", message: `${field} ${problem}` });
    });

/** Free text up to `max` characters (a prompt, a description, a reason): line breaks allowed, control characters and lone surrogates refused. */
export const text = (field: string, max: number) => checked(field, max, "text");

/** A name up to `max` characters (an experiment, variant, metric, user or key name; a model id), trimmed: one line, nothing invisible. */
export const name = (field: string, max: number) => checked(field, max, "name");
