import type { VariableUnderTest } from "@/lib/validation/experiments";

type Variable = VariableUnderTest;

/** The guide's examples of each variable under test. */
export const variableExamples: Record<Variable, string> = {
  SYSTEM_PROMPT:
    "A generic prompt vs. one with a persona, tone and steps, e.g. “You are a helpful customer support agent.” vs. an Acme support expert.",
  MODEL: "Compare models for quality, latency and cost, e.g. Llama-4-Scout (speed) vs. Llama-4-Maverick (quality).",
  GENERATION_PARAMETERS: "Same model and prompt, different temperature, top_p or max_tokens.",
  RAG_CONFIGURATION: "Retriever, top_k, chunk size or reranker: poor answers are often a retrieval problem.",
  TOOL_USE_PROMPT: "Conservative vs. aggressive tool use, e.g. ask for the ticker vs. infer “AAPL” from “Apple's stock”.",
  OTHER: "Anything else. The single-variable check then accepts any difference between variants.",
};
