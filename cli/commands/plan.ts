// `assay plan`: sample size and duration for an A/B test (the reference guide's plan_ab_test, statsmodels' zt_ind_solve_power).
import { Command, Option } from "commander";
import { PLAN_DEFAULTS, planSampleSize, PlanInputError, type Plan, type PlanField } from "../../lib/stats/power";
import { planInputSchema } from "../../lib/validation/plan";
import { UsageError, parseNumberFlag } from "../usage";
import { decimals, percent, significant } from "../../lib/format/number";

/** The flag that sets each PlanInput field, so errors name what the user typed. */
const FLAG_OF: Record<PlanField, string> = {
  metric: "--metric",
  baseline: "--baseline",
  sd: "--sd",
  mde: "--mde",
  mdeAbsolute: "--mde-absolute",
  alpha: "--alpha",
  power: "--power",
  variants: "--variants",
  weights: "--weights",
  dailyTraffic: "--daily-traffic",
  coverage: "--coverage",
  correction: "--correction",
  effectSize: "--effect-size",
  days: "--days",
};

type PlanFlags = {
  metric: "proportion" | "mean";
  baseline: number;
  sd?: number;
  mde: number;
  mdeAbsolute?: boolean;
  alpha: number;
  power: number;
  variants?: number;
  weights?: (number | string)[];
  dailyTraffic?: number;
  coverage: number;
  correction: "none" | "bonferroni";
  effectSize: "guide" | "cohens-h";
  json?: boolean;
};

/** "baseline must be ..." -> "--baseline must be ..."; other messages get the flag as a prefix. */
function flagMessage(field: string, message: string): string {
  const flag = FLAG_OF[field as PlanField] ?? `--${field}`;
  return message.startsWith(`${field} `) ? `${flag}${message.slice(field.length)}` : `${flag}: ${message}`;
}

/** "90,10" or "90/10" -> [90, 10]; a part that is not a number stays text so the schema names --weights. */
function parseWeights(raw: string): (number | string)[] {
  return raw.split(/\s*[/,:]\s*/).map((part) => (part.trim() !== "" && Number.isFinite(Number(part)) ? Number(part) : part));
}

/** Registers `assay plan`. */
export function registerPlan(program: Command): void {
  program
    .command("plan")
    .description("Sample size per variant and test duration for an A/B test (two-sided z-test)")
    .addHelpText("after", `\n${METHOD_LINE}`)
    .addOption(new Option("--metric <kind>", "metric type").choices(["proportion", "mean"]).makeOptionMandatory())
    .requiredOption("--baseline <x>", "control's rate in (0,1) for a proportion, or its mean", parseNumberFlag("--baseline"))
    .option("--sd <s>", "standard deviation of the metric (required for --metric mean)", parseNumberFlag("--sd"))
    .requiredOption("--mde <m>", "minimum detectable effect, relative (0.05 = +5%); may be negative", parseNumberFlag("--mde"))
    .option("--mde-absolute", "read --mde as an absolute difference (0.02 = +2 points)")
    .option("--alpha <a>", "significance level", parseNumberFlag("--alpha"), PLAN_DEFAULTS.alpha)
    .option("--power <p>", "statistical power (1 - beta)", parseNumberFlag("--power"), PLAN_DEFAULTS.power)
    .option(
      "--variants <k>",
      `number of arms including the control (2-8, default ${PLAN_DEFAULTS.variants})`,
      parseNumberFlag("--variants"),
    )
    .option("--weights <list>", "traffic split, the control first (90,10 or 90/10); default an equal split", parseWeights)
    .option("--daily-traffic <n>", "units entering the experiment per day, for the duration estimate", parseNumberFlag("--daily-traffic"))
    .option("--coverage <c>", "share of daily traffic in the experiment, (0,1]", parseNumberFlag("--coverage"), PLAN_DEFAULTS.coverage)
    .addOption(new Option("--correction <method>", "multiple-comparison correction").choices(["none", "bonferroni"]).default("none"))
    .addOption(
      new Option("--effect-size <method>", "effect size for proportions: the pooled-standard-deviation d (guide) or Cohen's h (cohens-h)")
        .choices(["guide", "cohens-h"])
        .default("guide"),
    )
    .option("--json", 'print only {"effectSize","nExact","perVariant","total","days"} as JSON')
    .action((flags: PlanFlags) => {
      const parsed = planInputSchema.safeParse({
        metric: flags.metric,
        baseline: flags.baseline,
        sd: flags.sd,
        mde: flags.mde,
        mdeAbsolute: !!flags.mdeAbsolute,
        alpha: flags.alpha,
        power: flags.power,
        variants: flags.variants,
        weights: flags.weights,
        dailyTraffic: flags.dailyTraffic,
        coverage: flags.coverage,
        correction: flags.correction,
        effectSize: flags.effectSize,
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new UsageError(flagMessage(String(issue.path[0] ?? ""), issue.message));
      }
      let plan: Plan;
      try {
        plan = planSampleSize(parsed.data);
      } catch (err) {
        if (err instanceof PlanInputError) throw new UsageError(flagMessage(err.field, err.message));
        throw err;
      }
      if (flags.json) {
        const { effectSize, nExact, perVariant, total, days } = plan;
        process.stdout.write(`${JSON.stringify({ effectSize, nExact, perVariant, total, days })}\n`);
      } else {
        process.stdout.write(formatPlan(plan));
      }
    });
}

const count = (n: number) => n.toLocaleString("en-US");
const short = (x: number) => significant(x, 4);

/** Where the formulas come from: said once, on a line marked as the method, never in the plan's own words. */
export const METHOD_LINE =
  "Method: n as statsmodels' zt_ind_solve_power (rounded up); the default proportion effect size is the pooled-standard-deviation d of plan_ab_test in “A/B testing for Llama apps”.";

/** The readable plan: the inputs, the effect size, the sample per arm, the total and the duration, then the method line. */
export function formatPlan(plan: Plan): string {
  const rows: [string, string][] = [];
  const mdeText = plan.mdeAbsolute
    ? `${plan.metric === "proportion" ? `${plan.mde > 0 ? "+" : ""}${short(plan.mde * 100)} points` : `${plan.mde > 0 ? "+" : ""}${short(plan.mde)}`} absolute`
    : `${percent(plan.mde)} relative`;
  if (plan.metric === "proportion") {
    rows.push(["Baseline rate", percent(plan.p1!)]);
    rows.push(["MDE", `${mdeText} (${percent(plan.p1!)} -> ${percent(plan.p2!)})`]);
  } else {
    rows.push(["Baseline mean", `${short(plan.baselineMean!)} (sd ${short(plan.sd!)})`]);
    rows.push(["MDE", `${mdeText} (${significant(plan.baselineMean!)} -> ${significant(plan.targetMean!)})`]);
  }
  const alphaText =
    plan.correction === "bonferroni" && plan.comparisons > 1
      ? `${plan.alpha} (Bonferroni over ${plan.comparisons} comparisons: ${short(plan.alphaPerComparison)} each), two-sided`
      : `${plan.alpha}, two-sided`;
  rows.push(["Significance (alpha)", alphaText]);
  rows.push(["Power", String(plan.power)]);
  const formula =
    plan.metric === "mean"
      ? "(target - baseline) / sd"
      : plan.effectSizeMethod === "cohens-h"
        ? "Cohen's h = 2 asin sqrt(p2) - 2 asin sqrt(p1)"
        : "(p2 - p1) / sqrt(pbar (1 - pbar))";
  rows.push(["Effect size", `${decimals(plan.effectSize)} (${formula})`]);
  if (plan.unequalSplit) {
    rows.push(["Traffic split", plan.arms.map((a) => short(a.share * 100)).join("/")]);
    rows.push(["Sample size per arm", plan.arms.map((a) => count(a.n)).join(" / ")]);
  } else {
    rows.push(["Sample size per variant", count(plan.perVariant)]);
  }
  rows.push(["Variants", String(plan.variants)]);
  rows.push(["Total sample", count(plan.total)]);
  if (plan.days === null) {
    rows.push(["Estimated duration", "pass --daily-traffic to estimate"]);
  } else {
    const traffic = `${count(plan.dailyTraffic!)}/day${plan.coverage < 1 ? ` at ${percent(plan.coverage)} coverage` : ""}`;
    rows.push(["Estimated duration", `${plan.days} ${plan.days === 1 ? "day" : "days"} (${traffic})`]);
  }
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  const lines = ["A/B test plan", ...rows.map(([label, value]) => `  ${`${label}:`.padEnd(width + 1)} ${value}`), ""];
  lines.push(
    plan.unequalSplit
      ? "The control's n solves the two-sided z-test power equation with ratio = treatment share / control share; each arm is n x its share / the control's, rounded up."
      : "n solves the two-sided z-test power equation for two equal groups and is rounded up.",
  );
  if (plan.alphaPerComparison !== plan.alpha) {
    lines.push(`With Bonferroni it is solved at alpha ${short(plan.alphaPerComparison)} per comparison against the control.`);
  }
  lines.push("", METHOD_LINE);
  return `${lines.join("\n")}\n`;
}
