// The decision criteria an experiment can use (after GrowthBook's "Clear Signals" and "Do No Harm" presets), and the
// defaults every experiment starts with. One source: the rules schema, the matrix, the settings form and the docs read these.

export const DECISION_PRESET_KEYS = ["clearSignals", "doNoHarm"] as const;
export type DecisionPreset = (typeof DECISION_PRESET_KEYS)[number];

/** What each preset deploys on, in the words the settings form and the matrix show. */
export const DECISION_PRESETS: Record<DecisionPreset, { label: string; description: string }> = {
  clearSignals: {
    label: "Clear signals",
    description:
      "Deploy when a goal metric improves significantly and no guardrail gets worse past its margin. Before the planned sample is in, only a sequential test can call a win.",
  },
  doNoHarm: {
    label: "Do no harm",
    description:
      "Deploy once the planned sample is in when no goal or guardrail got significantly worse, even without a significant win (for changes made for another reason, such as a cheaper model).",
  },
};

/** The guide's example of a variant too costly to ship: "3x the cost" of the control (seeds/001, decision matrix). */
export const DEFAULT_COST_RATIO_LIMIT = 3;

/** The rules an experiment starts with: clear signals, and no variant above 3x the control's cost per 1k requests. */
export const DEFAULT_DECISION_RULES = { preset: "clearSignals", costRatioLimit: DEFAULT_COST_RATIO_LIMIT } as const;
