// The demo's experiments: the guide's Prompt A vs Prompt B (running), its tool-use example and one experiment per status.
// Seeded through the experiment service, so each has the audit trail a real one would have.
import type { Identity } from "@/lib/auth/identity";
import { markExperimentDecided } from "@/lib/db/experiments";
import { createExperiment, startExperiment, stopExperiment } from "@/lib/experiments/service";
import { metricTemplates, templateMetric } from "@/lib/experiments/metricTemplates";
import type { Role } from "@/lib/generated/prisma/enums";
import { createExperimentSchema, type MetricInput } from "@/lib/validation/experiments";
import { decisionRulesOf } from "@/lib/validation/decisions";
import { proposalWords } from "@/lib/reviews/service";
import { MATRIX_DEMO_KEY, matrixDemoDesign, seedMatrixDemoData } from "./decisionMatrix";

/** The guide's control prompt (seeds/001, PROMPT_A). */
export const GUIDE_PROMPT_A = "You are a helpful customer support agent.";

/** The guide's structured-persona prompt (seeds/001, PROMPT_B), verbatim. */
export const GUIDE_PROMPT_B = `You are a customer support expert for Acme Inc.
Your tone should be professional, empathetic, and concise. Do not use emojis.
Always follow these three steps:
1. Acknowledge the user's issue and validate their frustration.
2. Provide a clear, step-by-step solution.
3. Ask if the solution worked or if they need more help.
`;

/** The guide's conservative tool-use prompt (control). */
export const GUIDE_TOOL_PROMPT_CONSERVATIVE = `You have a tool 'get_stock_price(ticker)'.
Only use it if the user provides a valid stock ticker.
If the user asks for 'Apple's stock', ask for the ticker first.
`;

/** The guide's aggressive tool-use prompt (variant). */
export const GUIDE_TOOL_PROMPT_AGGRESSIVE = `You have a tool 'get_stock_price(ticker)'.
You can infer tickers. If a user asks for 'Apple's stock',
you can infer the ticker is 'AAPL' and use the tool.
`;

const SCOUT = "Llama-4-Scout-17B-16E-Instruct-FP8";
const MAVERICK = "Llama-4-Maverick-17B-128E-Instruct-FP8";
const SCOUT_PRICE = { pricePer1MInput: 0.18, pricePer1MOutput: 0.59 };
const MAVERICK_PRICE = { pricePer1MInput: 0.27, pricePer1MOutput: 0.85 };

/** The guide's structured persona (Prompt B) on Scout: the base of every demo that varies something else. */
const personaOnScout = (extra: object = {}) => ({
  model: SCOUT,
  systemPrompt: GUIDE_PROMPT_B,
  systemPromptVersion: "v2.1-structured-steps",
  ...SCOUT_PRICE,
  ...extra,
});

const template = (name: string): MetricInput => templateMetric(metricTemplates.find((t) => t.name === name)!);
const guardrails = () => [template("Harmful response rate"), template("Latency P95"), template("Cost per interaction")];

/** The guide's helpfulness 3.8 / 5 normalised to a 76% proportion, as in its plan_ab_test example (the template's reading). */
const normalisedHelpfulness: MetricInput = { ...template("Helpfulness"), name: "Helpfulness (normalised)" };

/** The demo's experiments, as API bodies (validated with the same schema as POST /api/v1/experiments). */
function demoDesigns() {
  return {
    supportPersona: {
      key: "support-persona-structured",
      name: "Support persona: generic vs structured steps",
      description: "Does a structured persona prompt make support answers more helpful?",
      hypothesis: {
        change: "the system prompt from a generic support agent to a structured persona",
        expectation: "helpfulness to rise by at least 5%",
        reason: "structured steps and empathy make answers more actionable",
      },
      variableUnderTest: "SYSTEM_PROMPT",
      variants: [
        {
          key: "A",
          name: "Generic (Prompt A)",
          isControl: true,
          weight: 50,
          config: { model: SCOUT, systemPrompt: GUIDE_PROMPT_A, systemPromptVersion: "v1.0-generic", temperature: 0.7, ...SCOUT_PRICE },
        },
        { key: "B", name: "Structured persona (Prompt B)", weight: 50, config: personaOnScout({ temperature: 0.7 }) },
      ],
      metrics: [normalisedHelpfulness, template("Goal completion rate"), template("User feedback"), ...guardrails()],
      plan: { metricName: "Helpfulness (normalised)", dailyTraffic: 2000 },
    },
    modelComparison: {
      key: "model-scout-vs-maverick",
      name: "Model: Scout vs Maverick",
      hypothesis: {
        change: "the model from Llama 4 Scout to Llama 4 Maverick",
        expectation: "helpfulness to rise by at least 5% with P95 latency within 10%",
        reason: "Maverick is built for quality-critical applications",
      },
      variableUnderTest: "MODEL",
      variants: [
        { key: "scout", name: "Llama 4 Scout", isControl: true, weight: 50, config: personaOnScout() },
        {
          key: "maverick",
          name: "Llama 4 Maverick",
          weight: 50,
          config: { model: MAVERICK, systemPrompt: GUIDE_PROMPT_B, systemPromptVersion: "v2.1-structured-steps", ...MAVERICK_PRICE },
        },
      ],
      metrics: [template("Helpfulness"), ...guardrails()],
      plan: { metricName: "Helpfulness", dailyTraffic: 2000 },
    },
    temperature: {
      key: "temperature-0-7-vs-0-2",
      name: "Temperature 0.7 vs 0.2",
      hypothesis: {
        change: "the temperature from 0.7 to 0.2",
        expectation: "the goal completion rate to rise by at least 5%",
        reason: "less sampling randomness gives more consistent step-by-step answers",
      },
      variableUnderTest: "GENERATION_PARAMETERS",
      variants: [
        { key: "t07", name: "Temperature 0.7", isControl: true, weight: 50, config: personaOnScout({ temperature: 0.7 }) },
        { key: "t02", name: "Temperature 0.2", weight: 50, config: personaOnScout({ temperature: 0.2 }) },
      ],
      metrics: [{ ...template("Goal completion rate"), baseline: 0.6 }, ...guardrails()],
      plan: { dailyTraffic: 5000 },
    },
    ragTopK: {
      key: "rag-top-k-5-vs-10",
      name: "RAG: top_k 5 vs 10",
      hypothesis: {
        change: "the retriever's top_k from 5 to 10 documents",
        expectation: "the goal completion rate to rise by at least 5%",
        reason: "poor answers are often a retrieval problem, and more context covers more questions",
      },
      variableUnderTest: "RAG_CONFIGURATION",
      variants: [
        {
          key: "k5",
          name: "top_k 5",
          isControl: true,
          weight: 50,
          config: personaOnScout({ rag: { retriever: "bm25+dense", topK: 5, chunkSize: 512 } }),
        },
        {
          key: "k10",
          name: "top_k 10",
          weight: 50,
          config: personaOnScout({ rag: { retriever: "bm25+dense", topK: 10, chunkSize: 512 } }),
        },
      ],
      metrics: [{ ...template("Goal completion rate"), baseline: 0.55 }, ...guardrails()],
      plan: { dailyTraffic: 3000 },
    },
    toolUse: {
      key: "tool-use-conservative-vs-aggressive",
      name: "Tool use: conservative vs aggressive",
      hypothesis: {
        change: "the tool-use prompt from conservative (ask for the ticker) to aggressive (infer the ticker)",
        expectation: "the goal completion rate to rise by at least 5% without a rise in cost per interaction",
        reason: "inferring obvious tickers saves a round trip, while unnecessary tool calls stay rare",
      },
      variableUnderTest: "TOOL_USE_PROMPT",
      variants: [
        {
          key: "conservative",
          name: "Conservative",
          isControl: true,
          weight: 50,
          config: { model: SCOUT, toolUsePrompt: GUIDE_TOOL_PROMPT_CONSERVATIVE, ...SCOUT_PRICE },
        },
        {
          key: "aggressive",
          name: "Aggressive",
          weight: 50,
          config: { model: SCOUT, toolUsePrompt: GUIDE_TOOL_PROMPT_AGGRESSIVE, ...SCOUT_PRICE },
        },
      ],
      metrics: [{ ...template("Goal completion rate"), baseline: 0.7 }, ...guardrails()],
      plan: { dailyTraffic: 2000 },
    },
  };
}

/** Seeds the demo experiments as the PM: the guide's Prompt A vs B running, a draft, a stopped and a decided one, and the tool-use draft. */
export async function seedDemoExperiments(owners: Record<Role, string>): Promise<void> {
  const pm: Identity = { via: "session", userId: owners.PM ?? null, email: "pm@assay.local", name: "Priya PM", role: "PM" };
  const designs = demoDesigns();
  const create = (body: unknown) => createExperiment(pm, createExperimentSchema.parse(body));

  await create(designs.supportPersona);
  await startExperiment(pm, designs.supportPersona.key, {});

  await create(designs.modelComparison);

  await create(designs.temperature);
  await startExperiment(pm, designs.temperature.key, {});
  await stopExperiment(pm, designs.temperature.key, { reason: "Reached the planned sample size." });

  const rag = await create(designs.ragTopK);
  await startExperiment(pm, designs.ragTopK.key, {});
  await stopExperiment(pm, designs.ragTopK.key, { reason: "Reached the planned sample size." });
  const reviewer = owners.REVIEWER ?? null;
  const k10 = rag.variants.find((v) => v.key === "k10")!;
  const comment = "Approved: the gain holds on every guardrail and the extra context cost is small.";
  const recommendation = proposalWords(k10);
  await markExperimentDecided(
    rag.id,
    {
      recommendation,
      proposedVariant: k10.key,
      // Decided before Assay kept decision matrices whole: what the decision rested on, in words.
      matrix: { winner: "k10", goal: { metric: "Goal completion rate", control: 0.55, treatment: 0.59 }, guardrails: "no regression" },
      rules: decisionRulesOf(null),
      requestedById: owners.PM ?? null,
      reviewedById: reviewer,
      comment,
    },
    { variantKey: k10.key, config: { key: k10.key, name: k10.name, configVersion: k10.configVersion, config: k10.config as object } },
    {
      actorId: reviewer,
      actorLabel: "reviewer@assay.local",
      action: "review.approved",
      details: { recommendation, variant: k10.key, comment },
    },
  );

  await create(designs.toolUse);

  // The guide's decision matrix: four candidates, a week of interactions, stopped and ready for a review.
  await create(matrixDemoDesign({ a: GUIDE_PROMPT_A, b: GUIDE_PROMPT_B }, { scout: SCOUT, maverick: MAVERICK }));
  await startExperiment(pm, MATRIX_DEMO_KEY, {
    singleVariableReason:
      "Four finalists of the offline evaluation compared head to head: each differs from A in one thing (prompt, model or fine-tune).",
  });
  await seedMatrixDemoData(pm);
  await stopExperiment(pm, MATRIX_DEMO_KEY, { reason: "Reached the planned sample size." });
}
