// `assay compare BASELINE OPTIMIZED` or `assay compare --baseline A1 A2 --optimized B1 B2`: two builds' load runs
// (varcas's or Assay's results files) compared metric by metric with intervals, p-values and warnings
// (lib/harness/compare.ts). `--json` prints {"sameTrace", "matchedPrompts", "metrics", "warnings"}.
import type { Command } from "commander";
import { COMPARED_METRICS, compareRuns, type CompareResult } from "../../lib/harness/compare";
import { BOOTSTRAP_DEFAULTS } from "../../lib/stats/bootstrap";
import { UsageError, parseNumberFlag } from "../usage";
import { readResults } from "./report";

interface CompareFlags {
  baseline?: string[];
  optimized?: string[];
  json?: boolean;
  seed?: number;
  resamples?: number;
}

/** The two sides' files from either spelling; UsageError naming what is missing or mixed. */
export function compareSides(files: string[], flags: CompareFlags): { baseline: string[]; optimized: string[] } {
  const byFlag = flags.baseline !== undefined || flags.optimized !== undefined;
  if (byFlag) {
    if (files.length)
      throw new UsageError(
        `give the runs either as BASELINE OPTIMIZED or with --baseline and --optimized, not both (extra: ${files.join(" ")}).`,
      );
    if (!flags.baseline?.length) throw new UsageError("--baseline needs at least one results file.");
    if (!flags.optimized?.length) throw new UsageError("--optimized needs at least one results file.");
    return { baseline: flags.baseline, optimized: flags.optimized };
  }
  if (files.length !== 2)
    throw new UsageError(`compare takes two results files, BASELINE OPTIMIZED (or --baseline ... --optimized ...), got ${files.length}.`);
  return { baseline: [files[0]], optimized: [files[1]] };
}

/** The JSON answer: the comparison's spec'd keys only. */
export function compareJson(r: CompareResult) {
  return {
    sameTrace: r.sameTrace,
    matchedPrompts: r.matchedPrompts,
    metrics: Object.fromEntries(
      COMPARED_METRICS.map((name) => {
        const { baseline, optimized, delta, ratio, ci95, pValue } = r.metrics[name];
        return [name, { baseline, optimized, delta, ratio, ci95, pValue }];
      }),
    ),
    warnings: r.warnings,
  };
}

/** Registers `assay compare`. */
export function registerCompare(program: Command): void {
  program
    .command("compare [files...]")
    .description("Compare a baseline build's load run(s) with an optimized build's: deltas, 95% intervals, p-values, warnings")
    .option("--baseline <files...>", "the baseline build's results files (two or more: judged against run-to-run variation)")
    .option("--optimized <files...>", "the optimized build's results files")
    .option("--json", 'print {"sameTrace", "matchedPrompts", "metrics", "warnings"} as JSON')
    .option(
      "--seed <s>",
      `seed of the bootstrap (default ${BOOTSTRAP_DEFAULTS.seed}); the same seed gives the same intervals`,
      parseNumberFlag("--seed", { min: 0, max: 2 ** 32 - 1, integer: true }),
    )
    .option(
      "--resamples <n>",
      `bootstrap resamples (default ${BOOTSTRAP_DEFAULTS.resamples})`,
      parseNumberFlag("--resamples", { min: 100, max: 100_000, integer: true }),
    )
    .action((files: string[], flags: CompareFlags) => {
      const sides = compareSides(files, flags);
      const result = compareRuns(sides.baseline.map(readResults), sides.optimized.map(readResults), {
        seed: flags.seed,
        resamples: flags.resamples,
      });
      process.stdout.write(flags.json ? `${JSON.stringify(compareJson(result))}\n` : formatCompare(result));
    });
}

const num = (x: number | null, digits = 2) =>
  x === null ? "-" : x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The readable comparison: one row per metric, then how it was tested, then the warnings. */
export function formatCompare(r: CompareResult): string {
  const header = ["metric", "baseline", "optimized", "delta", "ratio", "95% CI of delta", "p"];
  const rows = COMPARED_METRICS.map((name) => {
    const m = r.metrics[name];
    const digits = name === "error_rate" ? 4 : 2;
    return [
      name,
      num(m.baseline, digits),
      num(m.optimized, digits),
      num(m.delta, digits),
      m.ratio === null ? "-" : m.ratio.toFixed(3),
      m.ci95 ? `${num(m.ci95[0], digits)} to ${num(m.ci95[1], digits)}` : "-",
      m.pValue === null ? "-" : m.pValue < 1e-4 ? "<0.0001" : m.pValue.toFixed(4),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const m = r.matchedPrompts;
  const how =
    r.runs.baseline >= 2 && r.runs.optimized >= 2
      ? `${r.runs.baseline} baseline and ${r.runs.optimized} optimized runs: each run's value, Welch's t test across runs.`
      : r.paired
        ? "One trace replayed by both: requests paired by prompt; Wilcoxon signed-rank p for TTFT/TPOT/latency (P50 and P99 share it), bootstrap CIs of paired resamples, two-proportion z test for the error rate."
        : "Requests as independent samples: Mann-Whitney U p for TTFT/TPOT/latency (P50 and P99 share it), bootstrap CIs, two-proportion z test for the error rate.";
  const lines = [
    `Trace: ${r.sameTrace ? "the same" : "different"} (${m.matched} of ${Math.max(m.baseline, m.optimized)} requests matched by prompt)`,
    how,
    "",
    line(header),
    ...rows.map(line),
  ];
  if (r.warnings.length) lines.push("", ...r.warnings.map((w) => `warning ${w.code}: ${w.message}`));
  return `${lines.join("\n")}\n`;
}
