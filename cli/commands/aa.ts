// `assay aa`: simulated A/A tests through the same comparison code as the results, to show the false positive rate that
// alpha promises, what peeking does to it, and that the sequential mode is safe to peek at; with --effect, the power.
import type { Command } from "commander";
import { Option } from "commander";
import { simulateAaTests, type AaResult } from "../../lib/stats/aa";
import { aaInputSchema } from "../../lib/validation/aa";
import { percent } from "../../lib/format/number";
import { UsageError, parseNumberFlag } from "../usage";

const FLAG_OF: Record<string, string> = {
  tests: "--tests",
  perVariant: "--per-variant",
  metric: "--metric",
  peeks: "--peeks",
  sequential: "--sequential",
  seed: "--seed",
  effect: "--effect",
  alpha: "--alpha",
  baseline: "--baseline",
  sd: "--sd",
};

interface AaFlags {
  tests?: number;
  perVariant: number;
  metric: "mean" | "proportion";
  peeks?: number;
  sequential?: boolean;
  seed?: number;
  effect?: number;
  alpha?: number;
  baseline?: number;
  sd?: number;
  json?: boolean;
}

/** Registers `assay aa`. */
export function registerAa(program: Command): void {
  program
    .command("aa")
    .description("Simulate many A/A tests (no real difference) and count how often the comparison calls one significant")
    .option("--tests <n>", "number of simulated tests (default 2000)", parseNumberFlag("--tests"))
    .requiredOption("--per-variant <n>", "values per variant in each test (the planned sample)", parseNumberFlag("--per-variant"))
    .addOption(
      new Option("--metric <kind>", "what each value is: a normal number or a 0/1 outcome")
        .choices(["mean", "proportion"])
        .makeOptionMandatory(),
    )
    .option(
      "--peeks <k>",
      "look at the results k times, at equally spaced sample sizes (default 1: only at the end)",
      parseNumberFlag("--peeks"),
    )
    .option("--sequential", "use the peeking-safe sequential test")
    .option("--seed <s>", "seed of the simulation (default 1); the same seed gives the same answer", parseNumberFlag("--seed"))
    .option(
      "--effect <e>",
      "plant a real difference and report the power: standard deviations (mean) or points (proportion, 0.02 = +2 points)",
      parseNumberFlag("--effect"),
    )
    .option("--alpha <a>", "significance level (default 0.05)", parseNumberFlag("--alpha"))
    .option("--baseline <x>", "the control's mean (default 10) or rate (default 0.3)", parseNumberFlag("--baseline"))
    .option("--sd <s>", "standard deviation of a mean metric (default 1)", parseNumberFlag("--sd"))
    .option("--json", 'print {"tests","alpha","falsePositiveRate","ci95","peeks","sequential"} (and "power") as JSON')
    .action((flags: AaFlags) => {
      const parsed = aaInputSchema.safeParse({
        tests: flags.tests,
        perVariant: flags.perVariant,
        metric: flags.metric,
        peeks: flags.peeks,
        sequential: !!flags.sequential,
        seed: flags.seed,
        effect: flags.effect ?? null,
        alpha: flags.alpha,
        baseline: flags.baseline,
        sd: flags.sd,
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = String(issue.path[0] ?? "");
        const flag = FLAG_OF[field] ?? `--${field}`;
        throw new UsageError(
          issue.message.startsWith(`${field} `) ? `${flag}${issue.message.slice(field.length)}` : `${flag}: ${issue.message}`,
        );
      }
      const result = simulateAaTests(parsed.data);
      process.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : formatAa(result, parsed.data.perVariant));
    });
}

/** The readable answer: the rate against alpha, with its interval, and the power when an effect was planted. */
export function formatAa(r: AaResult, perVariant: number): string {
  const pct = (x: number) => percent(x, 3);
  const looks = r.peeks === 1 ? "one look at the end" : `${r.peeks} looks at equally spaced sample sizes`;
  const test = r.sequential ? "sequential (peeking-safe) test" : "fixed-horizon test";
  const lines = [
    `A/A simulation: ${r.tests.toLocaleString("en-US")} tests, ${perVariant.toLocaleString("en-US")} per variant, ${looks}, ${test}`,
    `  False positive rate: ${pct(r.falsePositiveRate)} (95% CI ${pct(r.ci95[0])} to ${pct(r.ci95[1])}); alpha is ${pct(r.alpha)}`,
  ];
  if (r.power !== undefined)
    lines.push(`  Power against the planted effect: ${pct(r.power)} (95% CI ${pct(r.powerCi95![0])} to ${pct(r.powerCi95![1])})`);
  const verdict =
    r.ci95[0] > r.alpha
      ? "  The rate is above alpha: looking early and stopping at the first significant result finds differences that are not there."
      : r.ci95[1] < r.alpha
        ? "  The rate is below alpha: the test is conservative."
        : "  The rate matches alpha.";
  lines.push(verdict);
  return `${lines.join("\n")}\n`;
}
