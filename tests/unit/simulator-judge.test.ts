// lib/simulator/judge.ts, structured.ts and text.ts: the simulated judge's scoring rule and JSON answers.
import { describe, expect, it } from "vitest";
import { explainScores, extractJudgedText, responseFeatures, scoreResponse } from "../../lib/simulator/judge";
import { mulberry32 } from "../../lib/simulator/random";
import { criterionFor, declaredRange, structuredAnswer, type JsonSchema } from "../../lib/simulator/structured";
import { composeAnswer, styleFromInstructions } from "../../lib/simulator/text";

const noNoise = () => 0.5; // scoreNoise = (0.5 - 0.5) * 0.7 = 0

const STRUCTURED = [
  "Thanks for reaching out, I understand the problem.",
  "1. Open the settings page.",
  "2. Clear the cache.",
  "3. Restart the app.",
  "Does this solve the problem for you?",
].join("\n");
const PLAIN =
  "The order was shipped on Monday and the courier reports it is in transit. It should arrive within three working days, according to the tracking page.";
const RAMBLING = Array.from({ length: 450 }, (_, i) => (i % 7 === 0 ? "and" : "word")).join(" ") + ".";

describe("scoreResponse", () => {
  // Expected values from the rule in judge.ts with zero noise; Math.round rounds .5 up.
  it.each([
    // helpfulness 3+1+0.5+0.5 = 5; clarity 3+1+0.5+0.25 = 4.75 -> 5; safety 5
    ["structured", STRUCTURED, { helpfulness: 5, clarity: 5, safety: 5 }],
    // 29 words, 2 sentences: helpfulness 3; clarity 3 + 0.5 (14.5 words per sentence) = 3.5 -> 4
    ["plain", PLAIN, { helpfulness: 3, clarity: 4, safety: 5 }],
    // 5 words: helpfulness 3 - 1.5 = 1.5 -> 2; clarity 3 - 1 = 2
    ["terse", "Orders can be late sometimes.", { helpfulness: 2, clarity: 2, safety: 5 }],
    // 450 words in one sentence: helpfulness 3 - 1 = 2; clarity 3 - 1.5 = 1.5 -> 2
    ["rambling", RAMBLING, { helpfulness: 2, clarity: 2, safety: 5 }],
    // 2 harmful words (bomb, poison), 19 words in 2 sentences: helpfulness 3 - 1 = 2; clarity 3.5 -> 4; safety 5 - 3 = 2
    [
      "harmful",
      "First you build the bomb in the garage. Then you poison the guard dog so nobody hears you arrive.",
      { helpfulness: 2, clarity: 4, safety: 2 },
    ],
  ])("%s response", (_label, text, expected) => {
    expect(scoreResponse(responseFeatures(text), noNoise)).toEqual(expected);
  });

  it("adds at most 0.35 of noise, so a score moves by at most one step", () => {
    const features = responseFeatures(PLAIN);
    expect(scoreResponse(features, () => 0)).toEqual({ helpfulness: 3, clarity: 3, safety: 5 }); // 3 - 0.35, 3.5 - 0.35
    expect(scoreResponse(features, () => 0.9999)).toEqual({ helpfulness: 3, clarity: 4, safety: 5 }); // 3 + 0.35, 3.5 + 0.35
  });

  it("does not mistake harmless words for harmful ones", () => {
    expect(responseFeatures("The skills are stable and the poisonous-sounding name is fine.").harmfulWords).toEqual([]);
    expect(responseFeatures("He was killed by a bomber.").harmfulWords).toEqual(["kill", "bomb"]);
  });

  it("explains in at most two sentences", () => {
    const features = responseFeatures(STRUCTURED);
    const text = explainScores(features, scoreResponse(features, noNoise));
    expect(text).toMatch(/numbered steps/);
    expect(text.match(/\.(\s|$)/g)?.length).toBe(2);
  });
});

describe("extractJudgedText", () => {
  it.each([
    ["USER PROMPT: hi\nMODEL RESPONSE: Hello there.", "Hello there."],
    ["Question: x\nResponse: first\n\nRUBRIC: be fair", "first"],
    ["<question>q</question><response>tagged\nanswer</response>", "tagged\nanswer"],
    ["Just some text to judge.", "Just some text to judge."],
    ["Response: one\nAnswer: two", "two"],
  ])("%j -> %j", (prompt, expected) => {
    expect(extractJudgedText(prompt)).toBe(expected);
  });
});

describe("criterionFor and declaredRange", () => {
  it.each([
    ["helpfulness", "helpfulness"],
    ["clarity_score", "clarity"],
    ["safety", "safety"],
    ["harmlessness", "safety"],
    ["toxicity", "harm"],
    ["overall", "overall"],
    ["relevance", "helpfulness"],
    ["age", undefined],
  ])("%s -> %s", (name, expected) => {
    expect(criterionFor(name)).toBe(expected);
  });

  it("reads minimum/maximum, exclusive bounds and 'N to M' descriptions", () => {
    expect(declaredRange({ minimum: 1, maximum: 5 })).toEqual({ low: 1, high: 5 });
    expect(declaredRange({ exclusiveMinimum: 0, exclusiveMaximum: 11 })).toEqual({ low: 1, high: 10 });
    expect(declaredRange({ description: "Score from 1 to 10" })).toEqual({ low: 1, high: 10 });
    expect(declaredRange({ description: "0-100 scale" })).toEqual({ low: 0, high: 100 });
    expect(declaredRange({})).toEqual({ low: undefined, high: undefined });
  });
});

/** A small JSON Schema checker for what structuredAnswer promises to honour. */
function validate(value: unknown, schema: JsonSchema, root: JsonSchema = schema, path = "$"): string[] {
  if (typeof schema.$ref === "string") {
    const target = schema.$ref
      .replace(/^#\//, "")
      .split("/")
      .reduce<unknown>((node, key) => (node as JsonSchema)[key], root);
    return validate(value, target as JsonSchema, root, path);
  }
  if (Array.isArray(schema.anyOf)) {
    return schema.anyOf.some((option) => validate(value, option as JsonSchema, root, path).length === 0) ? [] : [`${path}: no anyOf match`];
  }
  const errors: string[] = [];
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${path}: not in enum`);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const typeOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v);
  if (types.length > 0 && !types.some((t) => t === typeOf(value) || (t === "number" && typeof value === "number"))) {
    errors.push(`${path}: expected ${types.join("|")}, got ${typeOf(value)}`);
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) errors.push(`${path}: below minimum`);
    if (typeof schema.maximum === "number" && value > schema.maximum) errors.push(`${path}: above maximum`);
  }
  if (typeof value === "string" && typeof schema.maxLength === "number" && value.length > schema.maxLength)
    errors.push(`${path}: too long`);
  if (typeof value === "string" && typeof schema.minLength === "number" && value.length < schema.minLength)
    errors.push(`${path}: too short`);
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) errors.push(`${path}: too few items`);
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) errors.push(`${path}: too many items`);
    value.forEach((item, i) => errors.push(...validate(item, (schema.items ?? {}) as JsonSchema, root, `${path}[${i}]`)));
  }
  if (typeOf(value) === "object") {
    const object = value as Record<string, unknown>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in object)) errors.push(`${path}.${key}: missing`);
    for (const [key, propertySchema] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
      if (key in object) errors.push(...validate(object[key], propertySchema, root, `${path}.${key}`));
    }
  }
  return errors;
}

describe("structuredAnswer", () => {
  const schemas: Record<string, JsonSchema> = {
    judge: {
      type: "object",
      properties: {
        helpfulness: { type: "integer", minimum: 1, maximum: 5 },
        clarity: { type: "integer", minimum: 1, maximum: 5 },
        safety: { type: "integer", minimum: 1, maximum: 5 },
        reasoning: { type: "string", description: "One or two sentences" },
      },
      required: ["helpfulness", "clarity", "safety", "reasoning"],
    },
    tenPoint: {
      type: "object",
      properties: { overall: { type: "integer", minimum: 0, maximum: 10 }, confidence: { type: "number", minimum: 0, maximum: 1 } },
      required: ["overall", "confidence"],
    },
    nested: {
      type: "object",
      $defs: {
        criterion: {
          type: "object",
          properties: { name: { type: "string", maxLength: 12 }, score: { type: "integer", minimum: 1, maximum: 5 } },
          required: ["name", "score"],
        },
      },
      properties: {
        criteria: { type: "array", items: { $ref: "#/$defs/criterion" }, minItems: 2, maxItems: 4 },
        label: { type: "string", enum: ["good", "bad", "meh"] },
        flagged: { type: "boolean" },
        note: { anyOf: [{ type: "null" }, { type: "string", minLength: 40 }] },
        tags: { type: ["array", "null"], items: { type: "string" } },
        count: { type: "integer", minimum: 3, maximum: 3 },
        kind: { const: "review" },
      },
      required: ["criteria", "label", "flagged", "note", "tags", "count", "kind", "extra"],
    },
  };

  it.each(Object.keys(schemas))("answers the %s schema with a valid value for many seeds", (name) => {
    for (let seed = 0; seed < 50; seed++) {
      const value = structuredAnswer(schemas[name], STRUCTURED, mulberry32(seed));
      expect(validate(value, schemas[name])).toEqual([]);
      expect(Object.keys(value as object)).toEqual(expect.arrayContaining((schemas[name].required as string[]) ?? []));
    }
  });

  it("maps the 1-5 judgement onto other ranges", () => {
    const good = structuredAnswer(schemas.tenPoint, STRUCTURED, noNoise) as { overall: number; confidence: number };
    const bad = structuredAnswer(schemas.tenPoint, "No.", noNoise) as { overall: number; confidence: number };
    expect(good.overall).toBe(10); // overall 5 -> 0 + (5 - 1) * 10 / 4
    expect(bad.overall).toBe(3); // helpfulness 2, clarity 2 -> overall 2 -> 0 + 1 * 10 / 4 = 2.5 -> 3
  });

  it("scores from the judged text, so structure beats terseness on average across seeds", () => {
    let structuredTotal = 0;
    let terseTotal = 0;
    for (let seed = 0; seed < 100; seed++) {
      structuredTotal += (structuredAnswer(schemas.judge, STRUCTURED, mulberry32(seed)) as { helpfulness: number }).helpfulness;
      terseTotal += (structuredAnswer(schemas.judge, "Sure, here you go.", mulberry32(seed)) as { helpfulness: number }).helpfulness;
    }
    expect(structuredTotal / 100).toBe(5);
    expect(terseTotal / 100).toBeGreaterThanOrEqual(1);
    expect(terseTotal / 100).toBeLessThanOrEqual(2);
  });

  it("answers json_object requests (no schema) with the three scores and a reasoning", () => {
    expect(Object.keys(structuredAnswer(undefined, PLAIN, noNoise) as object)).toEqual(["helpfulness", "clarity", "safety", "reasoning"]);
  });
});

describe("styleFromInstructions and composeAnswer", () => {
  it.each([
    ["You are a helpful assistant.", { acknowledgement: false, numberedSteps: false, closingQuestion: false, concise: false }],
    [
      "Be warm. Acknowledge the issue, give numbered steps, and end with a follow-up question.",
      { acknowledgement: true, numberedSteps: true, closingQuestion: true, concise: false },
    ],
    ["Answer step by step.", { acknowledgement: false, numberedSteps: true, closingQuestion: false, concise: false }],
    ["Be concise.", { acknowledgement: false, numberedSteps: false, closingQuestion: false, concise: true }],
    ["Always ask a clarifying question.", { acknowledgement: false, numberedSteps: false, closingQuestion: true, concise: false }],
  ])("%j", (instructions, expected) => {
    expect(styleFromInstructions(instructions)).toEqual(expected);
  });

  it("writes answers the judge rewards when the style asks for structure", () => {
    const style = styleFromInstructions("Acknowledge the problem, use numbered steps, end with a question.");
    for (let seed = 0; seed < 20; seed++) {
      const text = composeAnswer(mulberry32(seed), style, 80);
      const features = responseFeatures(text);
      expect(features.listItems).toBeGreaterThanOrEqual(3);
      expect(features.acknowledgement).toBe(true);
      expect(features.closingQuestion).toBe(true);
    }
  });
});
