// The decision matrix and its deploy rules (lib/decision/matrix.ts): a table of results -> recommendation and reasons.
// The base case is the guide's decision matrix (seeds/001): A control; B new prompt: deploy; C larger model: do not deploy,
// "3x the cost" ($2.50 / $0.80 = 3.125x); D fine-tuned: do not deploy, safety regression (4.8 -> 4.7).
import { describe, expect, it } from "vitest";
import { decisionMatrix } from "@/lib/decision/matrix";
import { DEFAULT_DECISION_RULES } from "@/lib/decision/presets";
import type { DecisionRules } from "@/lib/decision/matrix.types";
import { decisionRulesSchema, requestReviewSchema, reviewVerdictSchema } from "@/lib/validation/decisions";
import { guideResults, metric, results } from "../support/resultsFixture";

const clear: DecisionRules = { ...DEFAULT_DECISION_RULES };
const row = (m: ReturnType<typeof decisionMatrix>, variant: string) => m.rows.find((r) => r.variant === variant)!;
const cell = (m: ReturnType<typeof decisionMatrix>, variant: string, column: string) =>
  row(m, variant).cells.find((c) => c.column === column)!;

describe("the guide's decision matrix", () => {
  const m = decisionMatrix(guideResults(), clear);

  it("has the guide's columns, the control first, and the guide's decisions", () => {
    expect(m.columns.map((c) => c.label)).toEqual(["Quality", "Latency P95", "Safety", "Cost per 1k requests"]);
    expect(m.rows.map((r) => [r.variant, r.recommendation])).toEqual([
      ["A", null],
      ["B", "deploy"],
      ["C", "doNotDeploy"],
      ["D", "doNotDeploy"],
    ]);
    expect(m.proposal).toBe("B");
  });

  it("gives each decision the guide's reason, with the metric and the number", () => {
    expect(row(m, "B").reasons).toEqual([
      "Helpfulness rose from 4.1 to 4.5 (+9.8%, 95% CI +5% to +14%): significantly better after correction.",
      "No guardrail got worse past its margin (Latency P95, Safety score).",
      "Cost per 1k requests is 1.19x the control's ($0.95 against $0.80), within the 3x limit.",
    ]);
    // C: 2.50 / 0.80 = 3.125 (the guide's "3x the cost"), and P95 +89% (1,800 / 950 - 1) past the +20% margin.
    expect(row(m, "C").reasons).toEqual([
      "Cost per 1k requests is 3.13x the control's ($2.50 against $0.80), past the 3x limit.",
      "Latency P95 rose from 950 ms to 1,800 ms (+89%, 95% CI +80% to +98%): past its 20% margin on a guardrail.",
    ]);
    expect(row(m, "D").reasons).toEqual([
      "Safety score fell from 4.8 to 4.7 (−2.1%, 95% CI −3.5% to −0.7%): any safety regression blocks a deploy.",
    ]);
  });

  it("says what every cell's status means in words", () => {
    expect(cell(m, "A", "quality")).toMatchObject({ status: "baseline", statusText: "Control (baseline)" });
    expect(cell(m, "B", "quality")).toMatchObject({ status: "better", statusText: "Significantly better" });
    expect(cell(m, "B", "latency")).toMatchObject({ status: "neutral", statusText: "Worse, but within the 20% margin" });
    expect(cell(m, "C", "latency")).toMatchObject({ status: "worse", statusText: "Significantly worse, past the 20% margin" });
    expect(cell(m, "B", "safety")).toMatchObject({ status: "neutral", statusText: "No significant change" });
    expect(cell(m, "D", "safety")).toMatchObject({ status: "worse", statusText: "Significantly worse: any safety regression counts" });
    expect(cell(m, "C", "cost")).toMatchObject({ status: "worse", statusText: "3.13x the control's cost, past the 3x limit" });
    expect(cell(m, "B", "cost")).toMatchObject({ status: "untested", statusText: "1.19x the control's cost; not tested for significance" });
    const costB = cell(m, "B", "cost").readings[0];
    expect(costB.ratio).toBeCloseTo(0.95 / 0.8, 12);
    expect(costB.delta).toBeCloseTo(0.15, 12);
    for (const r of m.rows) for (const c of r.cells) expect(c.statusText.length).toBeGreaterThan(5);
  });
});

// Each case: the results (changed from the guide's), the rules, and the expected recommendation and reasons of one variant.
interface Case {
  name: string;
  results: ReturnType<typeof guideResults>;
  rules?: Partial<DecisionRules>;
  variant: string;
  recommendation: string;
  reasons: (string | RegExp)[];
}

const helpfulness = (effects: Parameters<typeof metric>[0]["effects"], values = { A: 4.1, B: 4.5 }) =>
  metric({ metric: "Helpfulness", field: "helpfulness", values, effects });
const harmful = (effect: Parameters<typeof metric>[0]["effects"][string], values = { A: 0.004, B: 0.009 }) =>
  metric({
    metric: "Harmful response rate",
    role: "GUARDRAIL",
    kind: "PROPORTION",
    field: "safety_flag",
    direction: "DECREASE",
    margin: 0.005,
    marginAbsolute: true,
    values,
    effects: { B: effect },
  });
const win = { sig: true, relCi: [0.05, 0.145] as [number, number] };
const none = { sig: false, relCi: [-0.02, 0.05] as [number, number] };

const cases: Case[] = [
  {
    name: "a cost ratio past a raised limit still blocks; one within it does not (C at 3.125x, limit 4: only its latency blocks)",
    results: guideResults(),
    rules: { costRatioLimit: 4 },
    variant: "C",
    recommendation: "doNotDeploy",
    reasons: ["Latency P95 rose from 950 ms to 1,800 ms (+89%, 95% CI +80% to +98%): past its 20% margin on a guardrail."],
  },
  {
    name: "no cost limit: the cost is reported, never a reason not to deploy",
    results: results({ metrics: [helpfulness({ B: win })], costs: { A: 0.8, B: 4 } }),
    rules: { costRatioLimit: null },
    variant: "B",
    recommendation: "deploy",
    reasons: [/^Helpfulness rose from 4\.1 to 4\.5/, "Cost per 1k requests is 5x the control's ($4.00 against $0.80)."],
  },
  {
    name: "a sample-ratio mismatch blocks a deploy",
    results: guideResults({ srm: { chi2: 40, df: 3, pValue: 0.00001, flag: true } }),
    variant: "B",
    recommendation: "inconclusive",
    reasons: [/^The split of users does not match the traffic weights \(sample-ratio mismatch, p = 0\.00001\)/],
  },
  {
    name: "a sample-ratio mismatch does not hide a safety regression",
    results: guideResults({ srm: { chi2: 40, df: 3, pValue: 0.00001, flag: true } }),
    variant: "D",
    recommendation: "doNotDeploy",
    reasons: [/^Safety score fell from 4\.8 to 4\.7/],
  },
  {
    name: "under-powered and nothing significant: keep running",
    results: results({
      metrics: [helpfulness({ B: none }, { A: 4.1, B: 4.15 })],
      sample: { plannedPerVariant: 1872, currentPerVariant: 748, fraction: 748 / 1872, eta: null },
    }),
    variant: "B",
    recommendation: "keepRunning",
    reasons: [
      "748 of 1,872 per variant so far (40% of the planned sample): keep running until the planned sample is in.",
      "Helpfulness rose from 4.1 to 4.15 (+1.2%, 95% CI −2% to +5%): no significant change.",
    ],
  },
  {
    name: "under-powered with a significant win on a fixed-horizon test: keep running (an early lead is not conclusive)",
    results: results({
      metrics: [helpfulness({ B: win })],
      sample: { plannedPerVariant: 1872, currentPerVariant: 748, fraction: 748 / 1872, eta: null },
    }),
    variant: "B",
    recommendation: "keepRunning",
    reasons: [
      /^748 of 1,872 per variant so far/,
      /significantly better after correction, but a fixed-horizon test read before its planned sample/,
    ],
  },
  {
    name: "under-powered with a significant win on a sequential test: deploy (always-valid intervals may be read at any time)",
    results: results({
      metrics: [helpfulness({ B: win })],
      sequential: true,
      sample: { plannedPerVariant: 1872, currentPerVariant: 748, fraction: 748 / 1872, eta: null },
    }),
    variant: "B",
    recommendation: "deploy",
    reasons: [/^Helpfulness rose from 4\.1 to 4\.5/],
  },
  {
    name: "the planned sample is in and the goal did not move: inconclusive",
    results: results({ metrics: [helpfulness({ B: none }, { A: 4.1, B: 4.15 })] }),
    variant: "B",
    recommendation: "inconclusive",
    reasons: [/no significant change\.$/, "The planned sample is in: the change was not shown to be better."],
  },
  {
    name: "no plan and no win: inconclusive, saying that running longer has no set end",
    results: results({
      metrics: [helpfulness({ B: none }, { A: 4.1, B: 4.15 })],
      sample: { plannedPerVariant: null, currentPerVariant: 900, fraction: null, eta: null },
    }),
    variant: "B",
    recommendation: "inconclusive",
    reasons: [/no significant change\.$/, "The experiment has no planned sample size, so running longer has no set end."],
  },
  {
    name: "do no harm: the planned sample is in and nothing got worse: deploy without a win",
    results: results({ metrics: [helpfulness({ B: none }, { A: 4.1, B: 4.15 })], costs: { A: 0.8, B: 0.4 } }),
    rules: { preset: "doNoHarm" },
    variant: "B",
    recommendation: "deploy",
    reasons: [
      "The planned sample is in and no goal or guardrail got significantly worse.",
      "Cost per 1k requests is 0.5x the control's ($0.40 against $0.80), within the 3x limit.",
    ],
  },
  {
    name: "do no harm: under the planned sample: keep running",
    results: results({
      metrics: [helpfulness({ B: none })],
      sample: { plannedPerVariant: 1872, currentPerVariant: 748, fraction: 748 / 1872, eta: null },
    }),
    rules: { preset: "doNoHarm" },
    variant: "B",
    recommendation: "keepRunning",
    reasons: ['748 of 1,872 per variant so far (40% of the planned sample): "Do no harm" deploys only once the planned sample is in.'],
  },
  {
    name: "do no harm: without a plan: inconclusive",
    results: results({
      metrics: [helpfulness({ B: none })],
      sample: { plannedPerVariant: null, currentPerVariant: 748, fraction: null, eta: null },
    }),
    rules: { preset: "doNoHarm" },
    variant: "B",
    recommendation: "inconclusive",
    reasons: [/^The experiment has no planned sample size: "Do no harm" deploys only once a planned sample is in/],
  },
  {
    name: "a goal significantly worse: do not deploy, under either preset",
    results: results({ metrics: [helpfulness({ B: { sig: true, relCi: [-0.1, -0.02] } }, { A: 4.1, B: 3.85 })] }),
    rules: { preset: "doNoHarm" },
    variant: "B",
    recommendation: "doNotDeploy",
    reasons: ["Helpfulness fell from 4.1 to 3.85 (−6.1%, 95% CI −10% to −2%): the goal got significantly worse."],
  },
  {
    name: "the harmful-response rate significantly up, even within its margin: any safety regression blocks",
    results: results({ metrics: [helpfulness({ B: win }), harmful({ sig: true, relCi: [0.2, 1.0] }, { A: 0.004, B: 0.006 })] }),
    variant: "B",
    recommendation: "doNotDeploy",
    reasons: [
      "Harmful responses rose from 0.4% to 0.6% (+0.2 points, 95% CI +0.08 points to +0.4 points): any safety regression blocks a deploy.",
    ],
  },
  {
    name: "the harmful-response rate up but not significantly: no block",
    results: results({ metrics: [helpfulness({ B: win }), harmful({ sig: false, relCi: [-0.2, 1.5] })] }),
    variant: "B",
    recommendation: "deploy",
    reasons: [/^Helpfulness rose/, "No guardrail got worse past its margin (Harmful responses)."],
  },
  {
    name: "the engine's non-inferiority test decides the margin: significantly worse and not shown within it -> do not deploy",
    results: results({
      metrics: [
        helpfulness({ B: win }),
        metric({
          metric: "Latency P95",
          role: "GUARDRAIL",
          kind: "QUANTILE",
          field: "latency_ms",
          direction: "DECREASE",
          margin: 0.1,
          values: { A: 950, B: 1000 },
          effects: { B: { sig: true, relCi: [0.01, 0.09], nonInferiority: { margin: 0.1, bound: 0.11, pValue: 0.08, passed: false } } },
        }),
      ],
    }),
    variant: "B",
    recommendation: "doNotDeploy",
    reasons: ["Latency P95 rose from 950 ms to 1,000 ms (+5.3%, 95% CI +1% to +9%): past its 10% margin on a guardrail."],
  },
  {
    name: "a treatment without data yet: keep running while under the planned sample",
    results: results({
      metrics: [helpfulness({}, { A: 4.1, B: 4.2 })],
      sample: { plannedPerVariant: 1872, currentPerVariant: 0, fraction: 0, eta: null },
    }),
    variant: "B",
    recommendation: "keepRunning",
    reasons: [/^0 of 1,872 per variant so far/, "Helpfulness has too little data to compare yet."],
  },
  {
    name: "a scorecard without a goal metric: inconclusive",
    results: results({ metrics: [harmful({ sig: false, relCi: [-0.2, 1.5] })] }),
    variant: "B",
    recommendation: "inconclusive",
    reasons: ["The scorecard has no goal metric: add one to decide on."],
  },
];

describe("recommendations: results x rules -> recommendation and reasons", () => {
  it.each(cases)("$name", (c) => {
    const m = decisionMatrix(c.results, { ...clear, ...c.rules });
    const r = row(m, c.variant);
    expect(r.recommendation).toBe(c.recommendation);
    expect(r.reasons).toHaveLength(c.reasons.length);
    c.reasons.forEach((expected, i) =>
      typeof expected === "string" ? expect(r.reasons[i]).toBe(expected) : expect(r.reasons[i]).toMatch(expected),
    );
  });
});

describe("columns", () => {
  it("other scorecard metrics get a column each; a latency mean shows its P95 untested and is tested as a mean in its own column", () => {
    const m = decisionMatrix(
      results({
        metrics: [
          helpfulness({ B: win }),
          metric({
            metric: "Latency",
            role: "GUARDRAIL",
            field: "latency_ms",
            direction: "DECREASE",
            values: { A: 900, B: 880 },
            effects: { B: none },
          }),
          metric({
            metric: "Goal completion rate",
            kind: "PROPORTION",
            field: "goal_completed",
            values: { A: 0.6, B: 0.63 },
            effects: { B: none },
          }),
        ],
      }),
      clear,
    );
    expect(m.columns.map((c) => c.id)).toEqual(["quality", "latency", "metric:Latency", "metric:Goal completion rate"]);
    expect(cell(m, "B", "latency")).toMatchObject({
      status: "untested",
      statusText: "Not tested: the scorecard has no P95 latency metric",
    });
    expect(cell(m, "B", "metric:Goal completion rate").readings[0]).toMatchObject({ unit: "percent", value: 0.63, controlValue: 0.6 });
  });

  it("the proposal is the deploy row with the largest goal improvement", () => {
    const m = decisionMatrix(
      results({ metrics: [helpfulness({ B: win, C: { sig: true, relCi: [0.1, 0.2] } }, { A: 4.1, B: 4.5, C: 4.7 } as never)] }),
      clear,
    );
    expect(m.rows.filter((r) => r.recommendation === "deploy").map((r) => r.variant)).toEqual(["B", "C"]);
    expect(m.proposal).toBe("C");
  });
});

describe("the decision step's input schemas", () => {
  it("rules default to clear signals and a 3x cost limit; out-of-range limits are refused naming the field", () => {
    expect(decisionRulesSchema.parse({})).toEqual({ preset: "clearSignals", costRatioLimit: 3 });
    expect(decisionRulesSchema.parse({ preset: "doNoHarm", costRatioLimit: null })).toEqual({ preset: "doNoHarm", costRatioLimit: null });
    for (const bad of [{ costRatioLimit: 0.5 }, { costRatioLimit: 1e9 }, { costRatioLimit: "3" }, { preset: "yolo" }, { extra: 1 }])
      expect(decisionRulesSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });

  it("a verdict needs a comment that says something, within 2,000 characters, without control or text-direction characters", () => {
    expect(reviewVerdictSchema.parse({ comment: "Quality up, cost fine." })).toEqual({ comment: "Quality up, cost fine." });
    for (const comment of [undefined, "", "   ", "…!", "x".repeat(2001), "ok\u0000", "ok \u202Eevil", 42]) {
      const parsed = reviewVerdictSchema.safeParse(comment === undefined ? {} : { comment });
      expect(parsed.success, JSON.stringify(comment)).toBe(false);
      expect(parsed.error!.issues[0].path).toEqual(["comment"]);
    }
    expect(requestReviewSchema.safeParse({ variant: "B; drop table" }).success).toBe(false);
  });
});
