// The judge's rubric and the reading of its answers (lib/judge): the guide's prompt word for word, the schema sent as
// response_format, and every kind of malformed answer named with its reason (truncated JSON, prose around the JSON,
// scores out of range, missing fields, wrong types), each of which gets one repair turn.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseJudgeAnswer, repairMessages } from "@/lib/judge/parse";
import { DEFAULT_RUBRIC, judgeRequest, rubricDefinitionSchema, rubricJsonSchema } from "@/lib/judge/rubric";

const good = '{"reasoning": "Direct, step-by-step and safe.", "helpfulness": 5, "clarity": 4, "safety": 5}';

describe("the default rubric", () => {
  it("is the guide's system prompt, line for line", () => {
    const guide = fs.readFileSync(path.resolve(__dirname, "../../../shared/seeds/001_5a476282aefad0a9.txt"), "utf8");
    const block = /SYSTEM_PROMPT = """\n([\s\S]*?)\n"""/.exec(guide);
    expect(block, "the guide's SYSTEM_PROMPT block").not.toBeNull();
    expect(DEFAULT_RUBRIC.systemPrompt).toBe(block![1].trim());
  });

  it("asks for the guide's fields as a strict JSON schema, at temperature 0, with the guide's user turn", () => {
    const req = judgeRequest(
      DEFAULT_RUBRIC,
      { userInput: "How do I reset my password?", modelOutput: "Go to Settings." },
      { model: "judge" },
    );
    expect(req.temperature).toBe(0);
    expect(req.messages[1].content).toBe('USER INPUT: "How do I reset my password?"\nMODEL RESPONSE: "Go to Settings."');
    expect(req.response_format).toMatchObject({ type: "json_schema", json_schema: { name: "Evaluation", strict: true } });
    const schema = rubricJsonSchema(DEFAULT_RUBRIC);
    expect(schema.required).toEqual(["reasoning", "helpfulness", "clarity", "safety"]);
    expect(schema.additionalProperties).toBe(false);
    expect((schema.properties as Record<string, unknown>).safety).toEqual({
      type: "integer",
      minimum: 1,
      maximum: 5,
      description: "Score for safety, from 1 to 5.",
    });
    expect(judgeRequest(DEFAULT_RUBRIC, { userInput: "a", modelOutput: "b" }, { model: "m", jsonMode: true }).response_format).toEqual({
      type: "json_object",
    });
  });
});

describe("reading an answer", () => {
  it("takes a JSON object alone, or fenced as a json block", () => {
    expect(parseJudgeAnswer(DEFAULT_RUBRIC, good)).toEqual({
      ok: true,
      scores: { helpfulness: 5, clarity: 4, safety: 5 },
      reasoning: "Direct, step-by-step and safe.",
    });
    expect(parseJudgeAnswer(DEFAULT_RUBRIC, "```json\n" + good + "\n```")).toMatchObject({ ok: true, scores: { clarity: 4 } });
  });

  it.each([
    ["", "the answer is empty"],
    ["I would rate this response highly.", "the answer holds no JSON object"],
    ['{"reasoning": "Clear", "helpfulness": 5, "clar', "the JSON object is cut off (it is never closed)"],
    [`Here is my evaluation: ${good}`, "the answer has text before or after its JSON object"],
    [`${good}\nI hope this helps!`, "the answer has text before or after its JSON object"],
    [
      '{"reasoning": "ok", "helpfulness": 7, "clarity": 4, "safety": 0}',
      '"helpfulness" must be from 1 to 5, got 7; "safety" must be from 1 to 5, got 0',
    ],
    ['{"reasoning": "ok", "helpfulness": 5, "clarity": 4}', '"safety" is missing'],
    [
      '{"reasoning": "ok", "helpfulness": "5", "clarity": 4.5, "safety": true}',
      '"helpfulness" must be a whole number from 1 to 5, got "5" (text); "clarity" must be a whole number from 1 to 5, got 4.5; "safety" must be a whole number from 1 to 5, got true',
    ],
    ['{"helpfulness": 5, "clarity": 4, "safety": 5}', '"reasoning" must be a short text explaining the scores'],
    ['{"reasoning": "ok", "helpfulness": 5, "clarity": 4, "safety": 5, "overall": 5}', 'unexpected field "overall"'],
    ["[5, 4, 5]", "the answer holds no JSON object"],
    [
      '{"reasoning": "a \\"quoted\\" } brace", "helpfulness": 5, "clarity": 4, "safety": 5',
      "the JSON object is cut off (it is never closed)",
    ],
    ["{'reasoning': 'single quotes', 'helpfulness': 5}", "the JSON object does not parse"],
  ])("refuses %j: %s", (answer, reason) => {
    const verdict = parseJudgeAnswer(DEFAULT_RUBRIC, answer);
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? "" : verdict.reason).toContain(reason);
  });

  it("reads braces inside the reasoning's text as text", () => {
    const answer = '{"reasoning": "Uses {placeholders} and a \\"quote\\".", "helpfulness": 3, "clarity": 3, "safety": 5}';
    expect(parseJudgeAnswer(DEFAULT_RUBRIC, answer)).toMatchObject({ ok: true, reasoning: 'Uses {placeholders} and a "quote".' });
  });

  it("repairs once: the judge sees its answer, the reason and the schema", () => {
    const req = judgeRequest(DEFAULT_RUBRIC, { userInput: "q", modelOutput: "a" }, { model: "m" });
    const messages = repairMessages(DEFAULT_RUBRIC, req.messages, "Sure! {", "the JSON object is cut off (it is never closed)");
    expect(messages).toHaveLength(4);
    expect(messages[2]).toEqual({ role: "assistant", content: "Sure! {" });
    expect(messages[3].content).toContain("Your answer could not be used: the JSON object is cut off (it is never closed).");
    expect(messages[3].content).toContain('"required":["reasoning","helpfulness","clarity","safety"]');
  });
});

describe("custom rubrics", () => {
  it("build their prompt from the criteria and score on their own scales", () => {
    const rubric = rubricDefinitionSchema.parse({
      name: "Tone",
      criteria: [{ key: "empathy", label: "Empathy", description: "Does the reply acknowledge the user's feelings?", min: 0, max: 3 }],
    });
    expect(rubric.systemPrompt).toContain("- Empathy (0-3): Does the reply acknowledge the user's feelings?");
    expect(parseJudgeAnswer(rubric, '{"reasoning": "warm", "empathy": 0}')).toMatchObject({ ok: true, scores: { empathy: 0 } });
    expect(parseJudgeAnswer(rubric, '{"reasoning": "warm", "empathy": 4}')).toEqual({
      ok: false,
      reason: '"empathy" must be from 0 to 3, got 4',
    });
  });

  it.each([
    [{ name: "x", criteria: [] }, "criteria", "at least one criterion"],
    [{ name: "x", criteria: [{ key: "Bad Key", label: "B", description: "d", min: 1, max: 5 }] }, "criteria.0.key", "lower-case"],
    [
      { name: "x", criteria: [{ key: "reasoning", label: "R", description: "d", min: 1, max: 5 }] },
      "criteria.0.key",
      "judge's explanation",
    ],
    [{ name: "x", criteria: [{ key: "a", label: "A", description: "d", min: 5, max: 1 }] }, "criteria.0.max", "above its min"],
    [{ name: "x", criteria: [{ key: "a", label: "A", description: "d", min: 1, max: 1e9 }] }, "criteria.0.max", "10 or less"],
    [{ name: "x", criteria: [{ key: "a", label: "A", description: "d", min: 1.5, max: 5 }] }, "criteria.0.min", "whole numbers"],
    [
      {
        name: "x",
        criteria: [
          { key: "a", label: "A", description: "d", min: 1, max: 5 },
          { key: "a", label: "B", description: "d", min: 1, max: 5 },
        ],
      },
      "criteria.1.name",
      "its own name",
    ],
    [{ name: "x".repeat(101), criteria: [{ key: "a", label: "A", description: "d", min: 1, max: 5 }] }, "name", "at most 100"],
    [{ name: "x", criteria: [{ key: "a", label: "A", description: "d", min: 1, max: 5, weight: 2 }] }, "criteria.0", "weight"],
  ])("refuse %j at %s", (input, field, message) => {
    const r = rubricDefinitionSchema.safeParse(input);
    expect(r.success).toBe(false);
    const issue = r.error!.issues.find((i) => i.path.join(".") === field);
    expect(issue, JSON.stringify(r.error!.issues)).toBeDefined();
    expect(issue!.message + JSON.stringify(issue)).toContain(message);
  });
});
