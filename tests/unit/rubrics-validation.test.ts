// The rubric definitions the API, the Rubrics page and the CLI share: one JSON shape (criteria by `name`, or by `key` as
// the CLI's older files have them), the API's stricter name and scale rules, scale-point labels in the prompt, and
// "the same rubric" as the versions compare it.
import { describe, expect, it } from "vitest";
import { DEFAULT_RUBRIC, rubricDefinitionSchema, sameRubric, systemPromptFor } from "@/lib/judge/rubric";
import { createRubricSchema, tryRubricSchema } from "@/lib/validation/rubrics";
import { judgeRunRequestSchema } from "@/lib/validation/judgeRuns";

const tone = {
  name: "support-tone",
  criteria: [
    {
      name: "empathy",
      description: "Does the reply acknowledge the user's feelings?",
      min: 1,
      max: 4,
      labels: { "4": "Warm", "1": "Cold" },
    },
    { name: "task_success", description: "Does it solve the problem?", min: 1, max: 5 },
  ],
};

const issuesOf = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (r.error?.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`);

describe("a rubric definition", () => {
  it("takes criteria by name, labels them from the name and builds the prompt with the scale labels", () => {
    const r = createRubricSchema.parse(tone);
    expect(r.criteria[0]).toEqual({
      key: "empathy",
      label: "Empathy",
      description: "Does the reply acknowledge the user's feelings?",
      min: 1,
      max: 4,
      labels: { "1": "Cold", "4": "Warm" },
    });
    expect(r.criteria[1].label).toBe("Task success");
    expect(r.systemPrompt).toContain("- Empathy (1-4): Does the reply acknowledge the user's feelings? (1 = Cold; 4 = Warm)");
    expect(r.systemPrompt).toBe(systemPromptFor(r.criteria));
  });

  it("is the CLI's file shape too: key and label are read the same way by the API and by assay judge --rubric", () => {
    const file = {
      name: "support-tone",
      criteria: [{ key: "empathy", label: "Empathy", description: "Does the reply acknowledge the user's feelings?", min: 1, max: 4 }],
    };
    const api = createRubricSchema.parse(file);
    const cli = rubricDefinitionSchema.parse(file);
    expect(api).toEqual(cli);
    // And what the API takes, the CLI takes.
    expect(rubricDefinitionSchema.parse(tone)).toEqual(createRubricSchema.parse(tone));
  });

  it("keeps a written system prompt as written, and a blank one is built from the criteria", () => {
    expect(createRubricSchema.parse({ ...tone, systemPrompt: "  Judge the tone.  " }).systemPrompt).toBe("Judge the tone.");
    expect(createRubricSchema.parse({ ...tone, systemPrompt: "  " }).systemPrompt).toBe(
      systemPromptFor(createRubricSchema.parse(tone).criteria),
    );
  });

  it.each([
    [{ ...tone, name: "Support Tone" }, "name: a rubric's name is lower-case letters"],
    [{ ...tone, name: "" }, "name: give the rubric a name"],
    [{ ...tone, name: "a".repeat(61) }, "name: a rubric's name is at most 60 characters"],
    [{ ...tone, name: "try" }, 'name: "try" names the try-it route'],
    [{ ...tone, name: 42 }, "name: name must be text"],
    [{ ...tone, criteria: [] }, "criteria: a rubric needs at least one criterion"],
    [{ ...tone, criteria: "helpfulness" }, "criteria: criteria must be a list"],
    [
      { ...tone, criteria: Array.from({ length: 11 }, (_, i) => ({ name: `c${i}`, description: "d", min: 1, max: 5 })) },
      "criteria: a rubric has at most 10 criteria",
    ],
    [{ ...tone, criteria: [tone.criteria[1], tone.criteria[1]] }, 'criteria.1.name: "task_success" is a criterion already'],
    [
      { ...tone, criteria: [{ name: "Task Success", description: "d", min: 1, max: 5 }] },
      "criteria.0.name: a criterion's name is 1-40 lower-case",
    ],
    [{ ...tone, criteria: [{ name: "1st", description: "d", min: 1, max: 5 }] }, "criteria.0.name: a criterion's name is 1-40 lower-case"],
    [
      { ...tone, criteria: [{ name: "reasoning", description: "d", min: 1, max: 5 }] },
      'criteria.0.name: "reasoning" is the judge\'s explanation',
    ],
    [{ ...tone, criteria: [{ description: "d", min: 1, max: 5 }] }, "criteria.0.name: give each criterion a name"],
    [
      { ...tone, criteria: [{ name: "a", key: "b", description: "d", min: 1, max: 5 }] },
      "criteria.0.key: give a criterion its name or its key, not both",
    ],
    [{ ...tone, criteria: [{ name: "a", description: "d", min: 5, max: 5 }] }, "criteria.0.max: a scale's max must be above its min"],
    [{ ...tone, criteria: [{ name: "a", description: "d", min: 5, max: 1 }] }, "criteria.0.max: a scale's max must be above its min"],
    [{ ...tone, criteria: [{ name: "a", description: "d", min: 0, max: 5 }] }, "criteria.0.min: a scale starts at 1 or more"],
    [{ ...tone, criteria: [{ name: "a", description: "d", min: 1, max: 11 }] }, "criteria.0.max: a scale ends at 10 or less"],
    [{ ...tone, criteria: [{ name: "a", description: "d", min: 1.5, max: 5 }] }, "criteria.0.min: a scale's ends are whole numbers"],
    [{ ...tone, criteria: [{ name: "a", description: "d", min: "1", max: 5 }] }, "criteria.0.min: min must be a whole number"],
    [{ ...tone, criteria: [{ name: "a", description: " ", min: 1, max: 5 }] }, "criteria.0.description: say what the judge should assess"],
    [
      { ...tone, criteria: [{ name: "a", description: "d\u0000", min: 1, max: 5 }] },
      "criteria.0.description: description must not contain control characters",
    ],
    [
      { ...tone, criteria: [{ name: "a", description: "d", min: 1, max: 5, labels: { "9": "x" } }] },
      'criteria.0.labels.9: "9" is not a point of the scale 1-5',
    ],
    [
      { ...tone, criteria: [{ name: "a", description: "d", min: 1, max: 5, labels: ["bad"] }] },
      "criteria.0.labels: labels must be an object",
    ],
    [{ ...tone, criteria: [{ name: "a", description: "d", min: 1, max: 5, weight: 2 }] }, "criteria.0: "],
    [{ ...tone, systemPrompt: "x".repeat(20_001) }, "systemPrompt: systemPrompt must be at most 20000 characters"],
    [{ ...tone, systemPrompt: "evil\u202Etxt" }, "systemPrompt: systemPrompt must not contain text-direction controls"],
    [{ ...tone, version: 3 }, ": "],
  ])("refuses %j, naming the field", (input, expected) => {
    const r = createRubricSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(
      issuesOf(r).some((i) => i.startsWith(expected)),
      issuesOf(r).join("\n"),
    ).toBe(true);
  });

  it("is the same rubric when only the criteria's field order or labels' order differ", () => {
    const a = createRubricSchema.parse(tone);
    const b = createRubricSchema.parse({
      ...tone,
      criteria: [
        { max: 4, min: 1, labels: { "1": "Cold", "4": "Warm" }, description: tone.criteria[0].description, name: "empathy" },
        tone.criteria[1],
      ],
    });
    expect(sameRubric(a, b)).toBe(true);
    expect(sameRubric(a, { ...b, systemPrompt: `${b.systemPrompt}!` })).toBe(false);
    expect(sameRubric(a, { ...b, criteria: [...b.criteria].reverse() })).toBe(false);
    // The default rubric sent back as written is the default rubric: no second version.
    expect(sameRubric(DEFAULT_RUBRIC, createRubricSchema.parse({ name: "default", criteria: DEFAULT_RUBRIC.criteria }))).toBe(true);
  });
});

describe("a try", () => {
  const base = { endpoint: "sim", userInput: "How do I reset my password?", modelOutput: "Open Settings." };
  it("names a saved version or carries a definition", () => {
    expect(tryRubricSchema.parse({ ...base, rubric: { name: "default" } }).rubric).toEqual({ kind: "saved", name: "default" });
    expect(tryRubricSchema.parse({ ...base, rubric: { name: "default", version: 2 } }).rubric).toEqual({
      kind: "saved",
      name: "default",
      version: 2,
    });
    const d = tryRubricSchema.parse({ ...base, rubric: { criteria: tone.criteria } });
    expect(d.rubric.kind).toBe("definition");
    expect(d.timeoutSeconds).toBe(30);
  });
  it.each([
    [{ ...base, rubric: "default" }, "rubric: rubric must be a saved rubric"],
    [{ ...base }, "rubric: rubric must be a saved rubric"],
    [{ ...base, rubric: { name: "default", version: 0 } }, "rubric.version: versions start at 1"],
    [{ ...base, rubric: { criteria: [] } }, "rubric.criteria: a rubric needs at least one criterion"],
    [{ ...base, rubric: { name: "default" }, userInput: " " }, "userInput: paste the user's input"],
    [{ ...base, rubric: { name: "default" }, modelOutput: 5 }, "modelOutput: modelOutput must be text"],
    [{ ...base, rubric: { name: "default" }, endpoint: "" }, "endpoint: name the judge's model endpoint"],
    [{ ...base, rubric: { name: "default" }, timeoutSeconds: 600 }, "timeoutSeconds: timeoutSeconds must be at most 120"],
  ])("refuses %j, naming the field", (input, expected) => {
    const r = tryRubricSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(
      issuesOf(r).some((i) => i.startsWith(expected)),
      issuesOf(r).join("\n"),
    ).toBe(true);
  });
});

describe("a judge run's rubric", () => {
  it("is optional, and named by a slug and a whole version", () => {
    expect(judgeRunRequestSchema.parse({ endpoint: "sim" })).not.toHaveProperty("rubric");
    expect(judgeRunRequestSchema.parse({ endpoint: "sim", rubric: "support-tone", rubricVersion: 2 })).toMatchObject({
      rubric: "support-tone",
      rubricVersion: 2,
    });
    expect(issuesOf(judgeRunRequestSchema.safeParse({ endpoint: "sim", rubricVersion: 1.5 }))[0]).toMatch(/^rubricVersion: /);
    expect(issuesOf(judgeRunRequestSchema.safeParse({ endpoint: "sim", rubric: 7 }))[0]).toMatch(/^rubric: /);
  });
});
