// `assay analyze FILE --metric NAME`: one metric of a file of interactions (CSV or NDJSON in the ingestion format),
// compared variant by variant against the control with the same statistics as the results page. The file is streamed:
// memory holds 8 bytes per value and per distinct user, never the rows.
import fs from "node:fs";
import { Option, type Command } from "commander";
import { AnalysisInputError, MetricSamples, type MetricAnalysis } from "../../lib/analysis/metricSamples";
import { COMPARE_DEFAULTS } from "../../lib/stats/compare";
import type { AnalysisKind, Comparison, Correction } from "../../lib/stats/compare.types";
import { decimals, percent, quantileLabel, significant } from "../../lib/format/number";
import { interactionFileBatches } from "../interactionFile";
import { UsageError, parseNumberFlag } from "../usage";

export interface AnalyzeFlags {
  metric: string;
  kind?: AnalysisKind;
  quantile?: number;
  control?: string;
  alpha?: number;
  correction?: Correction;
  weights?: string;
  json?: boolean;
}

/** "0.5,0.5", "50/50" or "A=0.5,B=0.5" -> shares in the variants' order (the control first); null when not given. */
export function weightsFor(raw: string | undefined, variants: string[]): number[] | null {
  if (raw === undefined) return null;
  const parts = raw.split(/\s*[,/]\s*/).filter((p) => p !== "");
  const named = parts.every((p) => p.includes("="));
  const number = (text: string) => {
    const x = Number(text);
    if (text.trim() === "" || !Number.isFinite(x) || x <= 0) throw new UsageError(`--weights: "${text}" is not a positive number.`);
    return x;
  };
  if (named) {
    const byName = new Map(parts.map((p) => [p.slice(0, p.indexOf("=")).trim(), number(p.slice(p.indexOf("=") + 1))] as const));
    for (const name of byName.keys()) {
      if (!variants.includes(name))
        throw new UsageError(`--weights: no variant is called "${name}"; the variants are ${variants.join(", ")}.`);
    }
    const missing = variants.filter((v) => !byName.has(v));
    if (missing.length) throw new UsageError(`--weights: give a weight to every variant; missing ${missing.join(", ")}.`);
    return variants.map((v) => byName.get(v)!);
  }
  if (parts.some((p) => p.includes("="))) throw new UsageError("--weights: either name every variant (A=0.5,B=0.5) or none (0.5,0.5).");
  const shares = parts.map(number);
  if (shares.length !== variants.length) {
    throw new UsageError(
      `--weights: ${shares.length} weights for ${variants.length} variants (${variants.join(", ")}, the control first); give one per variant.`,
    );
  }
  return shares;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** Reads `file` and analyses one metric; bad input throws a UsageError that names the line (or row) and the field. */
export async function analyzeFile(file: string, flags: AnalyzeFlags): Promise<MetricAnalysis> {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(`${file}: no such file.`);
  const metric = flags.metric;
  const nested = `metrics.${metric}`;
  const samples = new MetricSamples();
  let allBinary = true;
  let checkedHeader = false;
  for await (const batch of interactionFileBatches(file)) {
    if (batch.header && !checkedHeader) {
      checkedHeader = true;
      const names = batch.header.map((h) => h.trim());
      for (const required of ["variant_id", "user_id"]) {
        if (!names.includes(required)) throw new UsageError(`${file}: row 1 (the header) has no ${required} column.`);
      }
      if (!names.includes(metric) && !names.includes(nested) && !names.includes("metrics")) {
        throw new UsageError(`${file}: row 1 (the header) has no ${metric} column (nor ${nested}); its columns are ${names.join(", ")}.`);
      }
    }
    const csv = !!batch.header;
    batch.records.forEach((record, i) => {
      const where = () => `${file}: ${batch.where(i)}`;
      if (!isRecord(record)) throw new UsageError(`${where()} is not an object of fields; each interaction is {"request_id": ..., ...}.`);
      const text = (field: "variant_id" | "user_id") => {
        const v = record[field];
        if (v === undefined || v === null || v === "")
          throw new UsageError(
            `${where()}, ${field}: missing; every interaction names its ${field === "variant_id" ? "variant" : "user"}.`,
          );
        if (typeof v !== "string") throw new UsageError(`${where()}, ${field}: must be text, got ${JSON.stringify(v)}.`);
        return v;
      };
      const variant = text("variant_id");
      const user = text("user_id");
      const own = Object.prototype.hasOwnProperty.call(record, metric);
      const metrics = record.metrics;
      const raw = own ? record[metric] : isRecord(metrics) ? metrics[metric] : undefined;
      const field = own ? metric : nested;
      let value: number | null;
      if (raw === undefined || raw === null) value = null;
      else if (typeof raw === "boolean") value = raw ? 1 : 0;
      else if (typeof raw === "number" && Number.isFinite(raw)) value = raw;
      else if (csv && typeof raw === "string" && raw.trim() !== "" && Number.isFinite(Number(raw))) value = Number(raw);
      else throw new UsageError(`${where()}, ${field}: must be a number, got ${JSON.stringify(raw)}.`);
      if (value !== null && value !== 0 && value !== 1) {
        allBinary = false;
        if (flags.kind === "proportion")
          throw new UsageError(`${where()}, ${field}: must be 0 or 1 (or true/false) for --kind proportion, got ${value}.`);
      }
      samples.add(variant, user, value);
    });
  }
  const kind: AnalysisKind = flags.kind ?? (allBinary ? "proportion" : "mean");
  const variants = samples.variants();
  const control = flags.control ?? variants[0] ?? null;
  try {
    const order = control !== null && variants.includes(control) ? [control, ...variants.filter((v) => v !== control)] : variants;
    return samples.analyse({
      metric,
      kind,
      control,
      alpha: flags.alpha ?? COMPARE_DEFAULTS.alpha,
      correction: flags.correction ?? COMPARE_DEFAULTS.correction,
      weights: weightsFor(flags.weights, order),
      quantile: flags.quantile ?? 0.95,
    });
  } catch (err) {
    if (err instanceof AnalysisInputError) {
      throw new UsageError(err.field === "metric" ? `${file}: ${err.message}.` : `--${err.field}: ${err.message}.`);
    }
    throw err;
  }
}

/** The --json answer: the documented fields first, in their order, then the rest. */
export function analysisJson(a: MetricAnalysis) {
  return {
    metric: a.metric,
    kind: a.kind,
    control: a.control,
    variants: a.variants.map(({ variant, n, mean, sd, p50, p95, p99, ...rest }) => ({ variant, n, mean, sd, p50, p95, p99, ...rest })),
    comparisons: a.comparisons.map(
      ({ variant, diff, relLift, ci95, statistic, df, pValue, pAdjusted, mannWhitney, ...rest }: Comparison) => ({
        variant,
        diff,
        relLift,
        ci95,
        statistic,
        df,
        pValue,
        pAdjusted,
        mannWhitney,
        ...rest,
      }),
    ),
    srm: a.srm && { chi2: a.srm.chi2, pValue: a.srm.pValue, flag: a.srm.flag, df: a.srm.df, weights: a.srm.weights },
    alpha: a.alpha,
    correction: a.correction,
    quantile: a.quantile,
    rows: a.rows,
    withoutValue: a.withoutValue,
  };
}

const count = (n: number) => n.toLocaleString("en-US");
const num = (x: number | null) => (x === null ? "-" : significant(x, 5));
const pText = (p: number) => (p < 0.0001 ? "< 0.0001" : significant(p, 2));
const signed = (x: number) => `${x > 0 ? "+" : ""}${significant(x, 4)}`;
const CORRECTION_NAME: Record<Correction, string> = { holm: "Holm", bh: "Benjamini-Hochberg", none: "no correction" };

/** The readable answer: a table of the variants, one paragraph per comparison, and the split of users. */
export function formatAnalysis(a: MetricAnalysis): string {
  const label = a.kind === "quantile" ? `${quantileLabel(a.quantile!)} of ${a.metric}` : a.metric;
  const kindText = { mean: "mean", proportion: "proportion", quantile: "quantile" }[a.kind];
  const lines = [
    `${label} (${kindText}), control ${a.control}: ${count(a.rows)} interactions` +
      (a.withoutValue ? `, ${count(a.withoutValue)} without a value left out` : ""),
    "",
  ];
  const head = ["variant", "n", "mean", "sd", "p50", "p95", "p99", "users"];
  const rows = a.variants.map((v) => [v.variant, count(v.n), num(v.mean), num(v.sd), num(v.p50), num(v.p95), num(v.p99), count(v.users)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [head, ...rows]) lines.push(r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  "));
  lines.push("");
  const confidence = `${significant((1 - a.alpha) * 100, 4)}%`;
  for (const c of a.comparisons) {
    const what = a.kind === "proportion" ? "rate" : a.kind === "quantile" ? quantileLabel(a.quantile!) : "mean";
    const lift = c.relLift === null ? "" : ` (${signed(c.relLift * 100)}%)`;
    lines.push(`${c.variant} vs ${a.control}: ${what} ${signed(c.diff)}${lift}`);
    if (c.note) {
      lines.push(`  ${c.note[0].toUpperCase()}${c.note.slice(1)}.`);
    } else {
      const stat = a.kind === "mean" ? `t = ${decimals(c.statistic)}, df ${significant(c.df!, 5)}` : `z = ${decimals(c.statistic)}`;
      const rel = c.relCi95 ? `; relative ${signed(c.relCi95[0] * 100)}% to ${signed(c.relCi95[1] * 100)}%` : "";
      lines.push(`  ${confidence} CI ${significant(c.ci95[0], 4)} to ${significant(c.ci95[1], 4)}${rel}`);
      const adjusted =
        a.comparisons.length > 1 && a.correction !== "none" ? `, adjusted ${pText(c.pAdjusted)} (${CORRECTION_NAME[a.correction]})` : "";
      lines.push(`  ${stat}; p ${pText(c.pValue)}${adjusted}: ${c.significant ? "significant" : "not significant"} at alpha ${a.alpha}`);
      if (c.bayes) lines.push(`  Chance that ${c.variant} is higher than ${a.control}: ${percent(c.bayes.chanceToBeat, 3)}`);
    }
    if (c.mannWhitney) lines.push(`  Rank test (are values in one variant generally higher?): p ${pText(c.mannWhitney.pValue)}`);
    lines.push("");
  }
  const users = a.variants.map((v) => count(v.users)).join(" / ");
  if (a.srm) {
    const split = a.srm.weights.map((w) => significant(w * 100, 3)).join("/");
    lines.push(
      `Users per variant: ${users} against a ${split} split: p ${pText(a.srm.pValue)}` +
        (a.srm.flag ? ". The split does not match the weights: check the assignment before trusting these results." : ", as expected."),
    );
  } else {
    lines.push(`Users per variant: ${users} (the split is checked once every variant has 8 users).`);
  }
  return `${lines.join("\n")}\n`;
}

/** Registers `assay analyze`. */
export function registerAnalyze(program: Command): void {
  program
    .command("analyze <file>")
    .description("Compare one metric across the variants of a file of interactions (CSV or NDJSON, as for upload)")
    .requiredOption(
      "--metric <name>",
      "a field of the interactions (latency_ms, safety_flag, user_feedback_score, ...) or a key of their metrics",
    )
    .addOption(
      new Option(
        "--kind <kind>",
        "compare means, proportions (0/1 values) or a quantile; default proportion when every value is 0 or 1, else mean",
      ).choices(["mean", "proportion", "quantile"]),
    )
    .option(
      "--quantile <q>",
      "the quantile for --kind quantile (default 0.95, the P95)",
      parseNumberFlag("--quantile", { min: 0.01, max: 0.99 }),
    )
    .option("--control <variant>", "the control variant (default: the first variant in the file)")
    .option("--alpha <a>", "significance level (default 0.05)", parseNumberFlag("--alpha", { min: 1e-6, max: 0.5 }))
    .addOption(new Option("--correction <method>", "correction for several treatments (default holm)").choices(["holm", "bh", "none"]))
    .option("--weights <list>", "expected traffic split, the control first (0.5,0.5 or 50/50), or by name (A=0.5,B=0.5); default equal")
    .option("--json", "print the analysis as JSON")
    .addHelpText(
      "after",
      "\nEach interaction needs variant_id and user_id. Interactions without a value for the metric are left out of its statistics\nbut count in the users per variant. Errors name the line (NDJSON) or row (CSV, the header being row 1) and the field.",
    )
    .action(async (file: string, flags: AnalyzeFlags) => {
      if (flags.quantile !== undefined && flags.kind !== "quantile") throw new UsageError("--quantile goes with --kind quantile.");
      const analysis = await analyzeFile(file, flags);
      process.stdout.write(flags.json ? `${JSON.stringify(analysisJson(analysis))}\n` : formatAnalysis(analysis));
    });
}
