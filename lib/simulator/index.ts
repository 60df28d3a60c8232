// The OpenAI-compatible LLM simulator: `assay simulate`, demos and harness self-tests.
export { startSimulator, MAX_BODY_BYTES, type RunningSimulator, type SimulatorStats } from "./server";
export { DEFAULT_SIMULATOR_MODEL, resolveSimulatorOptions, simulatorOptionsSchema, type SimulatorOptions } from "./options";
export { countTokens, countChatPromptTokens, splitTokens, CHAT_TOKENS_PER_MESSAGE } from "./tokens";
export { mulberry32, hashString, requestRandom, type Random } from "./random";
export { planCompletion, DEFAULT_MAX_TOKENS, type CompletionPlan } from "./completion";
export { responseFeatures, scoreResponse, explainScores, extractJudgedText, type JudgeScores } from "./judge";
export { structuredAnswer, criterionFor, type JsonSchema } from "./structured";
export { styleFromInstructions, type ResponseStyle } from "./text";
export { parseChatRequest, parseCompletionRequest, MAX_TOKENS_LIMIT, type SimulatedRequest } from "./requests";
