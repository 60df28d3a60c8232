// How well the LLM judge agrees with the users: for one rubric version and criterion, the experiment's interactions that
// have both a judge score and a user feedback score, counted by (user rating, judge score) in SQL and read as a
// quadratic-weighted Cohen's kappa (the scores are ordinal, a 1-vs-5 miss weighs more than 4-vs-5), Spearman's rank
// correlation with its p, and the confusion matrix over the criterion's whole scale; overall and per variant. The judge's
// agreement with itself is read across two rubric versions that scored the same interactions (one version cannot score
// an interaction twice).
import { AppError } from "@/lib/errors";
import { DEFAULT_RUBRIC_NAME } from "@/lib/db/judgeRuns";
import {
  experimentWithVariants,
  judgeHumanCounts,
  rubricVersionsNamed,
  rubricVersionsUsed,
  rescorePairCounts,
  versionPairCounts,
  type RubricVersionRow,
} from "@/lib/db/judgeAgreement";
import { cohenKappaOfMatrix, spearmanOfMatrix } from "@/lib/stats/agreement";
import { fieldIssuesError } from "@/lib/validation/issues";
import type { JudgeAgreementQuery } from "@/lib/validation/judgeAgreement";
import { DEFAULT_RUBRIC } from "./rubric";

/** The human rating compared with the judge: the logging schema's field. */
export const HUMAN_RATING_FIELD = "user_feedback_score";

/** What is said when there are too few pairs for any statistic. */
export const TOO_FEW_PAIRS = "fewer than 2 interactions have both a judge score and a user rating";

export interface AgreementNumbers {
  n: number;
  /** Null when n < 2 or undefined (neither rater varies); `note` says why. */
  kappaQuadratic: number | null;
  spearman: number | null;
  spearmanP: number | null;
  note: string | null;
}

export interface AgreementCriterion {
  key: string;
  label: string;
  min: number;
  max: number;
}

export interface JudgeAgreementReport extends AgreementNumbers {
  experiment: string;
  rubric: { name: string; version: number };
  criterion: string;
  /** The rubric version's criteria, to choose from. */
  criteria: AgreementCriterion[];
  human: typeof HUMAN_RATING_FIELD;
  /** Interactions with both ratings left out because one is not a whole number on the criterion's scale. */
  offScale: number;
  /** matrix[i][j]: interactions the users rated labels[i] and the judge scored labels[j]. */
  confusion: { labels: number[]; rows: typeof HUMAN_RATING_FIELD; columns: "judge"; matrix: number[][] };
  perVariant: ({ variant: string; name: string } & AgreementNumbers)[];
  /** Rubric versions used on the experiment, most recently used first, with how many of its interactions each scored. */
  versions: { name: string; version: number; scored: number }[];
  /** The chosen version against another version that scored the same interactions; null when there is none. */
  selfConsistency: ({ against: { name: string; version: number } } & AgreementNumbers) | null;
  selfConsistencyNote: string | null;
  /**
   * The same version read twice: each score against a rescore run's second reading of the interaction (`exact`: the share
   * of identical readings); null when no rescore run of this version has finished an interaction.
   */
  rescoring: (AgreementNumbers & { exact: number | null }) | null;
}

/** A rubric row's criteria that have a whole-number scale (a row's JSON is not trusted blindly). */
export function criteriaOf(raw: unknown): AgreementCriterion[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((c: Record<string, unknown>) => {
    const key = typeof c?.key === "string" ? c.key : typeof c?.name === "string" ? c.name : null;
    const { min, max } = c ?? {};
    if (!key || !Number.isInteger(min) || !Number.isInteger(max) || (max as number) <= (min as number)) return [];
    const label = typeof c.label === "string" && c.label ? c.label : key.charAt(0).toUpperCase() + key.slice(1).replace(/_/g, " ");
    return [{ key, label, min: min as number, max: max as number }];
  });
}

const finite = (x: number) => (Number.isFinite(x) ? x : null);

/** Kappa, Spearman and its p of a table of counts (rows: users' ratings, columns: judge scores), with what is undefined and why. */
export function agreementNumbers(matrix: number[][]): AgreementNumbers {
  const n = matrix.reduce((s, r) => s + r.reduce((t, v) => t + v, 0), 0);
  if (n < 2) return { n, kappaQuadratic: null, spearman: null, spearmanP: null, note: TOO_FEW_PAIRS };
  const kappa = finite(cohenKappaOfMatrix(matrix, "quadratic"));
  const rho = spearmanOfMatrix(matrix);
  const spearman = finite(rho.rho);
  const spearmanP = spearman === null ? null : finite(rho.pValue);
  const notes: string[] = [];
  const usedRows = matrix.filter((r) => r.some((v) => v > 0)).length;
  const usedCols = matrix[0].filter((_, j) => matrix.some((r) => r[j] > 0)).length;
  if (kappa === null) notes.push("weighted kappa is undefined: the judge and the users gave every interaction the same one score");
  else if (spearman === null)
    notes.push(
      `rank correlation is undefined: ${usedRows === 1 && usedCols === 1 ? "both" : usedRows === 1 ? "the users" : "the judge"} gave every interaction the same score`,
    );
  else if (spearmanP === null) notes.push("the rank correlation's p needs at least 3 interactions");
  return { n, kappaQuadratic: kappa, spearman, spearmanP, note: notes.length ? notes.join("; ") : null };
}

const scaleOf = (c: AgreementCriterion) => Array.from({ length: c.max - c.min + 1 }, (_, i) => c.min + i);
const emptyMatrix = (size: number) => Array.from({ length: size }, () => new Array<number>(size).fill(0));
const versionName = (r: { name: string; version: number }) => `${r.name} version ${r.version}`;

type RubricChoice = { id: string | null; name: string; version: number; criteria: unknown };

/** The rubric version asked for, else the one most recently used on the experiment, else the default rubric. */
async function chooseRubric(used: RubricVersionRow[], q: JudgeAgreementQuery): Promise<RubricChoice> {
  const usedWords = used.length
    ? `this experiment was judged with ${used.map(versionName).join(", ")}`
    : "no rubric has judged this experiment yet; leave rubric and version out for the default";
  if (q.rubric === undefined && q.version === undefined) {
    const latest = used.find((u) => u.scored > 0) ?? used[0];
    if (latest) return latest;
    const rows = await rubricVersionsNamed(DEFAULT_RUBRIC_NAME);
    return (
      rows.find((r) => r.version === 1) ?? rows[0] ?? { id: null, name: DEFAULT_RUBRIC_NAME, version: 1, criteria: DEFAULT_RUBRIC.criteria }
    );
  }
  const name = q.rubric ?? used[0]?.name ?? DEFAULT_RUBRIC_NAME;
  const rows = await rubricVersionsNamed(name);
  if (!rows.length) throw fieldIssuesError([{ field: "rubric", message: `no rubric is called "${name}"; ${usedWords}` }]);
  if (q.version === undefined) return used.find((u) => u.name === name) ?? rows[0];
  const row = rows.find((r) => r.version === q.version);
  if (!row)
    throw fieldIssuesError([
      {
        field: "version",
        message: `rubric "${name}" has no version ${q.version}; its versions are ${rows
          .map((r) => r.version)
          .sort((a, b) => a - b)
          .join(", ")}`,
      },
    ]);
  return row;
}

/** The judge-against-users agreement of the experiment with this key: GET /api/v1/experiments/{key}/judge-agreement. */
export async function judgeAgreement(key: string, q: JudgeAgreementQuery = {}): Promise<JudgeAgreementReport> {
  const experiment = await experimentWithVariants(key);
  if (!experiment) throw new AppError("NOT_FOUND", `No experiment has the key "${key}".`);
  const used = await rubricVersionsUsed(experiment.id);
  const rubric = await chooseRubric(used, q);
  const criteria = criteriaOf(rubric.criteria);
  if (!criteria.length)
    throw fieldIssuesError([
      {
        field: q.rubric || q.version ? "rubric" : "criterion",
        message: `${versionName(rubric)} lists no criterion with a whole-number scale; choose another rubric version`,
      },
    ]);
  const criterion = q.criterion === undefined ? criteria[0] : criteria.find((c) => c.key === q.criterion);
  if (!criterion)
    throw fieldIssuesError([
      {
        field: "criterion",
        message: `${versionName(rubric)} has no criterion "${q.criterion}"; choose one of ${criteria.map((c) => c.key).join(", ")}`,
      },
    ]);
  const labels = scaleOf(criterion);
  const rows = rubric.id
    ? await judgeHumanCounts({
        experimentId: experiment.id,
        rubricId: rubric.id,
        criterion: criterion.key,
        min: criterion.min,
        max: criterion.max,
      })
    : [];

  const overall = emptyMatrix(labels.length);
  const perVariantMatrix = new Map(experiment.variants.map((v) => [v.key, emptyMatrix(labels.length)]));
  let offScale = 0;
  for (const r of rows) {
    if (r.judge === null || r.human === null) {
      offScale += r.n;
      continue;
    }
    const [i, j] = [r.human - criterion.min, r.judge - criterion.min];
    overall[i][j] += r.n;
    perVariantMatrix.get(r.variant)![i][j] += r.n;
  }
  const numbers = agreementNumbers(overall);
  if (offScale > 0) {
    const left = `${offScale.toLocaleString("en-US")} interaction${offScale === 1 ? " was" : "s were"} left out: a user rating or judge score not a whole number from ${criterion.min} to ${criterion.max}`;
    numbers.note = numbers.note ? `${numbers.note}; ${left}` : left;
  }

  return {
    experiment: key,
    rubric: { name: rubric.name, version: rubric.version },
    criterion: criterion.key,
    criteria,
    human: HUMAN_RATING_FIELD,
    ...numbers,
    offScale,
    confusion: { labels, rows: HUMAN_RATING_FIELD, columns: "judge", matrix: overall },
    perVariant: experiment.variants.map((v) => ({ variant: v.key, name: v.name, ...agreementNumbers(perVariantMatrix.get(v.key)!) })),
    versions: used.map((u) => ({ name: u.name, version: u.version, scored: u.scored })),
    ...(await selfConsistency(experiment.id, rubric, criterion, used)),
    rescoring: rubric.id ? await rescoring(experiment.id, rubric.id, criterion) : null,
  };
}

/** The judge against itself on one version: scores against rescore runs' second readings. */
async function rescoring(
  experimentId: string,
  rubricId: string,
  criterion: AgreementCriterion,
): Promise<JudgeAgreementReport["rescoring"]> {
  const pairs = await rescorePairCounts({ experimentId, rubricId, criterion: criterion.key, min: criterion.min, max: criterion.max });
  if (pairs.length === 0) return null;
  const matrix = emptyMatrix(criterion.max - criterion.min + 1);
  for (const p of pairs) matrix[p.a - criterion.min][p.b - criterion.min] += p.n;
  const numbers = agreementNumbers(matrix);
  const same = pairs.filter((p) => p.a === p.b).reduce((t, p) => t + p.n, 0);
  return { ...numbers, exact: numbers.n ? same / numbers.n : null };
}

/** The chosen version against the most recently used other version with the same criterion and scale, over the interactions both scored. */
async function selfConsistency(
  experimentId: string,
  rubric: RubricChoice,
  criterion: AgreementCriterion,
  used: RubricVersionRow[],
): Promise<Pick<JudgeAgreementReport, "selfConsistency" | "selfConsistencyNote">> {
  const other = used.find(
    (u) =>
      u.id !== rubric.id &&
      criteriaOf(u.criteria).some((c) => c.key === criterion.key && c.min === criterion.min && c.max === criterion.max),
  );
  if (!rubric.id || !other)
    return {
      selfConsistency: null,
      selfConsistencyNote: `only one rubric version scored ${criterion.key} on this experiment; the judge's agreement with itself is measured between two versions that scored the same interactions`,
    };
  const matrix = emptyMatrix(criterion.max - criterion.min + 1);
  const pairs = await versionPairCounts({
    experimentId,
    rubricA: rubric.id,
    rubricB: other.id,
    criterion: criterion.key,
    min: criterion.min,
    max: criterion.max,
  });
  for (const p of pairs) matrix[p.a - criterion.min][p.b - criterion.min] += p.n;
  const numbers = agreementNumbers(matrix);
  if (numbers.n < 2) numbers.note = `fewer than 2 interactions were scored by both ${versionName(rubric)} and ${versionName(other)}`;
  return { selfConsistency: { against: { name: other.name, version: other.version }, ...numbers }, selfConsistencyNote: null };
}
