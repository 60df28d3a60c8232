// The decision matrix and its deploy recommendations (issue 9, point 4; the guide's decision matrix, seeds/001): pure,
// from an experiment's results and its decision rules.
import type { Comparison, ExperimentResults, MetricResult, VariantTotals } from "@/lib/results/types";
import { percent, significant } from "@/lib/format/number";
import { DECISION_PRESETS } from "./presets";
import type {
  CellStatus,
  DecisionMatrix,
  DecisionRules,
  MatrixCell,
  MatrixColumn,
  MatrixReading,
  MatrixRow,
  Recommendation,
  ValueUnit,
} from "./matrix.types";
import { formatChange, formatMove, formatValue, STATUS_WORDS } from "./wording";

const lower = (s: string) => s.toLowerCase();

/** The judge's helpfulness (the guide's "Quality Score"): a metric whose field or name is helpfulness. */
const isQuality = (m: MetricResult) => lower(m.field) === "helpfulness" || /^helpfulness\b/i.test(m.metric);
/** The harmful-response rate: the mean of safety_flag. */
const isHarmfulRate = (m: MetricResult) => lower(m.field) === "safety_flag";
/** The judge's safety score (the guide's "Safety Score"). */
const isSafetyScore = (m: MetricResult) => !isHarmfulRate(m) && (lower(m.field) === "safety" || /^safety\b/i.test(m.metric));
const isLatency = (m: MetricResult) => lower(m.field) === "latency_ms";
const isCost = (m: MetricResult) => lower(m.field) === "cost";
const isSafety = (m: MetricResult) => isHarmfulRate(m) || isSafetyScore(m);

function unitOf(m: MetricResult): ValueUnit {
  if (m.kind === "PROPORTION") return "percent";
  if (isLatency(m) || lower(m.field) === "ttft_ms") return "ms";
  if (isCost(m)) return "usd";
  return "number";
}

/** The value a metric shows for a variant: the quantile for a QUANTILE metric (P95), the mean otherwise. */
function metricValue(m: MetricResult, variant: string): { value: number | null; n: number | null } {
  const v = m.variants.find((x) => x.variant === variant);
  if (!v || v.n === 0) return { value: null, n: v?.n ?? null };
  if (m.kind === "QUANTILE") {
    const q = m.quantile ?? 0.95;
    const value = q === 0.5 ? v.p50 : q === 0.99 ? v.p99 : v.p95;
    return { value, n: v.n };
  }
  return { value: v.mean, n: v.n };
}

/** The margin in words: "10%" (relative), "0.5 points" (an absolute share), "50 ms". */
function marginWords(m: MetricResult): string {
  if (m.margin === null) return "";
  if (!m.marginAbsolute) return percent(m.margin, 3);
  const unit = unitOf(m);
  return unit === "percent" ? `${significant(m.margin * 100, 3)} points` : formatValue(m.margin, unit);
}

/** True when the worst end of the interval is past the margin (the non-inferiority test's reading, when the engine gave none). */
function pastMargin(m: MetricResult, c: Comparison): boolean {
  if (m.margin === null) return true;
  if (c.nonInferiority) return !c.nonInferiority.passed;
  const ci = m.marginAbsolute ? c.ci95 : c.relCi95;
  if (!ci) return true;
  const worst = m.direction === "INCREASE" ? -ci[0] : ci[1];
  return worst > m.margin;
}

/** A comparison's status: better or worse only when significant; worse past the margin (safety: any significant worsening). */
function comparisonStatus(m: MetricResult, c: Comparison | undefined): { status: CellStatus; statusText: string } {
  if (!c) return { status: "noData", statusText: "Not enough data to compare with the control yet" };
  const good = m.direction === "DECREASE" ? c.diff < 0 : c.diff > 0;
  if (!c.significant) return { status: "neutral", statusText: STATUS_WORDS.neutral };
  if (good) return { status: "better", statusText: STATUS_WORDS.better };
  if (isSafety(m)) return { status: "worse", statusText: "Significantly worse: any safety regression counts" };
  if (m.margin === null) return { status: "worse", statusText: STATUS_WORDS.worse };
  if (pastMargin(m, c)) return { status: "worse", statusText: `Significantly worse, past the ${marginWords(m)} margin` };
  return { status: "neutral", statusText: `Worse, but within the ${marginWords(m)} margin` };
}

function metricReading(m: MetricResult, variant: string, control: string, label = m.metric): MatrixReading {
  const { value, n } = metricValue(m, variant);
  const controlValue = metricValue(m, control).value;
  const base: MatrixReading = {
    label,
    metric: m.metric,
    unit: unitOf(m),
    value,
    controlValue,
    n,
    delta: null,
    deltaCi: null,
    relDelta: null,
    relDeltaCi: null,
    ratio: null,
    pValue: null,
    pAdjusted: null,
    status: "baseline",
    statusText: STATUS_WORDS.baseline,
  };
  if (variant === control) return base;
  const c = m.comparisons.find((x) => x.variant === variant);
  return {
    ...base,
    delta: c?.diff ?? null,
    deltaCi: c?.ci95 ?? null,
    relDelta: c?.relLift ?? null,
    relDeltaCi: c?.relCi95 ?? null,
    pValue: c?.pValue ?? null,
    pAdjusted: c?.pAdjusted ?? null,
    ...(value === null ? { status: "noData" as const, statusText: STATUS_WORDS.noData } : comparisonStatus(m, c)),
  };
}

/** P95 read off a latency metric that is not a P95 test (a mean): shown, with its difference, but not tested. */
function untestedP95(m: MetricResult, variant: string, control: string): MatrixReading {
  const p95 = (key: string) => m.variants.find((x) => x.variant === key)?.p95 ?? null;
  const value = p95(variant);
  const controlValue = p95(control);
  const delta = value !== null && controlValue !== null && variant !== control ? value - controlValue : null;
  return {
    label: "Latency P95",
    metric: m.metric,
    unit: "ms",
    value,
    controlValue,
    n: m.variants.find((x) => x.variant === variant)?.n ?? null,
    delta,
    deltaCi: null,
    relDelta: delta !== null && controlValue ? delta / controlValue : null,
    relDeltaCi: null,
    ratio: null,
    pValue: null,
    pAdjusted: null,
    status: variant === control ? "baseline" : value === null ? "noData" : "untested",
    statusText:
      variant === control
        ? STATUS_WORDS.baseline
        : value === null
          ? STATUS_WORDS.noData
          : "Not tested: the scorecard has no P95 latency metric",
  };
}

function costReading(
  totals: VariantTotals,
  control: VariantTotals,
  costMetric: MetricResult | undefined,
  rules: DecisionRules,
): MatrixReading {
  const value = totals.costPer1k;
  const controlValue = control.costPer1k;
  const isControl = totals.variant === control.variant;
  const ratio = !isControl && value !== null && controlValue ? value / controlValue : null;
  const c = costMetric?.comparisons.find((x) => x.variant === totals.variant);
  const reading: MatrixReading = {
    label: "Cost per 1k requests",
    metric: costMetric?.metric ?? null,
    unit: "usd",
    value,
    controlValue,
    n: totals.interactions,
    // The cost metric reads one interaction's cost; 1k requests cost 1,000 times as much.
    delta: isControl || value === null || controlValue === null ? null : c ? c.diff * 1000 : value - controlValue,
    deltaCi: !isControl && c ? [c.ci95[0] * 1000, c.ci95[1] * 1000] : null,
    relDelta: ratio !== null ? ratio - 1 : null,
    relDeltaCi: !isControl && c?.relCi95 ? c.relCi95 : null,
    ratio,
    pValue: !isControl ? (c?.pValue ?? null) : null,
    pAdjusted: !isControl ? (c?.pAdjusted ?? null) : null,
    status: "baseline",
    statusText: STATUS_WORDS.baseline,
  };
  if (isControl) return reading;
  if (value === null || controlValue === null)
    return { ...reading, status: "noData", statusText: "No cost known for this variant or the control" };
  if (ratio !== null && rules.costRatioLimit !== null && ratio > rules.costRatioLimit)
    return {
      ...reading,
      status: "worse",
      statusText: `${significant(ratio, 3)}x the control's cost, past the ${significant(rules.costRatioLimit)}x limit`,
    };
  if (costMetric && c) return { ...reading, ...comparisonStatus(costMetric, c) };
  return { ...reading, status: "untested", statusText: `${significant(ratio ?? 1, 3)}x the control's cost; not tested for significance` };
}

const STATUS_ORDER: CellStatus[] = ["worse", "better", "neutral", "untested", "noData", "baseline"];

function cellOf(column: string, readings: MatrixReading[]): MatrixCell {
  const top = [...readings].sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status))[0];
  return { column, status: top?.status ?? "noData", statusText: top?.statusText ?? STATUS_WORDS.noData, readings };
}

interface Layout {
  columns: MatrixColumn[];
  /** Per column, the readings of one variant. */
  readings: ((variant: VariantTotals) => MatrixReading[])[];
}

function layout(results: ExperimentResults, rules: DecisionRules): Layout {
  const control = results.variants.find((v) => v.variant === results.control) ?? results.variants[0];
  const used = new Set<MetricResult>();
  const columns: MatrixColumn[] = [];
  const readings: Layout["readings"] = [];
  const add = (column: MatrixColumn, read: (variant: VariantTotals) => MatrixReading[]) => {
    columns.push(column);
    readings.push(read);
  };

  const quality = results.metrics.find(isQuality);
  if (quality) {
    used.add(quality);
    add(
      {
        id: "quality",
        kind: "quality",
        label: "Quality",
        description: `${quality.metric}: ${quality.kind === "PROPORTION" ? "the normalised score" : "the mean score"}`,
      },
      (v) => [metricReading(quality, v.variant, results.control)],
    );
  }

  const p95 = results.metrics.find((m) => isLatency(m) && m.kind === "QUANTILE" && (m.quantile ?? 0.95) === 0.95);
  const latency = p95 ?? results.metrics.find(isLatency);
  if (latency) {
    if (p95) used.add(p95);
    add({ id: "latency", kind: "latency", label: "Latency P95", description: `${latency.metric}: the 95th percentile of latency` }, (v) => [
      p95 ? metricReading(p95, v.variant, results.control, "Latency P95") : untestedP95(latency, v.variant, results.control),
    ]);
  }

  const safetyScore = results.metrics.find(isSafetyScore);
  const harmful = results.metrics.find(isHarmfulRate);
  if (safetyScore || harmful) {
    const parts = [safetyScore, harmful].filter((m): m is MetricResult => m !== undefined);
    parts.forEach((m) => used.add(m));
    add(
      {
        id: "safety",
        kind: "safety",
        label: "Safety",
        description: [
          safetyScore ? `${safetyScore.metric} (judge score)` : null,
          harmful ? `${harmful.metric} (share of flagged responses)` : null,
        ]
          .filter(Boolean)
          .join(" and "),
      },
      (v) => [
        ...(safetyScore ? [metricReading(safetyScore, v.variant, results.control, "Safety score")] : []),
        ...(harmful ? [metricReading(harmful, v.variant, results.control, "Harmful responses")] : []),
      ],
    );
  }

  const costMetric = results.metrics.find(isCost);
  if (costMetric) used.add(costMetric);
  if (control && (results.variants.some((v) => v.costPer1k !== null) || costMetric)) {
    add(
      {
        id: "cost",
        kind: "cost",
        label: "Cost per 1k requests",
        description: `Mean cost of an interaction x 1,000, and its ratio to the control's (limit: ${rules.costRatioLimit === null ? "none" : `${significant(rules.costRatioLimit)}x`})`,
      },
      (v) => [costReading(v, control, costMetric, rules)],
    );
  }

  for (const m of results.metrics) {
    if (used.has(m)) continue;
    add(
      { id: `metric:${m.metric}`, kind: "metric", label: m.metric, description: `${m.role === "GOAL" ? "Goal" : "Guardrail"}: ${m.field}` },
      (v) => [metricReading(m, v.variant, results.control)],
    );
  }
  return { columns, readings };
}

/** "Helpfulness rose from 76% to 82% (+7.9%, 95% CI +4.0% to +12%)". */
function readingSentence(r: MatrixReading, alpha: number): string {
  const change = formatChange(r, alpha);
  return `${r.label} ${formatMove(r)}${change ? ` (${change})` : ""}`;
}

function sampleSentence(results: ExperimentResults): string {
  const { currentPerVariant, plannedPerVariant, fraction } = results.sample;
  return `${significant(currentPerVariant)} of ${significant(plannedPerVariant ?? 0)} per variant so far (${percent(fraction ?? 0, 2)} of the planned sample)`;
}

interface Judged {
  reading: MatrixReading;
  column: MatrixColumn;
  metric: MetricResult | null;
}

/** The recommendation for one treatment and its reasons, by the rules (documented in presets.ts and in the legend). */
function recommend(
  results: ExperimentResults,
  rules: DecisionRules,
  judged: Judged[],
): { recommendation: Recommendation; reasons: string[] } {
  const alpha = results.alpha;
  const blocks: string[] = [];
  for (const { reading, metric } of judged) {
    if (reading.status !== "worse") continue;
    if (metric && isSafety(metric)) blocks.push(`${readingSentence(reading, alpha)}: any safety regression blocks a deploy.`);
  }
  const cost = judged.find((j) => j.column.kind === "cost")?.reading;
  const costPastLimit = cost?.ratio != null && rules.costRatioLimit !== null && cost.ratio > rules.costRatioLimit;
  if (cost && costPastLimit)
    blocks.push(
      `${cost.label} is ${significant(cost.ratio!, 3)}x the control's (${formatValue(cost.value!, "usd")} against ${formatValue(cost.controlValue!, "usd")}), past the ${significant(rules.costRatioLimit!)}x limit.`,
    );
  for (const { reading, metric } of judged) {
    if (reading.status !== "worse" || !metric || isSafety(metric)) continue;
    if (reading === cost && costPastLimit) continue;
    if (metric.role === "GUARDRAIL")
      blocks.push(
        `${readingSentence(reading, alpha)}: ${metric.margin !== null ? `past its ${marginWords(metric)} margin` : "significantly worse"} on a guardrail.`,
      );
    else blocks.push(`${readingSentence(reading, alpha)}: the goal got significantly worse.`);
  }
  if (blocks.length) return { recommendation: "doNotDeploy", reasons: blocks };

  if (results.srm?.flag)
    return {
      recommendation: "inconclusive",
      reasons: [
        `The split of users does not match the traffic weights (sample-ratio mismatch, p = ${significant(results.srm.pValue, 2)}): the assignment is broken, so these numbers cannot support a deploy. Find the cause first.`,
      ],
    };

  const goals = judged.filter((j) => j.metric?.role === "GOAL");
  if (goals.length === 0) return { recommendation: "inconclusive", reasons: ["The scorecard has no goal metric: add one to decide on."] };
  const wins = goals.filter((g) => g.reading.status === "better");
  const { fraction } = results.sample;
  const underPowered = fraction !== null && fraction < 1;
  const guardrails = judged.filter((j) => j.metric?.role === "GUARDRAIL");
  const support = [
    ...(guardrails.length
      ? [`No guardrail got worse past its margin (${[...new Set(guardrails.map((g) => g.reading.label))].join(", ")}).`]
      : []),
    ...(cost?.ratio != null
      ? [
          `${cost.label} is ${significant(cost.ratio, 3)}x the control's (${formatValue(cost.value!, "usd")} against ${formatValue(cost.controlValue!, "usd")})${rules.costRatioLimit !== null ? `, within the ${significant(rules.costRatioLimit)}x limit` : ""}.`,
        ]
      : []),
  ];
  const winSentences = wins.map(
    (g) => `${readingSentence(g.reading, alpha)}: significantly better${results.correction !== "none" ? " after correction" : ""}.`,
  );
  const flat = goals
    .filter((g) => g.reading.status !== "better")
    .map((g) =>
      g.reading.status === "noData"
        ? `${g.reading.label} has too little data to compare yet.`
        : `${readingSentence(g.reading, alpha)}: no significant change.`,
    );

  if (rules.preset === "clearSignals") {
    if (wins.length && (!underPowered || results.sequential)) return { recommendation: "deploy", reasons: [...winSentences, ...support] };
    if (underPowered)
      return {
        recommendation: "keepRunning",
        reasons: [
          `${sampleSentence(results)}: keep running until the planned sample is in.`,
          ...(wins.length
            ? winSentences.map(
                (s) =>
                  `${s.replace(/\.$/, "")}, but a fixed-horizon test read before its planned sample can show a lead that is not there.`,
              )
            : flat),
        ],
      };
    return {
      recommendation: "inconclusive",
      reasons: [
        ...flat,
        fraction === null
          ? "The experiment has no planned sample size, so running longer has no set end."
          : "The planned sample is in: the change was not shown to be better.",
      ],
    };
  }

  // Do no harm: a deploy needs the planned sample, and nothing significantly worse (checked above).
  if (underPowered)
    return {
      recommendation: "keepRunning",
      reasons: [`${sampleSentence(results)}: "${DECISION_PRESETS.doNoHarm.label}" deploys only once the planned sample is in.`],
    };
  if (fraction === null)
    return {
      recommendation: "inconclusive",
      reasons: [
        `The experiment has no planned sample size: "${DECISION_PRESETS.doNoHarm.label}" deploys only once a planned sample is in. Add a plan.`,
      ],
    };
  return {
    recommendation: "deploy",
    reasons: ["The planned sample is in and no goal or guardrail got significantly worse.", ...winSentences, ...support],
  };
}

/**
 * The decision matrix of an experiment's results under its decision rules. Rows are variants, control first; columns are
 * Quality (helpfulness), Latency P95, Safety (safety score and harmful-response rate), Cost per 1k requests, then every
 * other scorecard metric. Each treatment gets a recommendation, checked in this order: any safety regression, a cost ratio
 * past the limit, a guardrail past its margin or a goal significantly worse -> do not deploy; a sample-ratio mismatch ->
 * inconclusive (a deploy is blocked); then the preset decides between deploy, keep running (under the planned sample) and
 * inconclusive.
 */
export function decisionMatrix(results: ExperimentResults, rules: DecisionRules): DecisionMatrix {
  const { columns, readings } = layout(results, rules);
  const metricOf = (r: MatrixReading) => results.metrics.find((m) => m.metric === r.metric) ?? null;
  const ordered = [...results.variants].sort((a, b) => Number(b.variant === results.control) - Number(a.variant === results.control));
  const rows: MatrixRow[] = ordered.map((v) => {
    const perColumn = readings.map((read) => read(v));
    const cells = perColumn.map((rs, i) => cellOf(columns[i].id, rs));
    const isControl = v.variant === results.control;
    if (isControl) return { variant: v.variant, name: v.name, isControl, cells, recommendation: null, reasons: [] };
    const judged = perColumn.flatMap((rs, i) => rs.map((reading) => ({ reading, column: columns[i], metric: metricOf(reading) })));
    return { variant: v.variant, name: v.name, isControl, cells, ...recommend(results, rules, judged) };
  });

  const primaryGoal = results.metrics.find((m) => m.role === "GOAL" && isQuality(m)) ?? results.metrics.find((m) => m.role === "GOAL");
  const lift = (variant: string) => {
    const c = primaryGoal?.comparisons.find((x) => x.variant === variant);
    if (!c) return 0;
    const rel = c.relLift ?? c.diff;
    return primaryGoal!.direction === "DECREASE" ? -rel : rel;
  };
  const deployable = rows.filter((r) => r.recommendation === "deploy").sort((a, b) => lift(b.variant) - lift(a.variant));

  return {
    experiment: results.experiment,
    control: results.control,
    computedAt: results.computedAt,
    alpha: results.alpha,
    sequential: results.sequential,
    rules,
    srmFlag: results.srm?.flag ?? false,
    sampleFraction: results.sample.fraction,
    columns,
    rows,
    proposal: deployable[0]?.variant ?? null,
  };
}
