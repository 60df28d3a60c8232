import type { ConfigField } from "@/lib/validation/experiments";
export { listInWords } from "@/lib/text/listInWords";

/** What a PM calls each configuration field (the API's dotted names on the left). */
/** Typed by the schema's fields, so a new field without a label fails the type check. */
export const configFieldLabels: Record<ConfigField, string> = {
  endpoint: "endpoint",
  endpointId: "managed endpoint",
  model: "model",
  systemPrompt: "system prompt",
  systemPromptVersion: "prompt version label",
  temperature: "temperature",
  topP: "top_p",
  maxTokens: "max_tokens",
  "rag.retriever": "RAG retriever",
  "rag.topK": "RAG top_k",
  "rag.chunkSize": "RAG chunk size",
  "rag.reranker": "RAG reranker",
  toolUsePrompt: "tool-use prompt",
  pricePer1MInput: "price per 1M input tokens",
  pricePer1MOutput: "price per 1M output tokens",
};

export function configFieldLabel(field: string): string {
  return configFieldLabels[field as keyof typeof configFieldLabels] ?? field;
}
