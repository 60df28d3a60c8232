/**
 * The simulator's tokenizer. It is not a BPE tokenizer; it is a documented, easy-to-recompute rule
 * that lands close to cl100k counts on English prose:
 *   - a run of letters (Unicode \p{L}) is one token per started 10 letters ("internationalization" = 2),
 *   - a run of digits (\p{N}) is one token per started 3 digits ("2026" = 2),
 *   - every other non-whitespace character (punctuation, symbols, emoji) is one token,
 *   - whitespace is free: it rides along with the token that follows it.
 */
const TOKEN_PATTERN = /\p{L}{1,10}|\p{N}{1,3}|[^\s\p{L}\p{N}]/gu;
const TOKEN_WITH_LEADING_SPACE = /\s*(?:\p{L}{1,10}|\p{N}{1,3}|[^\s\p{L}\p{N}])/gu;

/** Tokens in `text`: letter runs count 1 per started 10 letters, digit runs 1 per started 3 digits, any other non-space character 1, whitespace 0. */
export function countTokens(text: string): number {
  return text.match(TOKEN_PATTERN)?.length ?? 0;
}

/** Splits `text` into countTokens(text) pieces whose concatenation is `text` (whitespace joins the next piece, trailing whitespace the last; all-whitespace text is one piece). */
export function splitTokens(text: string): string[] {
  const pieces = text.match(TOKEN_WITH_LEADING_SPACE) ?? [];
  const covered = pieces.reduce((sum, piece) => sum + piece.length, 0);
  const trailing = text.slice(covered);
  if (trailing.length > 0) {
    if (pieces.length === 0) return [trailing];
    pieces[pieces.length - 1] += trailing;
  }
  return pieces;
}

/** Tokens a chat message costs on top of its content (role and delimiters), as in OpenAI's cookbook estimate. */
export const CHAT_TOKENS_PER_MESSAGE = 4;

/** Prompt tokens of a chat request: countTokens over the message contents joined by "\n", plus CHAT_TOKENS_PER_MESSAGE per message. */
export function countChatPromptTokens(messageContents: readonly string[]): number {
  return countTokens(messageContents.join("\n")) + CHAT_TOKENS_PER_MESSAGE * messageContents.length;
}
