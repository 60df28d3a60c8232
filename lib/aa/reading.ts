// A/A simulations in words, as a PM would say them ("Without peeking, 4.9% of A/A tests were falsely significant (95%
// CI 4.0% to 5.9%), as expected at 5%. Checking 10 times and stopping at the first significant result raises it to
// 19%; the peeking-safe mode keeps it at 0.9%."). Pure: the page reads the API's numbers through it.
import { percent, significant } from "@/lib/format/number";
import type { AaResult } from "@/lib/stats/aa";

/** One simulated way of reading the test: one look at the end, many looks (fixed-horizon), or many looks with the peeking-safe test. */
export type AaScenario = "once" | "peeking" | "safe";

export type AaRun = { scenario: AaScenario; result: AaResult };

const pct = (x: number) => percent(x, 2);
const ci = (c: [number, number]) => `95% CI ${pct(c[0])} to ${pct(c[1])}`;

/** The scenarios a page runs for `peeks` looks, with the peeking-safe test or not. */
export function aaScenarios(peeks: number, sequential: boolean): { scenario: AaScenario; peeks: number; sequential: boolean }[] {
  return [
    { scenario: "once" as const, peeks: 1, sequential: false },
    ...(peeks > 1 ? [{ scenario: "peeking" as const, peeks, sequential: false }] : []),
    ...(sequential ? [{ scenario: "safe" as const, peeks, sequential: true }] : []),
  ];
}

/** A short name for a scenario's bar and row. */
export function scenarioName(scenario: AaScenario): string {
  return scenario === "once" ? "No peeking" : scenario === "peeking" ? "Peeking" : "Peeking-safe";
}

/** What a scenario does, in a phrase. */
export function scenarioDescription(run: AaRun): string {
  const looks =
    run.result.peeks === 1 ? "one look at the planned sample" : `${run.result.peeks} looks, stopping at the first significant one`;
  return run.scenario === "safe" ? `${looks}, with the peeking-safe test` : looks;
}

/** How a false positive rate compares with alpha, from its interval. */
function againstAlpha(r: AaResult): "as expected" | "above" | "below" {
  if (r.ci95[0] > r.alpha) return "above";
  if (r.ci95[1] < r.alpha) return "below";
  return "as expected";
}

/** The false positive rates and the power in a few sentences. */
export function aaReading(runs: AaRun[], effectText: string | null, plannedPower: number): string[] {
  const once = runs.find((r) => r.scenario === "once");
  const peeking = runs.find((r) => r.scenario === "peeking");
  const safe = runs.find((r) => r.scenario === "safe");
  const out: string[] = [];
  if (once) {
    const r = once.result;
    const a = pct(r.alpha);
    const verdict = { "as expected": `as expected at ${a}`, above: `more than the ${a} expected`, below: `fewer than the ${a} allowed` }[
      againstAlpha(r)
    ];
    out.push(
      `Without peeking, ${pct(r.falsePositiveRate)} of ${r.tests.toLocaleString("en-US")} A/A tests were falsely significant (${ci(r.ci95)}), ${verdict}.`,
    );
  }
  if (peeking) {
    const r = peeking.result;
    const change = againstAlpha(r) === "above" ? "raises it to" : "leaves it at";
    out.push(
      `Checking ${r.peeks} times and stopping at the first significant result ${change} ${pct(r.falsePositiveRate)} (${ci(r.ci95)}).`,
    );
  }
  if (safe) {
    const r = safe.result;
    const ok = r.ci95[0] <= r.alpha;
    const looks = r.peeks === 1 ? "With one look, the peeking-safe mode" : `Checking ${r.peeks} times, the peeking-safe mode`;
    out.push(
      ok
        ? `${looks} keeps it at ${pct(r.falsePositiveRate)} (${ci(r.ci95)}), within ${pct(r.alpha)}.`
        : `${looks} still gives ${pct(r.falsePositiveRate)} (${ci(r.ci95)}), above ${pct(r.alpha)}.`,
    );
  }
  const powerOnce = once?.result.power;
  const powerSafe = safe?.result.power;
  if (effectText && (powerOnce !== undefined || powerSafe !== undefined)) {
    const parts: string[] = [];
    if (once && powerOnce !== undefined)
      parts.push(
        `With a real difference of ${effectText} planted, a test read once at the planned sample found it ${pct(powerOnce)} of the time (${ci(once.result.powerCi95!)}); the plan expects ${pct(plannedPower)}.`,
      );
    if (safe && powerSafe !== undefined)
      parts.push(
        parts.length
          ? `The peeking-safe mode found it ${pct(powerSafe)} of the time: the price of being allowed to look early.`
          : `With a real difference of ${effectText} planted, the peeking-safe mode found it ${pct(powerSafe)} of the time (${ci(safe.result.powerCi95!)}).`,
      );
    out.push(parts.join(" "));
  }
  return out;
}

/** A planted difference as the metric reads it: "+3.8 points" on a rate, "+0.08" on a mean. */
export function effectText(kind: "mean" | "proportion", effect: number): string {
  const sign = effect > 0 ? "+" : effect < 0 ? "−" : "";
  return kind === "proportion" ? `${sign}${significant(Math.abs(effect) * 100, 3)} points` : `${sign}${significant(Math.abs(effect), 3)}`;
}
