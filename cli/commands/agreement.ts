// `assay agreement FILE --judge CRITERION --human FIELD`: how well the judge agrees with people on the interactions that
// have both a judge score and a human rating (user_feedback_score, say). FILE holds the judge's scores (the lines
// `assay judge --output` writes, or interactions carrying the score in `metrics`), optionally joined by request_id with
// the interactions of `--interactions FILE` for the human field. Quadratic-weighted Cohen's kappa (the scores are
// ordinal), Spearman's rank correlation with its p, and the confusion matrix: lib/stats/agreement.ts.
import type { Command } from "commander";
import { cohenKappa, confusionMatrix, spearman, type Confusion } from "../../lib/stats/agreement";
import { decimals } from "../../lib/format/number";
import { interactionFileBatches } from "../interactionFile";
import { UsageError } from "../usage";

export interface AgreementFlags {
  judge: string;
  human: string;
  interactions?: string;
  scale?: string;
  json?: boolean;
}

export interface Agreement {
  n: number;
  kappa: number | null;
  kappaQuadratic: number | null;
  spearman: number | null;
  spearmanP: number | null;
  confusion: Confusion;
  /** Lines left out: a failed judgment, no judge score, no human rating. */
  skipped: { failed: number; noJudge: number; noHuman: number };
}

type Row = Record<string, unknown>;

/** A rating as a number: numbers, numeric text (CSV cells) and booleans (a thumbs up is 1); null when absent. */
function rating(value: unknown, where: string, field: string): number | null {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  const x = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
  if (!Number.isFinite(x)) throw new UsageError(`${where}: ${field} must be a number, got ${JSON.stringify(value).slice(0, 40)}.`);
  return x;
}

const record = (v: unknown): Row | null => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Row) : null);

/** The value of `field` in a line: the judge's scores first, then the line itself, then its metrics. */
function fieldOf(line: Row, field: string): unknown {
  return record(line.scores)?.[field] ?? line[field] ?? record(line.metrics)?.[field];
}

/** "1-5" -> [1, 2, 3, 4, 5]. */
export function scaleLabels(raw: string): number[] {
  const m = /^\s*(-?\d+)\s*(?:-|to|\.\.)\s*(-?\d+)\s*$/.exec(raw);
  if (!m) throw new UsageError(`--scale must be a range of whole numbers such as 1-5, got "${raw}".`);
  const [lo, hi] = [Number(m[1]), Number(m[2])];
  if (hi <= lo || hi - lo > 100) throw new UsageError(`--scale must go up, by at most 100 steps (1-5), got "${raw}".`);
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

export async function agreementOf(file: string, flags: AgreementFlags): Promise<Agreement> {
  const labels = flags.scale ? scaleLabels(flags.scale) : undefined;
  const human = new Map<string, number>();
  if (flags.interactions) {
    for await (const batch of interactionFileBatches(flags.interactions)) {
      batch.records.forEach((r, i) => {
        const line = record(r);
        const id = line?.request_id;
        if (!line || typeof id !== "string") throw new UsageError(`${flags.interactions}: ${batch.where(i)}: request_id is missing.`);
        const v = rating(fieldOf(line, flags.human), `${flags.interactions}: ${batch.where(i)}`, flags.human);
        if (v !== null) human.set(id, v);
      });
    }
  }
  const a: number[] = [];
  const b: number[] = [];
  const skipped = { failed: 0, noJudge: 0, noHuman: 0 };
  for await (const batch of interactionFileBatches(file)) {
    batch.records.forEach((r, i) => {
      const where = `${file}: ${batch.where(i)}`;
      const line = record(r);
      if (!line) throw new UsageError(`${where}: each line must be a JSON object.`);
      if (line.error !== undefined && line.error !== null && line.error !== "") return void skipped.failed++;
      const j = rating(fieldOf(line, flags.judge), where, flags.judge);
      if (j === null) return void skipped.noJudge++;
      const id = typeof line.request_id === "string" ? line.request_id : undefined;
      const h = flags.interactions
        ? id !== undefined
          ? (human.get(id) ?? null)
          : null
        : rating(fieldOf(line, flags.human), where, flags.human);
      if (h === null) return void skipped.noHuman++;
      for (const [v, field] of [
        [j, flags.judge],
        [h, flags.human],
      ] as const) {
        if (labels && !labels.includes(v))
          throw new UsageError(`${where}: ${field} is ${v}, outside --scale ${labels[0]}-${labels[labels.length - 1]}.`);
        if (!Number.isInteger(v)) throw new UsageError(`${where}: ${field} must be a whole-number rating, got ${v}.`);
      }
      a.push(j);
      b.push(h);
    });
  }
  if (a.length === 0)
    throw new UsageError(
      `${file}: no line has both a judge score "${flags.judge}" and a human rating "${flags.human}" (${skipped.failed} failed judgments, ${skipped.noJudge} without the score, ${skipped.noHuman} without the rating).`,
    );
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  const rho = spearman(a, b);
  return {
    n: a.length,
    kappa: finite(cohenKappa(a, b, { labels })),
    kappaQuadratic: finite(cohenKappa(a, b, { labels, weights: "quadratic" })),
    spearman: finite(rho.rho),
    spearmanP: finite(rho.pValue),
    confusion: confusionMatrix(a, b, labels),
    skipped,
  };
}

/** The report people read. */
export function formatAgreement(r: Agreement, flags: AgreementFlags): string {
  const lines = [`Judge ${flags.judge} against ${flags.human}, ${r.n} interactions with both.`];
  const k = r.kappaQuadratic;
  const strength = k === null ? "" : k >= 0.8 ? " (strong)" : k >= 0.6 ? " (substantial)" : k >= 0.4 ? " (moderate)" : " (weak)";
  lines.push(
    `Agreement, weighted by how far apart the ratings are (quadratic kappa): ${k === null ? "not defined (no spread)" : decimals(k, 3)}${strength}`,
  );
  lines.push(`Exact agreement beyond chance (kappa): ${r.kappa === null ? "not defined" : decimals(r.kappa, 3)}`);
  lines.push(
    `Rank correlation (Spearman): ${r.spearman === null ? "not defined" : decimals(r.spearman, 3)}${r.spearmanP === null ? "" : `, p ${r.spearmanP < 0.0001 ? "< 0.0001" : decimals(r.spearmanP, 4)}`}`,
  );
  const w = Math.max(...r.confusion.labels.map((l) => String(l).length), ...r.confusion.matrix.flat().map((v) => String(v).length), 5);
  lines.push("", `Confusion (rows: ${flags.judge}, columns: ${flags.human}):`);
  lines.push(["".padStart(w), ...r.confusion.labels.map((l) => String(l).padStart(w))].join(" "));
  r.confusion.matrix.forEach((row, i) =>
    lines.push([String(r.confusion.labels[i]).padStart(w), ...row.map((v) => String(v).padStart(w))].join(" ")),
  );
  const s = r.skipped;
  if (s.failed + s.noJudge + s.noHuman > 0)
    lines.push("", `Left out: ${s.failed} failed judgments, ${s.noJudge} lines without the score, ${s.noHuman} without the rating.`);
  return `${lines.join("\n")}\n`;
}

/** Registers `assay agreement`. */
export function registerAgreement(program: Command): void {
  program
    .command("agreement <file>")
    .description("How well the judge agrees with people: weighted kappa, rank correlation and the confusion matrix")
    .requiredOption("--judge <criterion>", "the judge's criterion (helpfulness, clarity, safety, ...)")
    .requiredOption("--human <field>", "the human rating's field (user_feedback_score, or a key of metrics)")
    .option("--interactions <file>", "interactions to take the human rating from, joined by request_id")
    .option("--scale <range>", "the rating scale both use, such as 1-5 (default: the values that occur)")
    .option("--json", "print the figures as JSON")
    .addHelpText(
      "after",
      "\nFILE is NDJSON, CSV or a JSON list: the lines `assay judge --output` writes, or interactions with the score in metrics.\nLines whose judgment failed, or without both ratings, are left out and counted.",
    )
    .action(async (file: string, flags: AgreementFlags) => {
      const r = await agreementOf(file, flags);
      process.stdout.write(flags.json ? `${JSON.stringify(r)}\n` : formatAgreement(r, flags));
    });
}
