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
