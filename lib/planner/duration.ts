// How long to actually run a test once the sample size says how many days it needs: whole weeks, so that every weekday
// counts the same, and a warning when the test runs long enough for users, prompts and models to drift. One source for
// the planner page, the design page and the design document.

/** The longest run the planner calls reasonable before drift matters (eight weeks). */
export const LONGEST_SENSIBLE_DAYS = 56;

/** The days rounded up to whole weeks, at least one week: 2 -> 7, 9 -> 14, 14 -> 14. */
export function fullWeekDays(days: number): number {
  return Math.max(7, 7 * Math.ceil(days / 7));
}

const dayWord = (n: number) => `${n.toLocaleString("en-US")} ${n === 1 ? "day" : "days"}`;

/** A run of whole weeks in words: 7 -> "7 days (1 full week)", 14 -> "14 days (2 full weeks)". */
export function fullWeeksText(days: number): string {
  const weeks = days / 7;
  return `${dayWord(days)} (${weeks.toLocaleString("en-US")} full ${weeks === 1 ? "week" : "weeks"})`;
}

/** The full-week advice for a sample reached in `days` (null when it already is whole weeks), and the drift warning past eight weeks. */
export function durationAdvice(days: number | null): string[] {
  if (days === null) return [];
  const out: string[] = [];
  const weeks = fullWeekDays(days);
  if (days < 7) {
    out.push(`The sample is reached in ${dayWord(days)}, but run at least a full week (7 days) so weekday and weekend users both count.`);
  } else if (weeks !== days) {
    out.push(`The sample is reached in ${dayWord(days)}; run ${weeks / 7} full weeks (${weeks} days) so every weekday counts the same.`);
  }
  if (days > LONGEST_SENSIBLE_DAYS) {
    out.push("Over eight weeks: users, prompts and models drift that long. Consider a larger MDE, more coverage or fewer variants.");
  }
  return out;
}
