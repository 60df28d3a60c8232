/** The API reference's minimal experiment (README, "API"): a DRAFT that can be started as it is. */
export function minimalExperimentBody(key: string) {
  return {
    key,
    name: "Support persona",
    variableUnderTest: "SYSTEM_PROMPT",
    hypothesis: {
      change: "the system prompt to an Acme persona",
      expectation: "helpfulness to rise by at least 5%",
      reason: "a persona gives focused answers",
    },
    variants: [
      {
        key: "A",
        name: "Generic",
        isControl: true,
        weight: 50,
        config: { model: "llama-4-scout", systemPrompt: "You are a helpful customer support agent." },
      },
      {
        key: "B",
        name: "Persona",
        weight: 50,
        config: { model: "llama-4-scout", systemPrompt: "You are a customer support expert for Acme Inc." },
      },
    ],
    metrics: [{ name: "helpfulness", role: "GOAL", kind: "MEAN", direction: "INCREASE", mde: 0.05 }],
  };
}

/**
 * A design the ramp's automatic check can judge: helpfulness as the goal, with a sample size plan (so its intervals
 * are peeking-safe), and P95 latency as a guardrail with a 10% non-inferiority margin.
 */
export function guardrailExperimentBody(key: string) {
  return {
    ...minimalExperimentBody(key),
    metrics: [
      { name: "helpfulness", role: "GOAL", kind: "MEAN", direction: "INCREASE", mde: 0.05, baseline: 3.8, baselineSd: 1 },
      {
        name: "latency_ms",
        role: "GUARDRAIL",
        kind: "QUANTILE",
        quantile: 0.95,
        direction: "DECREASE",
        mde: 0.1,
        nonInferiorityMargin: 0.1,
      },
    ],
    plan: { metricName: "helpfulness", dailyTraffic: 2000 },
  };
}

/** A design with a proportion goal ("resolved", 1 or 0 per interaction) and a sample size plan: what Thompson sampling favours. */
export function resolvedExperimentBody(key: string) {
  return {
    ...minimalExperimentBody(key),
    metrics: [{ name: "resolved", role: "GOAL", kind: "PROPORTION", direction: "INCREASE", mde: 0.2, baseline: 0.1 }],
    plan: { metricName: "resolved", dailyTraffic: 2000 },
  };
}
