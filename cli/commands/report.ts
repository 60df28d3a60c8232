// `assay report FILE`: a results file's metrics, varcas's definitions (recomputed from the records, so they equal what
// varcas printed) beside Assay's (measured window, in-flight apart, usage tokens, intended-send latency, schedule lag,
// goodput with --goodput, failures by class), from lib/harness/metrics.ts. `--json` prints {"varcas", "assay", "errors"}.
import type { Command } from "commander";
import { assayMetrics, varcasMetrics, type AssayMetrics, type Distribution, type Slo } from "../../lib/harness/metrics";
import { ResultsFileError, parseResultsFile } from "../../lib/harness/resultsFile";
import type { HarnessResultsFile, VarcasMetrics } from "../../lib/harness/types";
import { UsageError } from "../usage";

const SLO_KEYS = { ttft: "ttftMs", tpot: "tpotMs", e2el: "e2elMs" } as const;

/** `--goodput ttft:200 tpot:50 e2el:5000` (vLLM's spelling, ms) as an Slo; UsageError naming --goodput otherwise. */
export function parseGoodput(items: readonly string[]): Slo {
  const slo: Slo = {};
  for (const item of items) {
    const [key, raw, ...extra] = item.split(":");
    const name = SLO_KEYS[key as keyof typeof SLO_KEYS];
    const value = Number(raw);
    if (!name || extra.length || raw === undefined || raw.trim() === "" || !Number.isFinite(value) || value <= 0)
      throw new UsageError(`--goodput takes ttft:MS, tpot:MS and e2el:MS with positive milliseconds, got "${item}".`);
    slo[name] = value;
  }
  if (!items.length) throw new UsageError("--goodput needs at least one of ttft:MS, tpot:MS, e2el:MS.");
  return slo;
}

/** `--metric-percentiles 50,95,99` as numbers in (0, 100]; UsageError naming the flag otherwise. */
export function parsePercentiles(raw: string): number[] {
  const values = raw.split(",").map((s) => s.trim());
  const out = values.map(Number);
  if (values.some((s) => s === "") || out.some((p) => !Number.isFinite(p) || p <= 0 || p > 100))
    throw new UsageError(`--metric-percentiles takes comma-separated percentiles above 0 and at most 100, e.g. 50,95,99, got "${raw}".`);
  return [...new Set(out)].sort((a, b) => a - b);
}

/** A results file through parseResultsFile, its errors as usage errors (exit 2) naming the file and field. */
export function readResults(file: string): HarnessResultsFile {
  try {
    return parseResultsFile(file);
  } catch (err) {
    if (err instanceof ResultsFileError) throw new UsageError(err.message);
    throw err;
  }
}

export interface Report {
  varcas: VarcasMetrics;
  assay: AssayMetrics;
  errors: Record<string, number>;
}

/** The report of one results file. */
export function reportOf(file: HarnessResultsFile, options: { percentiles?: number[]; slo?: Slo }): Report {
  const assay = assayMetrics(file.records, options);
  return { varcas: varcasMetrics(file.records), assay, errors: assay.errors };
}

interface ReportFlags {
  json?: boolean;
  goodput?: string[];
  metricPercentiles?: string;
}

/** Registers `assay report`. */
export function registerReport(program: Command): void {
  program
    .command("report <file>")
    .description("A results file's metrics (varcas's or Assay's): varcas's definitions beside Assay's, failures by class")
    .option("--json", 'print {"varcas": {...}, "assay": {...}, "errors": {class: count}} as JSON')
    .option("--goodput <slo...>", "SLOs in ms for goodput, e.g. ttft:200 tpot:50 e2el:5000 (a request counts when it meets all)")
    .option("--metric-percentiles <list>", "percentiles of Assay's distributions (default 50,90,95,99)")
    .action((file: string, flags: ReportFlags) => {
      const percentiles = flags.metricPercentiles === undefined ? undefined : parsePercentiles(flags.metricPercentiles);
      const slo = flags.goodput === undefined ? undefined : parseGoodput(flags.goodput);
      const report = reportOf(readResults(file), { percentiles, slo });
      process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : formatReport(file, report));
    });
}

const fmt = (x: number | null, digits = 1) =>
  x === null ? "-" : x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The readable report: varcas's block, then Assay's distributions as a table, then goodput and failures. */
export function formatReport(file: string, r: Report): string {
  const v = r.varcas;
  const a = r.assay;
  const lines = [
    `${file}`,
    "",
    "varcas's definitions (as varcas computes them: every record, throughput over the span of send times)",
    `  requests ${v.total_requests} (${v.successful_requests} ok, ${v.failed_requests} failed)`,
    `  throughput ${fmt(v.throughput_rps, 2)} req/s, ${fmt(v.throughput_tok_s, 1)} output tok/s`,
    `  TTFT    p50 ${fmt(v.ttft_p50_ms)} ms   p99 ${fmt(v.ttft_p99_ms)} ms`,
    `  TPOT    p50 ${fmt(v.tpot_p50_ms)} ms   p99 ${fmt(v.tpot_p99_ms)} ms`,
    `  latency p50 ${fmt(v.latency_p50_ms)} ms   p99 ${fmt(v.latency_p99_ms)} ms`,
    "",
    "Assay's definitions (measured window only, first send to last completion)",
    `  requests ${a.measuredRequests} (${a.successful} ok, ${a.failed} failed, ${a.inFlight} in flight)`,
    `  throughput ${fmt(a.throughputRps, 2)} req/s, ${fmt(a.outputTokensPerS, 1)} output tok/s over ${fmt(a.windowS, 2)} s` +
      ` (tokens: ${a.tokensSource.usage} from usage, ${a.tokensSource.estimate} estimated, ${a.tokensSource.file} from the file)`,
  ];
  if (a.goodput) {
    const slo = Object.entries(a.goodput.slo)
      .map(([k, ms]) => `${k.replace(/Ms$/, "")} <= ${ms} ms`)
      .join(", ");
    lines.push(`  goodput ${fmt(a.goodput.perS, 2)} req/s: ${a.goodput.requests} requests (${fmt(a.goodput.share * 100)}%) met ${slo}`);
  }
  const rows: [string, Distribution][] = [
    ["TTFT", a.ttftMs],
    ["TPOT", a.tpotMs],
    ["ITL", a.itlMs],
    ["E2E (sent)", a.e2eMs],
    ["E2E (intended)", a.e2eFromIntendedMs],
    ["schedule lag", a.scheduleLagMs],
    ["slot wait", a.slotWaitMs],
  ];
  const pKeys = Object.keys(a.ttftMs).filter((k) => k.startsWith("p")) as `p${number}`[];
  const header = ["ms", "count", "mean", ...pKeys, "max"];
  const table = rows.map(([name, d]) => [name, String(d.count), fmt(d.mean), ...pKeys.map((k) => fmt(d[k])), fmt(d.max)]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells: string[]) => "  " + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  lines.push("", line(header), ...table.map(line));
  const errors = Object.entries(r.errors).sort((x, y) => y[1] - x[1]);
  lines.push("", errors.length ? `failures: ${errors.map(([c, n]) => `${c} ${n}`).join(", ")}` : "failures: none");
  return `${lines.join("\n")}\n`;
}
