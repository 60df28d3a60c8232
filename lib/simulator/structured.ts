import { explainScores, responseFeatures, scoreResponse, type JudgeScores } from "./judge";
import { pickOne, randomInt, type Random } from "./random";
import { randomSentence } from "./text";

/** A JSON Schema object, as it arrives in `response_format.json_schema.schema`. */
export type JsonSchema = { [keyword: string]: unknown };

/** A judge criterion a schema property can ask for; "harm" is inverted safety (5 = most harmful). */
export type Criterion = "helpfulness" | "clarity" | "safety" | "harm" | "overall";

/** Criterion from a property's name and description, by keyword; undefined when the property is not a judge score. */
export function criterionFor(name: string, description = ""): Criterion | undefined {
  const key = name.toLowerCase();
  if (/harmless/.test(key)) return "safety";
  if (/unsafe|harm|toxic|risk|danger/.test(key)) return "harm";
  if (/safe/.test(key)) return "safety";
  if (/clar|readab|coheren|structur|concis|fluen|organi|format|style/.test(key)) return "clarity";
  if (/help|useful|relevan|complet|accura|correct|actionab|empath|tone|friendl|polite/.test(key)) return "helpfulness";
  if (/overall|score|rating|quality|grade|total/.test(key)) return "overall";
  if (/\b(score|rate|rating|scale)\b/i.test(description)) return "overall";
  return undefined;
}

/** Everything the schema walker needs: the judge's verdict on the judged text and the request's RNG. */
interface Verdict {
  scores: JudgeScores;
  overall: number;
  reasoning: string;
  random: Random;
  root: JsonSchema;
}

/** The 1-5 value of a criterion: overall = round((helpfulness + clarity) / 2), capped at safety when safety <= 2; harm = 6 - safety. */
export function criterionScore(criterion: Criterion, scores: JudgeScores): number {
  switch (criterion) {
    case "helpfulness":
    case "clarity":
    case "safety":
      return scores[criterion];
    case "harm":
      return 6 - scores.safety;
    case "overall": {
      const overall = Math.round((scores.helpfulness + scores.clarity) / 2);
      return scores.safety <= 2 ? Math.min(overall, scores.safety) : overall;
    }
  }
}

/** The numeric range a property declares: minimum/maximum (exclusive bounds moved in by 1), else "1 to 5" / "1-10" in its description. */
export function declaredRange(schema: JsonSchema): { low?: number; high?: number } {
  const number = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
  let low = number(schema.minimum) ?? (number(schema.exclusiveMinimum) !== undefined ? number(schema.exclusiveMinimum)! + 1 : undefined);
  let high = number(schema.maximum) ?? (number(schema.exclusiveMaximum) !== undefined ? number(schema.exclusiveMaximum)! - 1 : undefined);
  if (low === undefined && high === undefined && typeof schema.description === "string") {
    const match = schema.description.match(/(-?\d+(?:\.\d+)?)\s*(?:-|–|to)\s*(-?\d+(?:\.\d+)?)/);
    if (match) {
      low = Number(match[1]);
      high = Number(match[2]);
    }
  }
  return { low, high };
}

/**
 * A JSON value that validates against `schema` (object/properties/required, string/integer/number/boolean/array/null,
 * enum, const, minimum/maximum, minItems/maxItems, minLength/maxLength, anyOf/oneOf/allOf, local $ref), whose judge-like
 * properties carry the simulated judge's verdict on `judgedText`: number properties named like a criterion (see
 * criterionFor) get scoreResponse's 1-5 score mapped linearly onto their declared range (1-5 when none); "reasoning"-like
 * strings get explainScores' sentences; pass/fail-like enums and booleans follow the overall score. Without a schema
 * (json_object) the answer is {helpfulness, clarity, safety, reasoning}.
 */
export function structuredAnswer(schema: JsonSchema | undefined, judgedText: string, random: Random): unknown {
  const features = responseFeatures(judgedText);
  const scores = scoreResponse(features, random);
  const verdict: Verdict = {
    scores,
    overall: criterionScore("overall", scores),
    reasoning: explainScores(features, scores),
    random,
    root: schema ?? {},
  };
  if (!schema) return { ...scores, reasoning: verdict.reasoning };
  return valueFor(schema, "", verdict, 0);
}

function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  const ref = schema.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#")) return schema;
  let target: unknown = root;
  for (const part of ref.slice(1).split("/").filter(Boolean)) {
    target =
      typeof target === "object" && target !== null ? (target as JsonSchema)[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
  }
  return typeof target === "object" && target !== null ? (target as JsonSchema) : {};
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function schemaType(schema: JsonSchema): string {
  const type = schema.type;
  if (typeof type === "string") return type;
  if (Array.isArray(type)) return type.find((t) => t !== "null") ?? "null";
  if (isSchema(schema.properties)) return "object";
  if (schema.items !== undefined) return "array";
  return "string";
}

const MAX_DEPTH = 8;

function valueFor(input: JsonSchema, name: string, verdict: Verdict, depth: number): unknown {
  const schema = resolveRef(input, verdict.root);
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return enumValue(schema.enum, name, verdict);
  const choices = (Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : []).filter(isSchema);
  if (choices.length > 0) {
    const choice = choices.find((c) => resolveRef(c, verdict.root).type !== "null") ?? choices[0];
    return valueFor({ ...choice, description: choice.description ?? schema.description }, name, verdict, depth);
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    const merged: JsonSchema = { ...schema, allOf: undefined };
    for (const part of schema.allOf.filter(isSchema).map((s) => resolveRef(s, verdict.root))) {
      Object.assign(merged, part, {
        properties: { ...(isSchema(merged.properties) ? merged.properties : {}), ...(isSchema(part.properties) ? part.properties : {}) },
        required: [...(Array.isArray(merged.required) ? merged.required : []), ...(Array.isArray(part.required) ? part.required : [])],
      });
    }
    return valueFor(merged, name, verdict, depth);
  }
  const description = typeof schema.description === "string" ? schema.description : "";
  switch (schemaType(schema)) {
    case "object":
      return objectValue(schema, verdict, depth);
    case "array":
      return arrayValue(schema, name, verdict, depth);
    case "integer":
      return numberValue(schema, name, description, verdict, true);
    case "number":
      return numberValue(schema, name, description, verdict, false);
    case "boolean":
      return booleanValue(name, verdict);
    case "null":
      return null;
    default:
      return stringValue(schema, name, verdict);
  }
}

function objectValue(schema: JsonSchema, verdict: Verdict, depth: number): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (depth >= MAX_DEPTH) return result;
  const properties = isSchema(schema.properties) ? schema.properties : {};
  for (const [key, propertySchema] of Object.entries(properties)) {
    result[key] = valueFor(isSchema(propertySchema) ? propertySchema : {}, key, verdict, depth + 1);
  }
  for (const key of Array.isArray(schema.required) ? schema.required : []) {
    if (typeof key === "string" && !(key in result)) result[key] = valueFor({}, key, verdict, depth + 1);
  }
  return result;
}

function arrayValue(schema: JsonSchema, name: string, verdict: Verdict, depth: number): unknown[] {
  const minItems = typeof schema.minItems === "number" ? schema.minItems : 1;
  const maxItems = typeof schema.maxItems === "number" ? schema.maxItems : Math.max(3, minItems);
  if (depth >= MAX_DEPTH) return [];
  const count = randomInt(verdict.random, Math.min(minItems, maxItems), maxItems);
  const items = isSchema(schema.items) ? schema.items : {};
  return Array.from({ length: count }, () => valueFor(items, name, verdict, depth + 1));
}

function numberValue(schema: JsonSchema, name: string, description: string, verdict: Verdict, integer: boolean): number {
  const { low, high } = declaredRange(schema);
  const criterion = criterionFor(name, description);
  if (criterion) {
    const lo = low ?? (high !== undefined ? high - 4 : 1);
    const hi = high ?? lo + 4;
    const value = lo + ((criterionScore(criterion, verdict.scores) - 1) * (hi - lo)) / 4;
    return integer ? Math.round(value) : Math.round(value * 100) / 100;
  }
  const lo = low ?? 0;
  const hi = high ?? lo + 100;
  if (integer) return randomInt(verdict.random, Math.ceil(lo), Math.floor(hi));
  return Math.round((lo + verdict.random() * (hi - lo)) * 100) / 100;
}

const POSITIVE_LABEL = /^(pass(ed)?|yes|good|safe|accept(ed|able)?|approved?|high|true|correct|valid|ok|helpful|excellent|positive)$/i;
const NEGATIVE_LABEL = /^(fail(ed)?|no|bad|unsafe|reject(ed)?|low|false|incorrect|invalid|unhelpful|poor|negative)$/i;

function enumValue(values: unknown[], name: string, verdict: Verdict): unknown {
  const good = verdict.overall >= 3 && verdict.scores.safety >= 3;
  const positive = values.find((v) => typeof v === "string" && POSITIVE_LABEL.test(v));
  const negative = values.find((v) => typeof v === "string" && NEGATIVE_LABEL.test(v));
  if (positive !== undefined && negative !== undefined) return good ? positive : negative;
  const numeric = values.map((v) => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN));
  if (numeric.every(Number.isFinite)) {
    const criterion = criterionFor(name) ?? "overall";
    const low = Math.min(...numeric);
    const high = Math.max(...numeric);
    const target = low + ((criterionScore(criterion, verdict.scores) - 1) * (high - low)) / 4;
    let best = 0;
    numeric.forEach((v, i) => {
      if (Math.abs(v - target) < Math.abs(numeric[best] - target)) best = i;
    });
    return values[best];
  }
  return pickOne(verdict.random, values);
}

function booleanValue(name: string, verdict: Verdict): boolean {
  const key = name.toLowerCase();
  if (/harmless/.test(key)) return verdict.scores.safety >= 3;
  if (/unsafe|harm|toxic|flag|danger/.test(key)) return verdict.scores.safety <= 2;
  if (/safe/.test(key)) return verdict.scores.safety >= 3;
  if (/pass|accept|approv|correct|valid|help|good|ok/.test(key)) return verdict.overall >= 3 && verdict.scores.safety >= 3;
  return verdict.random() < 0.5;
}

const STRING_FORMATS: Record<string, string> = {
  "date-time": "2026-01-01T00:00:00Z",
  date: "2026-01-01",
  time: "00:00:00Z",
  email: "user@example.com",
  uri: "https://example.com/",
  url: "https://example.com/",
  uuid: "00000000-0000-4000-8000-000000000000",
};

function stringValue(schema: JsonSchema, name: string, verdict: Verdict): string {
  if (typeof schema.format === "string" && STRING_FORMATS[schema.format]) return STRING_FORMATS[schema.format];
  const isExplanation = /reason|explan|rationale|justif|comment|feedback|critique|analysis|summary|thought/i.test(name);
  let text = isExplanation ? verdict.reasoning : randomSentence(verdict.random);
  const minLength = typeof schema.minLength === "number" ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === "number" ? schema.maxLength : Infinity;
  while (text.length < minLength) text += ` ${randomSentence(verdict.random)}`;
  return text.length > maxLength ? text.slice(0, maxLength) : text;
}
