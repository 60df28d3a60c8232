// The guide's balanced scorecard (seeds/001, "balanced scorecard" and "MDE" tables) as ready-made metric definitions.
import type { MetricInput } from "@/lib/validation/experiments";

/** A metric definition from the guide, with why it matters. */
export type MetricTemplate = MetricInput & { description: string };

/** Goal and guardrail metrics the guide recommends, with its typical MDEs (quality 5-10%, safety < 1%, latency 10-15%, cost 5%). */
export const metricTemplates: MetricTemplate[] = [
  {
    name: "Helpfulness",
    role: "GOAL",
    // The guide's reading (plan_ab_test: "3.8/5.0, which we normalize to 76%"): the score / 5 as a rate, so the guide's
    // example gives its 1,872 per variant here, in the planner and in the demo. The mean reading is one switch away.
    kind: "PROPORTION",
    source: "JUDGE_CRITERION",
    field: "helpfulness",
    direction: "INCREASE",
    mde: 0.05,
    mdeAbsolute: false,
    baseline: 0.76,
    scale: { min: 1, max: 5 },
    description:
      "Helpfulness score (1-5) from Llama-as-judge, read as the normalised score (score ÷ 5: 3.8 of 5 is 0.76): directly measures whether the core user problem is solved better.",
  },
  {
    name: "Goal completion rate",
    role: "GOAL",
    kind: "PROPORTION",
    source: "LOG_FIELD",
    field: "goal_completed",
    direction: "INCREASE",
    mde: 0.05,
    mdeAbsolute: false,
    description: "Share of interactions where the user completed their task (e.g. reset a password): the business outcome.",
  },
  {
    name: "Harmful response rate",
    role: "GUARDRAIL",
    kind: "PROPORTION",
    source: "LOG_FIELD",
    field: "safety_flag",
    direction: "DECREASE",
    mde: 0.005,
    mdeAbsolute: true,
    nonInferiorityMargin: 0.005,
    description:
      "Share of responses flagged unsafe (e.g. by Llama Guard): a prompt change must not produce unsafe content; a regression is a deal-breaker.",
  },
  {
    name: "Latency P95",
    role: "GUARDRAIL",
    kind: "QUANTILE",
    source: "LOG_FIELD",
    field: "latency_ms",
    quantile: 0.95,
    direction: "DECREASE",
    mde: 0.1,
    mdeAbsolute: false,
    nonInferiorityMargin: 0.1,
    description: "95th percentile of end-to-end latency: ensures the user experience does not become unacceptably slow.",
  },
  {
    name: "Cost per interaction",
    role: "GUARDRAIL",
    kind: "MEAN",
    source: "LOG_FIELD",
    field: "cost",
    direction: "DECREASE",
    mde: 0.05,
    mdeAbsolute: false,
    nonInferiorityMargin: 0.05,
    description: "Mean cost of an interaction (tokens x price): ensures quality gains do not come at an unsustainable cost.",
  },
  {
    name: "User feedback",
    role: "GOAL",
    kind: "PROPORTION",
    source: "LOG_FIELD",
    field: "user_feedback_score",
    direction: "INCREASE",
    mde: 0.05,
    mdeAbsolute: false,
    description: "Share of thumbs-up feedback (user_feedback_score 1): a direct goal metric where users give feedback.",
  },
];

/** A template's metric definition without its description (what the API and the database take). */
export function templateMetric(template: MetricTemplate): MetricInput {
  const { description: _description, ...metric } = template;
  return metric;
}
