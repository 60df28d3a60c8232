// Pure parts of the experiment studio: single-variable check, hypothesis sentence, plan view, metric templates, design document.
import { describe, expect, it } from "vitest";
import { experimentDesignMarkdown } from "@/lib/experiments/designDocument";
import {
  expectationWithMde,
  hypothesisEffect,
  hypothesisEffectMessage,
  hypothesisSentence,
  mdeOfStatedEffect,
  statedEffects,
} from "@/lib/experiments/hypothesis";
import { metricTemplates, templateMetric } from "@/lib/experiments/metricTemplates";
import { baselineScaleWarning, withReading } from "@/lib/experiments/metricScale";
import { designPlanIssues, experimentPlanView, plannedMetric, type ExperimentPlan } from "@/lib/experiments/plan";
import { configDifferences, undeclaredDifferences } from "@/lib/experiments/singleVariable";
import { designProblems, identicalVariantGroups, startProblems } from "@/lib/experiments/startRules";
import type { ExperimentDetail } from "@/lib/experiments/types";
import { GUIDE_PROMPT_A, GUIDE_PROMPT_B } from "@/lib/demo/experiments";
import { createExperimentSchema, metricSchema, type MetricInput } from "@/lib/validation/experiments";

/** An equal A/B split, as the API's minimal experiment has it. */
const two = [
  { key: "A", isControl: true, weight: 50 },
  { key: "B", isControl: false, weight: 50 },
];

const goal = (over: Partial<MetricInput> = {}): MetricInput => ({
  name: "Helpfulness (normalised)",
  role: "GOAL",
  kind: "PROPORTION",
  source: "JUDGE_CRITERION",
  field: "helpfulness",
  direction: "INCREASE",
  mde: 0.05,
  mdeAbsolute: false,
  baseline: 0.76,
  ...over,
});

describe("single-variable check", () => {
  const a = { key: "A", config: { model: "m", systemPrompt: "p1", temperature: 0.7 } };
  it("a SYSTEM_PROMPT design where B also changes temperature has one undeclared difference: temperature", () => {
    const b = { key: "B", config: { model: "m", systemPrompt: "p2", temperature: 0.2 } };
    expect(undeclaredDifferences("SYSTEM_PROMPT", [a, b])).toEqual(["temperature"]);
    expect(configDifferences("SYSTEM_PROMPT", [a, b])).toEqual([
      { field: "systemPrompt", values: { A: "p1", B: "p2" }, declared: true },
      { field: "temperature", values: { A: 0.7, B: 0.2 }, declared: false },
    ]);
  });
  it("is clean when only the declared variable differs; OTHER allows anything", () => {
    const b = { key: "B", config: { model: "m", systemPrompt: "p2", temperature: 0.7 } };
    expect(undeclaredDifferences("SYSTEM_PROMPT", [a, b])).toEqual([]);
    expect(undeclaredDifferences("OTHER", [a, { key: "B", config: { model: "x", temperature: 1 } }])).toEqual([]);
  });
  it("different endpoints are infrastructure (each variant has its own deployment), never an undeclared difference", () => {
    const b = { key: "B", config: { model: "m", systemPrompt: "p2", temperature: 0.7, endpoint: "http://b:8000/v1" } };
    expect(undeclaredDifferences("SYSTEM_PROMPT", [a, b])).toEqual([]);
    expect(configDifferences("SYSTEM_PROMPT", [a, b]).map((d) => [d.field, d.declared])).toEqual([
      ["endpoint", true],
      ["systemPrompt", true],
    ]);
  });
  it("compares nested RAG settings field by field", () => {
    const k5 = { key: "k5", config: { rag: { topK: 5, chunkSize: 512 } } };
    const k10 = { key: "k10", config: { rag: { topK: 10, chunkSize: 256 } } };
    expect(undeclaredDifferences("RAG_CONFIGURATION", [k5, k10])).toEqual([]);
    expect(undeclaredDifferences("MODEL", [k5, k10])).toEqual(["rag.topK", "rag.chunkSize"]);
  });
});

describe("hypothesisSentence", () => {
  it.each([
    [
      {
        change: "the system prompt from a generic support agent to a structured persona",
        expectation: "helpfulness to rise by at least 5%",
        reason: "structured steps and empathy make answers more actionable",
      },
      "If we change the system prompt from a generic support agent to a structured persona, we expect helpfulness to rise by at least 5%, because structured steps and empathy make answers more actionable.",
    ],
    // The writer typed the template's own words and a full stop: they are not repeated.
    [
      { change: "If we change the model", expectation: "we expect lower latency.", reason: "because it is smaller." },
      "If we change the model, we expect lower latency, because it is smaller.",
    ],
    [{ change: "the model", expectation: "", reason: "" }, "If we change the model, we expect …, because …."],
    [{ change: "", expectation: " ", reason: "" }, ""],
  ])("%j", (h, sentence) => expect(hypothesisSentence(h)).toBe(sentence));
});

describe("experimentPlanView", () => {
  it("the guide's example (baseline 76%, MDE 5% relative, 2,000 a day, 2 variants) needs 1,872 per variant, 3,744 in all, 2 days", () => {
    const view = experimentPlanView({
      metrics: [goal()],
      settings: { dailyTraffic: 2000 },
      variants: two,
    }) as ExperimentPlan;
    // statsmodels: zt_ind_solve_power(effect_size=0.0915838150994437, alpha=0.05, power=0.8, ratio=1.0, alternative='two-sided')
    // = 1871.54 -> ceil 1872 (the guide's printed 1,873 is statsmodels' xtol=1e-5 root-finder noise around the same root).
    expect(view.effectSize).toBeCloseTo(0.0915838150994437, 12);
    expect(view.nExact).toBeCloseTo(1871.54, 2);
    expect(view).toMatchObject({
      metricName: "Helpfulness (normalised)",
      baselineSource: "typed",
      baseline: 0.76,
      perVariant: 1872,
      total: 3744,
      days: 2,
      variants: 2,
      alpha: 0.05,
      power: 0.8,
    });
    expect(view.explanation).toContain("1,872");
    // The plan's own words name no library; the method note names the sources.
    expect(view.explanation).not.toMatch(/statsmodels|zt_ind_solve_power|guide/);
    expect(view.method).toContain("statsmodels' zt_ind_solve_power");
    expect(view.method).toContain("plan_ab_test in “A/B testing for Llama apps”");
  });

  it("uses the first GOAL metric when the plan names none, and the named one otherwise", () => {
    const guard = goal({ name: "Safety", role: "GUARDRAIL", baseline: 0.02 });
    expect(plannedMetric([guard, goal()], null)).toMatchObject({ name: "Helpfulness (normalised)" });
    expect(plannedMetric([guard, goal()], { metricName: "Safety" })).toMatchObject({ name: "Safety" });
    expect(plannedMetric([guard], null)).toBeNull();
    expect(
      experimentPlanView({
        metrics: [goal()],
        settings: { metricName: "Nope" },
        variants: two,
      }),
    ).toEqual({
      error: expect.stringContaining('"Nope"'),
    });
  });

  it("sizes a mean metric with its sd: d = 0.05·3.8/0.8 = 0.2375 -> n = 278.30 -> 279 per variant", () => {
    const view = experimentPlanView({
      metrics: [goal({ name: "Helpfulness", kind: "MEAN", baseline: 3.8, baselineSd: 0.8 })],
      settings: null,
      variants: two,
    }) as ExperimentPlan;
    // Closed form (the far tail adds < 1e-6): n = 2·(z_0.975 + z_0.8)² / d² = 2·(1.959964 + 0.841621)² / 0.2375² = 278.2975,
    // which is what statsmodels' zt_ind_solve_power(effect_size=0.2375, alpha=0.05, power=0.8) solves for.
    expect(view.nExact).toBeCloseTo(278.2975, 3);
    expect(view.effectSize).toBeCloseTo(0.2375, 12);
    expect(view).toMatchObject({ metricKind: "MEAN", sd: 0.8, perVariant: 279, total: 558, days: null });
  });

  it("asks for the sd of a mean metric, refuses quantiles, and asks for a baseline when the control has no history", () => {
    expect(experimentPlanView({ metrics: [goal({ name: "Cost", kind: "MEAN", baseline: 0.002 })], settings: null, variants: two })).toEqual(
      {
        error: "Set a baseline standard deviation for Cost to size the test.",
      },
    );
    expect(experimentPlanView({ metrics: [goal({ kind: "QUANTILE", quantile: 0.95 })], settings: null, variants: two })).toEqual({
      error: "Quantile metrics are not sized by this planner; pick a mean or proportion goal metric.",
    });
    const noBaseline = goal({ name: "Goal completion rate", baseline: undefined });
    expect(
      experimentPlanView({
        metrics: [noBaseline],
        settings: null,
        variants: two,
        histories: { [noBaseline.name]: { n: 0, mean: null, sd: null } },
      }),
    ).toEqual({
      error: expect.stringContaining("Type a baseline for Goal completion rate"),
    });
  });

  it("takes the baseline from the control's history when none is typed", () => {
    const view = experimentPlanView({
      metrics: [goal({ baseline: undefined })],
      settings: null,
      variants: two,
      histories: { "Helpfulness (normalised)": { n: 500, mean: 0.76, sd: 0.43 } },
    }) as ExperimentPlan;
    expect(view).toMatchObject({ baselineSource: "control-history", baseline: 0.76, perVariant: 1872 });
  });

  it("takes a mean's missing sd from the control's history even when the baseline is typed", () => {
    const view = experimentPlanView({
      metrics: [goal({ name: "Helpfulness", kind: "MEAN", baseline: 3.8 })],
      settings: null,
      variants: two,
      histories: { Helpfulness: { n: 400, mean: 3.7, sd: 0.8 } },
    }) as ExperimentPlan;
    // Same numbers as the typed case above: baseline 3.8 (typed), sd 0.8 (from the logs) -> 279 per variant.
    expect(view).toMatchObject({
      baselineSource: "typed",
      baseline: 3.8,
      sd: 0.8,
      perVariant: 279,
      history: { n: 400, mean: 3.7, sd: 0.8 },
    });
    // A typed sd wins over the logs, and then no history is reported.
    const typed = experimentPlanView({
      metrics: [goal({ name: "Helpfulness", kind: "MEAN", baseline: 3.8, baselineSd: 0.8 })],
      settings: null,
      variants: two,
      histories: { Helpfulness: { n: 400, mean: 3.7, sd: 5 } },
    }) as ExperimentPlan;
    expect(typed.sd).toBe(0.8);
    expect(typed.history).toBeUndefined();
  });

  it("ignores a history of fewer than two interactions", () => {
    expect(
      experimentPlanView({
        metrics: [goal({ baseline: undefined })],
        settings: null,
        variants: two,
        histories: { "Helpfulness (normalised)": { n: 1, mean: 0.76, sd: null } },
      }),
    ).toEqual({
      error: expect.stringContaining("Type a baseline"),
    });
  });

  it("plans a DECREASE metric for a fall", () => {
    const view = experimentPlanView({
      metrics: [goal({ direction: "DECREASE", baseline: 0.5, mde: 0.1 })],
      settings: null,
      variants: two,
    }) as ExperimentPlan;
    expect(view.mde).toBe(-0.1);
    expect(view.effectSize).toBeLessThan(0);
  });
});

describe("experimentPlanView: the split, the unit, every metric's requirement, and no exceptions", () => {
  const split = (...weights: number[]) => weights.map((weight, i) => ({ key: String.fromCharCode(65 + i), isControl: i === 0, weight }));
  const harmful = goal({
    name: "Harmful response rate",
    role: "GUARDRAIL",
    direction: "DECREASE",
    baseline: 0.02,
    mde: 0.005,
    mdeAbsolute: true,
    nonInferiorityMargin: 0.005,
  });

  it("a 90/10 split sizes both arms with statsmodels' ratio and the small arm sets the days", () => {
    const view = experimentPlanView({ metrics: [goal()], settings: { dailyTraffic: 2000 }, variants: split(90, 10) }) as ExperimentPlan;
    // NormalIndPower().solve_power(effect_size=es(0.76, 0.76*1.05), alpha=0.05, power=0.8, ratio=10/90) = 9357.70
    expect(view.arms).toEqual([
      { key: "A", weight: 90, n: 9358 }, // math.ceil(9357.70)
      { key: "B", weight: 10, n: 1040 }, // math.ceil(9357.70 / 9)
    ]);
    expect([view.total, view.days, view.unequalSplit]).toEqual([10398, 6, true]); // 9358 + 1040; math.ceil(1040 / (2000 * 0.1))
    expect(view.explanation).toContain("ratio = treatment weight / control weight (B 0.1111)");
  });

  it("a 0%-weight variant is not an arm", () => {
    const view = experimentPlanView({ metrics: [goal()], settings: { dailyTraffic: 2000 }, variants: split(50, 50, 0) }) as ExperimentPlan;
    expect([view.variants, view.perVariant, view.total, view.days]).toEqual([2, 1872, 3744, 2]); // the guide's two-arm plan
    expect(view.excludedVariants).toEqual(["C"]);
    expect(experimentPlanView({ metrics: [goal()], settings: null, variants: split(0, 100) })).toEqual({
      error: "The control (A) has weight 0: give it traffic to size the test.",
    });
  });

  it("sizes guardrails too (one-sided non-inferiority at the margin) and names the metric that sets the duration", () => {
    const latency = goal({ name: "Latency P95", role: "GUARDRAIL", kind: "QUANTILE", quantile: 0.95, baseline: undefined });
    const cost = goal({ name: "Cost per interaction", role: "GUARDRAIL", kind: "MEAN", baseline: 0.002, mde: 0.05 });
    const view = experimentPlanView({
      metrics: [goal(), harmful, latency, cost],
      settings: { dailyTraffic: 2000 },
      variants: two,
    }) as ExperimentPlan;
    expect(view.requirements.map((r) => [r.metricName, r.sized ? r.test : "not sized", r.sized ? r.perVariant : null])).toEqual([
      ["Helpfulness (normalised)", "two-sided", 1872],
      // NormalIndPower().solve_power(effect_size=0.005/math.sqrt(0.02*0.98), alpha=0.05, power=0.8, ratio=1.0, alternative='larger') = 9694.25
      ["Harmful response rate", "non-inferiority", 9695],
      ["Latency P95", "not sized", null],
      ["Cost per interaction", "not sized", null],
    ]);
    expect(view.requirements[3]).toMatchObject({ reason: "Set a baseline standard deviation for Cost per interaction to size the test." });
    // The sized goal needs 2 days; the safety guardrail needs math.ceil(2 * 9695 / 2000) = 10 and sets the duration.
    expect([view.days, view.duration]).toEqual([
      2,
      {
        metricName: "Harmful response rate",
        perVariant: 9695,
        arms: [
          { key: "A", weight: 50, n: 9695 },
          { key: "B", weight: 50, n: 9695 },
        ],
        total: 19390,
        days: 10,
        fullWeekDays: 14,
      },
    ]);
    expect(view.advice).toEqual(["The sample is reached in 10 days; run 2 full weeks (14 days) so every weekday counts the same."]);
  });

  it("the clustering warning speaks of the requirement that sets the duration, not the sized goal's", () => {
    const view = experimentPlanView({
      metrics: [goal(), harmful],
      settings: { dailyTraffic: 2000, unit: "interactions", interactionsPerUser: 3 },
      variants: two,
    }) as ExperimentPlan;
    // NormalIndPower().solve_power(effect_size=0.005/math.sqrt(0.02*0.98), alpha=0.05, power=0.8, ratio=1.0, alternative='larger')
    // = 9694.24974016798: math.ceil(9694.24974016798 * 3) = 29083 per variant, math.ceil(2 * 29083 / 2000) = 30 days (was the goal's 5,615 and 6).
    expect(view.clustering).toEqual({
      metricName: "Harmful response rate",
      interactionsPerUser: 3,
      worstDesignEffect: 3,
      worstPerVariant: 29083,
      worstTotal: 58166,
      worstDays: 30,
    });
    expect(view.warnings[0]).toContain(
      "Harmful response rate, which sets the duration, up to 29,083 interactions per variant instead of 9,695 and 30 days instead of 10 days.",
    );
  });

  it("the goal's 2 days get the planner's full-week advice", () => {
    const view = experimentPlanView({ metrics: [goal()], settings: { dailyTraffic: 2000 }, variants: two }) as ExperimentPlan;
    expect(view.advice).toEqual([
      "The sample is reached in 2 days, but run at least a full week (7 days) so weekday and weekend users both count.",
    ]);
  });

  it("counting interactions with 3 per user warns that power is overstated, with the design effect's worst case", () => {
    const view = experimentPlanView({
      metrics: [goal()],
      settings: { dailyTraffic: 2000, unit: "interactions", interactionsPerUser: 3 },
      variants: two,
    }) as ExperimentPlan;
    // 1 + (m - 1)·ρ at ρ = 1 is m = 3: math.ceil(1871.5401335527515 * 3) = 5615 per variant, math.ceil(2 * 5615 / 2000) = 6 days.
    expect(view.clustering).toEqual({
      metricName: "Helpfulness (normalised)",
      interactionsPerUser: 3,
      worstDesignEffect: 3,
      worstPerVariant: 5615,
      worstTotal: 11230,
      worstDays: 6,
    });
    expect(view.warnings[0]).toContain("counting interactions overstates power");
    expect(view.warnings[0]).toContain("design effect 1 + (m − 1)·ρ");
    expect(view.warnings[0]).toContain("up to 5,615 interactions per variant instead of 1,872 and 6 days instead of 2 days");
    // Counting users: no warning, the same n (now users).
    const users = experimentPlanView({
      metrics: [goal()],
      settings: { dailyTraffic: 2000, unit: "users", interactionsPerUser: 3 },
      variants: two,
    }) as ExperimentPlan;
    expect([users.unit, users.warnings, users.perVariant]).toEqual(["users", [], 1872]);
    expect(users.explanation).toContain("1,872 users");
  });

  const mean = goal({ name: "Helpfulness", kind: "MEAN", baseline: 3.8, baselineSd: 0.8 });
  const extremes: [string, Parameters<typeof experimentPlanView>[0], string][] = [
    ["mde 1e-300", { metrics: [goal({ mde: 1e-300 })], settings: null, variants: two }, "metrics.0.mde"],
    ["plan.alpha 5e-324", { metrics: [goal()], settings: { alpha: 5e-324 }, variants: two }, "plan.alpha"],
    [
      "baseline 1e308 with baselineSd 5e-324",
      { metrics: [{ ...mean, baseline: 1e308, baselineSd: 5e-324 }], settings: null, variants: two },
      "metrics.0.baselineSd",
    ],
    ["plan.dailyTraffic 1e-300", { metrics: [goal()], settings: { dailyTraffic: 1e-300 }, variants: two }, "plan.dailyTraffic"],
    [
      "a guardrail margin of 1e-300",
      { metrics: [goal(), { ...harmful, nonInferiorityMargin: 1e-300 }], settings: null, variants: two },
      "metrics.1.nonInferiorityMargin",
    ],
  ];
  it.each(extremes)("%s: designPlanIssues names %s, and the plan view explains instead of throwing", (_name, design, field) => {
    const issues = designPlanIssues(design);
    expect(issues.map((i) => i.field)).toEqual([field]);
    // "mde is too small ...", "plan.alpha is too small ...": the message starts with the field's name.
    expect(issues[0].message.startsWith(`${field.replace(/^metrics\.\d+\./, "")} `)).toBe(true);
    const view = experimentPlanView(design);
    if (field.startsWith("metrics.1")) {
      expect((view as ExperimentPlan).requirements[1]).toMatchObject({ sized: false, reason: expect.stringContaining("Cannot size") });
    } else {
      expect(view).toEqual({ error: expect.stringMatching(/^Cannot size /) });
    }
  });

  it("plan.alpha 5e-324 is refused even with no metric to size", () => {
    expect(designPlanIssues({ metrics: [], settings: { alpha: 5e-324 }, variants: two }).map((i) => i.field)).toEqual(["plan.alpha"]);
  });

  it("baselines still to come from the logs are not issues", () => {
    expect(
      designPlanIssues({ metrics: [goal({ baseline: undefined }), { ...mean, baselineSd: undefined }], settings: null, variants: two }),
    ).toEqual([]);
  });
});

describe("the guide's helpfulness example: one template, one answer", () => {
  const helpfulness = templateMetric(metricTemplates.find((t) => t.name === "Helpfulness")!);
  const plan = (metric: MetricInput) =>
    experimentPlanView({ metrics: [metric], settings: { dailyTraffic: 2000 }, variants: two }) as ExperimentPlan;

  it("the Helpfulness template is the guide's normalised score: 0.76, +5% -> 1,872 per variant, as the planner and the demo say", () => {
    expect(helpfulness).toMatchObject({ kind: "PROPORTION", baseline: 0.76, mde: 0.05, scale: { min: 1, max: 5 } });
    // n_exact(es(0.76, 0.76*1.05), 0.05, 0.8) = 1871.54 (tests/unit/power.test.ts), the guide's plan_ab_test
    expect(plan(helpfulness)).toMatchObject({ perVariant: 1872, total: 3744, days: 2, warnings: [] });
  });

  it("the mean reading is explicit: the baseline becomes 3.8 of 5 and the plan asks for the score's standard deviation", () => {
    const mean = withReading(helpfulness, "MEAN");
    expect(mean).toMatchObject({ kind: "MEAN", baseline: 3.8 }); // 0.76 * 5
    expect(experimentPlanView({ metrics: [mean], settings: null, variants: two })).toEqual({
      error: "Set a baseline standard deviation for Helpfulness to size the test.",
    });
    // With sd 0.8: zt_ind_solve_power(effect_size=3.8*0.05/0.8, alpha=0.05, power=0.8) = 278.30 -> 279, a different reading, said so.
    expect(plan({ ...mean, baselineSd: 0.8 }).perVariant).toBe(279);
    expect(withReading({ ...mean, baselineSd: 0.8 }, "PROPORTION")).toEqual(helpfulness);
  });

  it("warns when the guide's 0.76 is typed into the 1-5 mean (the 6,958 per variant the issue saw)", () => {
    const wrong = { ...withReading(helpfulness, "MEAN"), baseline: 0.76, baselineSd: 0.8 };
    const view = plan(wrong);
    // zt_ind_solve_power(effect_size=0.76*0.05/0.8, alpha=0.05, power=0.8) = 6957.44 -> 6958
    expect(view.perVariant).toBe(6958);
    expect(view.warnings).toEqual([
      "The baseline 0.76 of Helpfulness is outside its 1–5 scale, so its plan is wrong. If 0.76 is the normalised score (3.8 of 5), read Helpfulness as the normalised score; as a mean it needs a baseline on the 1–5 scale, e.g. 3.8.",
    ]);
    expect(baselineScaleWarning(wrong)).toBe(view.warnings[0]);
    // The one-click fix keeps 0.76 as the normalised score.
    expect(withReading(wrong, "PROPORTION")).toMatchObject({ kind: "PROPORTION", baseline: 0.76 });
    expect(baselineScaleWarning({ ...wrong, baseline: 3.8 })).toBeNull();
  });

  it("a normalised score's baseline from the logs divides the judge's 1-5 scores by 5", () => {
    const view = experimentPlanView({
      metrics: [{ ...helpfulness, baseline: undefined }],
      settings: null,
      variants: two,
      histories: { Helpfulness: { n: 400, mean: 3.8, sd: 0.8 } },
    }) as ExperimentPlan;
    expect(view).toMatchObject({ baselineSource: "control-history", baseline: 0.76, perVariant: 1872 }); // 3.8 / 5
  });

  it("a proportion's baseline above 1 names the normalisation", () => {
    const r = metricSchema.safeParse({ ...helpfulness, baseline: 3.8 });
    expect(r.error!.issues[0].message).toBe(
      "baseline of a proportion must be between 0 and 1; for the normalised score, divide the score by 5",
    );
  });
});

describe("metric templates", () => {
  it.each(metricTemplates.map((t) => [t.name, t] as const))("%s validates against metricSchema and explains why it matters", (_name, t) => {
    expect(metricSchema.safeParse(templateMetric(t)).success).toBe(true);
    expect(t.description.length).toBeGreaterThan(20);
  });
  it("covers the guide's scorecard", () => {
    expect(metricTemplates.map((t) => [t.name, t.role, t.kind])).toEqual([
      ["Helpfulness", "GOAL", "PROPORTION"],
      ["Goal completion rate", "GOAL", "PROPORTION"],
      ["Harmful response rate", "GUARDRAIL", "PROPORTION"],
      ["Latency P95", "GUARDRAIL", "QUANTILE"],
      ["Cost per interaction", "GUARDRAIL", "MEAN"],
      ["User feedback", "GOAL", "PROPORTION"],
    ]);
  });
});

describe("start rules", () => {
  const hypothesis = { change: "the system prompt", expectation: "helpfulness to rise by 5%", reason: "structure helps" };
  const variants = [
    { key: "A", isControl: true, weight: 50, config: { model: "m", systemPrompt: "p1" } },
    { key: "B", isControl: false, weight: 50, config: { model: "m", systemPrompt: "p2" } },
  ];
  const design = {
    hypothesis,
    variableUnderTest: "SYSTEM_PROMPT" as const,
    gatewayEnabled: false,
    variants,
    metrics: [{ role: "GOAL" as const }],
  };
  it("a complete design has no problems", () => expect(designProblems(design)).toEqual([]));
  it("an archived draft does not start: it would run while missing from the list", () => {
    expect(startProblems({ ...design, status: "DRAFT", archived: true })).toEqual([
      "This draft is archived: unarchive it (it returns to the list) before starting it.",
    ]);
    expect(startProblems({ ...design, status: "DRAFT", archived: false })).toEqual([]);
  });
  it("names every broken rule", () => {
    const problems = startProblems({
      ...design,
      status: "RUNNING",
      hypothesis: { change: "", expectation: "", reason: "" },
      archived: false,
      gatewayEnabled: true,
      variants: [{ key: "A", isControl: false, weight: 40, config: {} }],
      metrics: [{ role: "GUARDRAIL" }],
    });
    expect(problems).toEqual([
      "Only a draft can be started; this experiment is RUNNING.",
      "Complete the hypothesis: write what you change (“If we change …”), what you expect to happen (“we expect …”) and why you expect it (“because …”).",
      "Add at least 2 variants (a control and a treatment); there is 1.",
      "Mark exactly one variant as the control; 0 are marked.",
      "Make the variant weights sum to 100; they sum to 40.",
      "Add at least one GOAL metric: the outcome the hypothesis expects to move.",
      "Set a model for variant A.",
      "The gateway serves this experiment: set an endpoint for variant A.",
    ]);
  });
  it("a 0% variant is not an arm: a 100/0 split (or a control at 0%) cannot start", () => {
    const split = (a: number, b: number) => [
      { ...variants[0], weight: a },
      { ...variants[1], weight: b },
    ];
    expect(designProblems({ ...design, variants: split(100, 0) })).toEqual([
      "Give at least one variant besides the control a weight above 0: with every treatment at 0% there is nothing to compare.",
    ]);
    expect(designProblems({ ...design, variants: split(0, 100) })).toEqual([
      "Give the control (A) a weight above 0: it is what every treatment is compared with.",
    ]);
    expect(
      designProblems({
        ...design,
        variants: [...split(90, 10), { key: "C", isControl: false, weight: 0, config: { model: "m", systemPrompt: "p3" } }],
      }),
    ).toEqual([]);
  });
  it("a hypothesis part without a word (zero-width characters, a lone full stop) is missing, and the sentence shows it as missing", () => {
    const blank = { change: "\u200b", expectation: "\u200b\u200b", reason: "." };
    expect(designProblems({ ...design, hypothesis: blank })).toEqual([
      "Complete the hypothesis: write what you change (“If we change …”), what you expect to happen (“we expect …”) and why you expect it (“because …”).",
    ]);
    expect(hypothesisSentence(blank)).toBe("");
    expect(hypothesisSentence({ ...blank, change: "the prompt" })).toBe("If we change the prompt, we expect …, because ….");
  });
  it("a hypothesis part of only whitespace is missing, and only the missing parts are named", () => {
    expect(designProblems({ ...design, hypothesis: { ...hypothesis, expectation: " \n\t ", reason: "" } })).toEqual([
      "Complete the hypothesis: write what you expect to happen (“we expect …”) and why you expect it (“because …”).",
    ]);
  });
  it("variants with the same configuration after canonicalising (key order, surrounding whitespace, line ends, empty values) are identical", () => {
    const same = [
      { key: "A", isControl: true, weight: 34, config: { model: "m", systemPrompt: "Be kind.\r\nBe brief.", rag: {} } },
      { key: "B", isControl: false, weight: 33, config: { systemPrompt: "  Be kind.\nBe brief.\n", toolUsePrompt: "", model: "m" } },
      { key: "C", isControl: false, weight: 33, config: { model: "m", systemPrompt: "Be kind and brief." } },
    ];
    expect(identicalVariantGroups(same)).toEqual([["A", "B"]]);
    expect(designProblems({ ...design, variants: same })).toEqual([
      "Variants A and B have the same configuration, so the test could only measure noise: change the system prompt (the variable under test) so each variant differs.",
    ]);
    expect(
      designProblems({ ...design, variableUnderTest: "OTHER", variants: [same[0], same[1]].map((v) => ({ ...v, weight: 50 })) }),
    ).toEqual([
      "Variants A and B have the same configuration, so the test could only measure noise: make each variant differ in what you test.",
    ]);
  });
  it("a difference anywhere in the configuration, even a number's value or a label, is a difference", () => {
    const a = { key: "A", isControl: true, weight: 50, config: { model: "m", temperature: 0.7 } };
    expect(identicalVariantGroups([a, { ...a, key: "B", config: { model: "m", temperature: 0.2 } }])).toEqual([]);
    expect(identicalVariantGroups([a, { ...a, key: "B", config: { model: "m", temperature: 0.7, systemPromptVersion: "v2" } }])).toEqual(
      [],
    );
    expect(identicalVariantGroups([a, { ...a, key: "B", config: { temperature: 0.7, model: "m" } }])).toEqual([["A", "B"]]);
  });
});

describe("hypothesis effect against the goal metric's MDE", () => {
  const helpfulness = goal();
  it.each([
    ["helpfulness to rise by at least 5%", "agrees"],
    ["helpfulness to rise by 5 percent", "agrees"],
    ["helpfulness to rise by at least 5% with P95 latency within 10%", "agrees"],
    ["helpfulness to rise", "unstated"],
    ["v2.1 of the prompt to be more helpful", "unstated"],
    ["helpfulness to rise by at least 10%", "differs"],
    ["helpfulness to rise by 2%", "differs"],
  ])("%s: %s", (expectation, status) => {
    expect(hypothesisEffect(expectation, [helpfulness], null)?.status).toBe(status);
  });
  it("says how a smaller or larger stated effect disagrees with the 5% MDE", () => {
    const smaller = hypothesisEffect("helpfulness to rise by 2%", [helpfulness], null)!;
    expect(smaller).toMatchObject({ status: "differs", relation: "smaller", stated: { value: 2, unit: "percent", text: "2%" } });
    expect(hypothesisEffectMessage(smaller)).toBe(
      "The hypothesis expects 2%, but the test is sized to detect a 5% rise in Helpfulness (normalised) (its MDE): an effect as small as the one expected could be missed. Make them agree.",
    );
    const larger = hypothesisEffect("helpfulness to rise by at least 10%", [helpfulness], null)!;
    expect(larger).toMatchObject({ status: "differs", relation: "larger" });
    expect(hypothesisEffectMessage(larger)).toContain("a smaller effect than expected");
  });
  it("absolute MDEs: percentage points of a proportion, plain numbers of a mean; a percentage is then another unit", () => {
    const rate = goal({ name: "Goal completion rate", mde: 0.02, mdeAbsolute: true, baseline: 0.6 });
    expect(hypothesisEffect("completion to rise by 2 percentage points", [rate], null)?.status).toBe("agrees");
    expect(hypothesisEffect("completion to rise by 2 pp", [rate], null)?.status).toBe("agrees");
    expect(hypothesisEffect("completion to rise by 0.02", [rate], null)?.status).toBe("agrees");
    expect(hypothesisEffect("completion to rise by 2%", [rate], null)).toMatchObject({ status: "differs", relation: "other-unit" });
    const score = goal({ name: "Helpfulness", kind: "MEAN", mde: 0.2, mdeAbsolute: true, baseline: 3.8, baselineSd: 0.8 });
    const effect = hypothesisEffect("the score to rise by 0.2 points on the 1-5 scale", [score], null)!;
    expect(effect).toMatchObject({ status: "agrees", sized: "a rise of 0.2 in Helpfulness" });
    expect(
      hypothesisEffect("latency to fall", [goal({ name: "Latency", kind: "MEAN", direction: "DECREASE", mde: -0.1 })], null),
    ).toMatchObject({
      status: "unstated",
      sized: "a 10% fall in Latency",
      mdeText: "10%",
    });
  });
  it("reads the goal metric the plan sizes, else the first goal metric; none without a goal metric", () => {
    const second = goal({ name: "Goal completion rate", mde: 0.1 });
    expect(
      hypothesisEffect("by 10%", [helpfulness, second], {
        metricName: "Goal completion rate",
        alpha: 0.05,
        power: 0.8,
        correction: "none",
        effectSize: "guide",
      })?.status,
    ).toBe("agrees");
    expect(hypothesisEffect("by 10%", [helpfulness, second], null)?.status).toBe("differs");
    expect(hypothesisEffect("by 10%", [goal({ role: "GUARDRAIL" })], null)).toBeNull();
    expect(hypothesisEffect("  ", [helpfulness], null)).toBeNull();
  });
  it("rewrites the expectation to state the MDE, and turns a stated effect into an MDE", () => {
    const differs = hypothesisEffect("helpfulness to rise by at least 10% this month", [helpfulness], null)!;
    expect(expectationWithMde("helpfulness to rise by at least 10% this month", differs)).toBe(
      "helpfulness to rise by at least 5% this month",
    );
    const unstated = hypothesisEffect("helpfulness to rise.", [helpfulness], null)!;
    expect(expectationWithMde("helpfulness to rise.", unstated)).toBe("helpfulness to rise by at least 5%");
    expect(mdeOfStatedEffect(statedEffects("by 10%")[0], helpfulness)).toEqual({ mde: 0.1, mdeAbsolute: false });
    expect(mdeOfStatedEffect(statedEffects("by 3 pp")[0], helpfulness)).toEqual({ mde: 0.03, mdeAbsolute: true });
    expect(mdeOfStatedEffect(statedEffects("by 0.3")[0], goal({ kind: "MEAN" }))).toEqual({ mde: 0.3, mdeAbsolute: true });
  });
});

describe("experimentDesignMarkdown", () => {
  const input = createExperimentSchema.parse({
    key: "support-persona-structured",
    name: "Support persona",
    hypothesis: { change: "the system prompt", expectation: "helpfulness to rise by at least 5%", reason: "structure helps" },
    variableUnderTest: "SYSTEM_PROMPT",
    variants: [
      {
        key: "A",
        name: "Generic",
        isControl: true,
        weight: 50,
        config: { model: "Llama-4-Scout-17B-16E-Instruct-FP8", systemPrompt: GUIDE_PROMPT_A, systemPromptVersion: "v1.0-generic" },
      },
      {
        key: "B",
        name: "Structured",
        weight: 50,
        config: {
          model: "Llama-4-Scout-17B-16E-Instruct-FP8",
          systemPrompt: GUIDE_PROMPT_B,
          systemPromptVersion: "v2.1-structured-steps",
          temperature: 0.2,
        },
      },
    ],
    metrics: [
      goal(),
      {
        name: "Latency P95",
        role: "GUARDRAIL",
        kind: "QUANTILE",
        field: "latency_ms",
        direction: "DECREASE",
        mde: 0.1,
        nonInferiorityMargin: 0.1,
      },
    ],
    plan: { dailyTraffic: 2000 },
  });
  const variants = input.variants.map((v, i) => ({ ...v, id: `v${i}`, configVersion: i + 1, position: i }));
  const metrics = input.metrics.map((m, i) => ({ ...m, id: `m${i}`, position: i }));
  const date = new Date("2026-01-02T03:04:05Z");
  const detail: ExperimentDetail = {
    id: "e1",
    key: input.key,
    name: input.name,
    description: "",
    hypothesisChange: input.hypothesis.change,
    hypothesisExpectation: input.hypothesis.expectation,
    hypothesisReason: input.hypothesis.reason,
    variableUnderTest: input.variableUnderTest,
    status: "RUNNING",
    ownerId: "u1",
    coverage: 1,
    allocation: "FIXED",
    gatewayEnabled: false,
    rampPlan: null,
    planSettings: input.plan!,
    singleVariableReason: "Temperature 0.2 is part of the structured persona's recipe.",
    correction: "holm",
    sequential: false,
    forcedUsers: [],
    archivedAt: null,
    startedAt: date,
    stoppedAt: null,
    createdAt: date,
    updatedAt: date,
    hypothesis: input.hypothesis,
    hypothesisSentence: hypothesisSentence(input.hypothesis),
    variants,
    metrics,
    owner: { id: "u1", name: "Priya PM", email: "pm@assay.local" },
    audit: [],
    differences: configDifferences("SYSTEM_PROMPT", variants),
    undeclared: undeclaredDifferences("SYSTEM_PROMPT", variants),
    plan: experimentPlanView({ metrics, settings: input.plan!, variants: two }),
    startProblems: [],
    needsSingleVariableReason: true,
  };
  const md = experimentDesignMarkdown(detail);

  it("has the title, status, hypothesis sentence and variable", () => {
    expect(md).toMatch(/^# Support persona\n/);
    expect(md).toContain("- Status: RUNNING");
    expect(md).toContain("If we change the system prompt, we expect helpfulness to rise by at least 5%, because structure helps.");
    expect(md).toContain("Variable under test: System prompt (SYSTEM_PROMPT)");
  });
  it("has the variants table and each system prompt verbatim in a fenced block with its version label", () => {
    expect(md).toContain("| A | Generic | yes | 50% | Llama-4-Scout-17B-16E-Instruct-FP8 | v1.0-generic | v1 |");
    expect(md).toContain("System prompt (v2.1-structured-steps):");
    expect(md).toContain("```text\n" + GUIDE_PROMPT_B.trimEnd() + "\n```");
  });
  it("reports the single-variable check and the reason", () => {
    expect(md).toContain("Not clean: the variants also differ in temperature");
    expect(md).toContain("Reason given when starting: Temperature 0.2 is part");
  });
  it("has the scorecard and the plan with how n is computed", () => {
    expect(md).toContain(
      "| Helpfulness (normalised) | GOAL | PROPORTION | JUDGE_CRITERION: helpfulness | INCREASE | 5% (relative) | — | 0.76 |",
    );
    expect(md).toContain("| Latency P95 | GUARDRAIL | QUANTILE (P95) | LOG_FIELD: latency_ms | DECREASE | 10% (relative) | 0.1 | — |");
    expect(md).toContain("| 1,872 | 3,744 | 2,000 | 2 |");
    expect(md).toContain("How n is computed:");
  });
  it("a prompt containing a fence cannot close its block", () => {
    const withFence = { ...detail, variants: [{ ...variants[0], config: { systemPrompt: "a\n```\nb" } }, variants[1]] };
    expect(experimentDesignMarkdown(withFence)).toContain("````text\na\n```\nb\n````");
  });

  describe("hostile user text stays text", () => {
    const hostile = experimentDesignMarkdown({
      ...detail,
      name: "<img src=x onerror=alert(1)>\n# Injected title",
      description:
        "# Injected heading\n<script>alert(1)</script>\nA line\n===\n1. not a list\n- nor this\n> nor a quote\n[link](javascript:alert(1))",
      hypothesisSentence: "If we change [the prompt](javascript:alert(1)), we expect <b>more</b>, because *reasons*.",
      owner: { id: "u1", name: "<a href='javascript:alert(1)'>Priya</a>", email: "pm@assay.local" },
      singleVariableReason: "<iframe src=javascript:alert(1)>",
      variants: [
        {
          ...variants[0],
          name: "## Sub <u>heading</u>",
          config: { ...variants[0].config, systemPromptVersion: "v1](javascript:alert(1))" },
        },
        { ...variants[1], config: { ...variants[1].config, systemPrompt: "<script>alert(1)</script>\n# Not a heading" } },
      ],
      metrics: [{ ...metrics[0], name: "a|b <i>c</i> ~~d~~ _e_" }, metrics[1]],
    });
    /** The lines outside fenced code blocks: the only place Markdown could turn text into markup. */
    const outsideFences = (md: string) => {
      let fence: string | null = null;
      return md.split("\n").filter((line) => {
        const open = /^(`{3,})/.exec(line);
        if (fence === null && open) {
          fence = open[1];
          return false;
        }
        if (fence !== null) {
          if (line === fence) fence = null;
          return false;
        }
        return true;
      });
    };
    const lines = outsideFences(hostile);

    it("raw HTML and links are escaped: no unescaped <, [ or ] outside code blocks", () => {
      const unescaped = lines.filter((l) => /(?<!\\)[<[\]]/.test(l));
      expect(unescaped).toEqual([]);
      expect(hostile).toContain("# \\<img src=x onerror=alert(1)\\> # Injected title");
      expect(hostile).toContain(
        "If we change \\[the prompt\\](javascript:alert(1)), we expect \\<b\\>more\\</b\\>, because \\*reasons\\*.",
      );
      expect(hostile).toContain("- Owner: \\<a href='javascript:alert(1)'\\>Priya\\</a\\>");
      expect(hostile).toContain("Reason given when starting: \\<iframe src=javascript:alert(1)\\>");
      expect(hostile).toContain("System prompt (v1\\](javascript:alert(1))):");
      expect(hostile).toContain("| a\\|b \\<i\\>c\\</i\\> \\~\\~d\\~\\~ \\_e\\_ | GOAL |");
    });

    it("user text cannot add headings, lists, quotes or setext underlines", () => {
      expect(lines.filter((l) => l.startsWith("#"))).toEqual([
        "# \\<img src=x onerror=alert(1)\\> # Injected title",
        "## Hypothesis",
        "## Variants",
        `### Variant A: \\## Sub \\<u\\>heading\\</u\\> (control)`,
        "### Variant B: Structured",
        "## Single-variable check",
        "## Scorecard",
        "## Plan",
      ]);
      const description = hostile.slice(hostile.indexOf("\\# Injected heading"), hostile.indexOf("## Variants")).trim();
      expect(description.split("\n")).toEqual([
        "\\# Injected heading",
        "\\<script\\>alert(1)\\</script\\>",
        "A line",
        "\\===",
        "1\\. not a list",
        "\\- nor this",
        "\\> nor a quote",
        "\\[link\\](javascript:alert(1))",
      ]);
    });

    it("a prompt keeps its exact text inside its fence", () => {
      expect(hostile).toContain("```text\n<script>alert(1)</script>\n# Not a heading\n```");
    });
  });
});
