// Words that must not reach the screen: the team's shorthand ("the guide") and the names of the libraries and tools
// behind a feature. The UI says what a number means for the user; sources are named only in a collapsible method note
// (components/ui/MethodNote.tsx, marked data-method-note).
export const INTERNAL_WORDS: RegExp[] = [
  /\bthe guide\b/i,
  /\bguide['’]s\b/i,
  /statsmodels/i,
  /zt_ind_solve_power/i,
  /proportion_effectsize/i,
  /plan_ab_test/i,
  /\bscipy\b/i,
  /\bnumpy\b/i,
  /pg-?boss/i,
  /\bprisma\b/i,
  /next-?auth/i,
  /recharts/i,
  /tailwind/i,
  /\bzod\b/i,
  /postgres/i,
  /playwright/i,
];

/** Each internal word found in `text`, with a few characters around it so a failure says where. */
export function internalWordsIn(text: string): string[] {
  const found: string[] = [];
  for (const word of INTERNAL_WORDS) {
    const re = new RegExp(word.source, `${word.flags.replace("g", "")}g`);
    for (const m of text.matchAll(re)) {
      const at = m.index ?? 0;
      found.push(`“${m[0]}” in “…${text.slice(Math.max(0, at - 40), at + m[0].length + 40).replace(/\s+/g, " ")}…”`);
    }
  }
  return found;
}

/**
 * The text a component source puts on screen, roughly: the file without comments, import lines, class names and method
 * notes (where sources may be named). String literals and JSX text remain.
 */
export function screenTextOfSource(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1")
    .replace(/^\s*import\s[\s\S]*?from\s+["'][^"']+["'];?$/gm, "")
    .replace(/className=(?:"[^"]*"|\{`[^`]*`\})/g, "")
    .replace(/<MethodNote\b[\s\S]*?<\/MethodNote>/g, "");
}
