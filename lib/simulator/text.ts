import { pickOne, randomInt, type Random } from "./random";
import { countTokens } from "./tokens";

/** The fixed vocabulary, by word class; every word is letters only and at most 10 letters, so each is exactly one token. */
const WORDS = {
  determiner: ["the", "a", "this", "each", "every", "your", "our", "that", "one"],
  adjective: [
    "quick",
    "clear",
    "simple",
    "useful",
    "small",
    "stable",
    "careful",
    "new",
    "main",
    "short",
    "steady",
    "helpful",
    "modern",
    "strong",
    "direct",
    "gentle",
    "common",
    "recent",
    "large",
    "better",
  ],
  noun: [
    "model",
    "answer",
    "request",
    "system",
    "team",
    "user",
    "result",
    "report",
    "service",
    "process",
    "update",
    "change",
    "account",
    "setting",
    "problem",
    "question",
    "feature",
    "server",
    "plan",
    "detail",
    "option",
    "message",
    "version",
    "value",
    "test",
    "customer",
    "project",
    "budget",
    "schedule",
    "document",
  ],
  verb: [
    "improves",
    "explains",
    "checks",
    "supports",
    "handles",
    "returns",
    "reduces",
    "shows",
    "keeps",
    "needs",
    "follows",
    "builds",
    "updates",
    "reviews",
    "describes",
    "confirms",
    "solves",
    "measures",
    "changes",
    "helps",
  ],
  imperative: ["check", "open", "review", "update", "restart", "confirm", "compare", "save", "clear", "select", "test", "note"],
  preposition: ["for", "with", "in", "on", "after", "before", "during", "from", "about", "through"],
  adverb: ["quickly", "carefully", "often", "usually", "clearly", "always", "rarely", "gently"],
  conjunction: ["and", "but", "so", "while", "because"],
} as const;

type WordClass = keyof typeof WORDS;

/** Sentence shapes; "," is a comma token. */
const SENTENCE_PATTERNS: readonly (readonly (WordClass | ",")[])[] = [
  ["determiner", "adjective", "noun", "verb", "determiner", "noun"],
  ["determiner", "noun", "verb", "determiner", "adjective", "noun", "preposition", "determiner", "noun"],
  ["determiner", "noun", "adverb", "verb", "determiner", "noun"],
  [
    "determiner",
    "adjective",
    "noun",
    "verb",
    "determiner",
    "noun",
    ",",
    "conjunction",
    "determiner",
    "noun",
    "verb",
    "determiner",
    "adjective",
    "noun",
  ],
  ["preposition", "determiner", "noun", ",", "determiner", "noun", "verb", "determiner", "noun"],
  ["determiner", "noun", "verb", "determiner", "noun", "preposition", "determiner", "adjective", "noun"],
];

const ACKNOWLEDGEMENTS = [
  "Thanks for reaching out, I understand the problem.",
  "Thank you for the question, I am happy to help.",
  "I understand how this can be frustrating, thanks for the detail.",
  "Thanks for asking, that is a good question.",
];

const CLOSING_QUESTIONS = [
  "Would you like more detail on any step?",
  "Does this solve the problem for you?",
  "Is there anything else I can help with?",
  "Shall I explain any of these steps again?",
];

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** One sentence from a random pattern over the fixed vocabulary ("a" becomes "an" before a vowel), capitalized and ending in ".". */
export function randomSentence(random: Random): string {
  const pattern = pickOne(random, SENTENCE_PATTERNS);
  const words: string[] = [];
  for (const slot of pattern) {
    if (slot === ",") {
      words[words.length - 1] += ",";
      continue;
    }
    const word = pickOne(random, WORDS[slot]);
    if (words.at(-1) === "a" && /^[aeiou]/.test(word)) words[words.length - 1] = "an";
    words.push(word);
  }
  return `${capitalize(words.join(" "))}.`;
}

/** One numbered-step instruction: an imperative verb, an object and sometimes a prepositional phrase. */
function stepSentence(random: Random): string {
  let text = `${capitalize(pickOne(random, WORDS.imperative))} the ${pickOne(random, WORDS.adjective)} ${pickOne(random, WORDS.noun)}`;
  if (random() < 0.5) text += ` ${pickOne(random, WORDS.preposition)} the ${pickOne(random, WORDS.noun)}`;
  return `${text}.`;
}

/** How the simulated assistant shapes a chat answer, read from the system/developer instructions. */
export interface ResponseStyle {
  acknowledgement: boolean;
  numberedSteps: boolean;
  closingQuestion: boolean;
  concise: boolean;
}

/** No instructions: plain sentences. */
export const PLAIN_STYLE: ResponseStyle = { acknowledgement: false, numberedSteps: false, closingQuestion: false, concise: false };

/**
 * Style from instructions, by keyword: "numbered", "step by step", "steps", "bullet", "list" -> numbered steps;
 * "acknowledge", "empathetic", "friendly", "warm", "greet", "thank" -> an opening acknowledgement;
 * "question" after "end/close/finish/conclude", or "follow-up question", "ask a question" -> a closing question;
 * "concise", "brief", "terse", "one sentence" -> one short sentence.
 */
export function styleFromInstructions(instructions: string): ResponseStyle {
  return {
    numberedSteps: /\b(numbered|step[- ]by[- ]step|steps|bullet(ed)?|list)\b/i.test(instructions),
    acknowledgement: /\b(acknowledg\w*|empath\w*|friendly|warm(ly)?|greet\w*|thank\w*)\b/i.test(instructions),
    closingQuestion:
      /\b(end|close|finish|conclude)\w*\b[^.]*\bquestion/i.test(instructions) ||
      /\b(follow[- ]up|clarifying) question|\bask (a|one|the user a)\b[^.]*question/i.test(instructions),
    concise: /\b(concise|brief|terse|one sentence)\b/i.test(instructions),
  };
}

/** Target answer length in tokens: 24 + uniform{0..136} + min(promptTokens, 400)/8 (floored); 8 + uniform{0..8} when concise. */
export function naturalLengthTarget(random: Random, promptTokens: number, concise = false): number {
  if (concise) return 8 + randomInt(random, 0, 8);
  return 24 + randomInt(random, 0, 136) + Math.floor(Math.min(promptTokens, 400) / 8);
}

/** Appends sentences (a blank line every 3-5 sentences) until `text` has at least `targetTokens` tokens. */
export function extendWithSentences(random: Random, text: string, targetTokens: number): string {
  let sentencesInParagraph = 0;
  let paragraphLength = randomInt(random, 3, 5);
  let tokens = countTokens(text);
  while (tokens < targetTokens) {
    const separator = text === "" ? "" : sentencesInParagraph >= paragraphLength ? "\n\n" : " ";
    if (separator === "\n\n") {
      sentencesInParagraph = 0;
      paragraphLength = randomInt(random, 3, 5);
    }
    const sentence = randomSentence(random);
    text += separator + sentence;
    tokens += countTokens(sentence);
    sentencesInParagraph++;
  }
  return text;
}

/**
 * The answer a simulated model gives before it would stop: plain sentences up to `targetTokens`, or, when the style
 * asks for it, an acknowledgement, then 3-5 numbered steps, then a closing question (each part only if asked for).
 */
export function composeAnswer(random: Random, style: ResponseStyle, targetTokens: number): string {
  if (!style.acknowledgement && !style.numberedSteps && !style.closingQuestion) {
    return extendWithSentences(random, "", targetTokens);
  }
  const parts: string[] = [];
  if (style.acknowledgement) parts.push(pickOne(random, ACKNOWLEDGEMENTS));
  if (style.numberedSteps) {
    const steps = Array.from({ length: randomInt(random, 3, 5) }, (_, i) => `${i + 1}. ${stepSentence(random)}`);
    parts.push(`Here are the steps:\n${steps.join("\n")}`);
  } else {
    parts.push(extendWithSentences(random, "", style.concise ? targetTokens : Math.min(targetTokens, 60)));
  }
  if (style.closingQuestion) parts.push(pickOne(random, CLOSING_QUESTIONS));
  return parts.join("\n\n");
}
