// Targeting on a user's attributes: every condition of an experiment must hold for the user to enter it.
import safeRegex from "safe-regex2";

export const TARGETING_OPERATORS = ["equals", "in", "notIn", "regex"] as const;
export type TargetingOperator = (typeof TARGETING_OPERATORS)[number];

/** One condition on one attribute: `plan equals "pro"`, `country in ["FR","DE"]`, `email regex "@acme\\.com$"`. */
export interface TargetingCondition {
  attribute: string;
  operator: TargetingOperator;
  /** A string for equals and regex; a list of strings for in and notIn. */
  value: string | string[];
}

/** Attribute values a caller may send: strings, numbers and booleans (compared as their text). */
export type Attributes = Record<string, string | number | boolean | null | undefined>;

/** Longest regex pattern a condition may hold. */
export const MAX_PATTERN_LENGTH = 200;

/** Why `pattern` cannot be a targeting regex (invalid, too long, or one whose matching time can explode), or null. */
export function patternProblem(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `the pattern is longer than ${MAX_PATTERN_LENGTH} characters`;
  try {
    new RegExp(pattern, "u");
  } catch {
    return "the pattern is not a valid regular expression";
  }
  if (!safeRegex(pattern)) {
    return "the pattern nests repetition (like (a+)+), which can take exponential time on some inputs; write it without a repeated group that itself repeats";
  }
  return null;
}

function text(value: Attributes[string]): string | null {
  if (value === null || value === undefined) return null;
  return String(value);
}

/** A compiled condition: a predicate on attributes. */
export type CompiledCondition = (attributes: Attributes) => boolean;

/** Compiles conditions once (regexes included); a condition on a missing attribute fails, except notIn. */
export function compileTargeting(conditions: readonly TargetingCondition[]): CompiledCondition {
  const tests: CompiledCondition[] = conditions.map((c) => {
    if (c.operator === "equals") {
      const want = String(c.value);
      return (a) => text(a[c.attribute]) === want;
    }
    if (c.operator === "in" || c.operator === "notIn") {
      const set = new Set([c.value].flat().map(String));
      return c.operator === "in"
        ? (a) => {
            const v = text(a[c.attribute]);
            return v !== null && set.has(v);
          }
        : (a) => {
            const v = text(a[c.attribute]);
            return v === null || !set.has(v);
          };
    }
    const re = new RegExp(String(c.value), "u");
    return (a) => {
      const v = text(a[c.attribute]);
      return v !== null && re.test(v);
    };
  });
  return (attributes) => tests.every((t) => t(attributes));
}
