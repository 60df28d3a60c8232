// The planner form's text fields <-> plan input, validated with the shared planInputSchema so the browser
// shows the same messages as the API and the CLI. Pure (no React) so the form logic is unit-tested.
import {
  PLAN_DEFAULTS,
  PlanInputError,
  type PlanCorrection,
  type PlanEffectSizeMethod,
  type PlanField,
  type PlanInput,
  type PlanMetric,
} from "@/lib/stats/power";
import { planInputSchema } from "@/lib/validation/plan";
import { inverseForDays, planReport, type InverseResult, type PlanReport } from "./report";

/** The planner's inputs as numbers, in PlanInput units (mde and coverage as fractions); a field that does not hold a number is NaN. */
export type PlanFormValues = {
  metric: PlanMetric;
  /** Control's rate in (0, 1) for a proportion, or its mean. */
  baseline: number;
  /** Standard deviation (mean metric only). */
  sd: number | null;
  /** Relative (0.05 = +5%) unless mdeAbsolute, then in the metric's units; negative = a decrease. */
  mde: number;
  mdeAbsolute: boolean;
  alpha: number;
  power: number;
  /** Arms including the control, 2..8. */
  variants: number;
  /** Traffic split, the control first ([90, 10]); null = equal shares. */
  weights: number[] | null;
  correction: PlanCorrection;
  effectSize: PlanEffectSizeMethod;
  /** Units entering per day before coverage; null = no duration estimate. */
  dailyTraffic: number | null;
  /** Share of the daily traffic in the experiment, (0, 1]. */
  coverage: number;
  /** Days for the inverse ("with N days you can detect ..."); null = no inverse. */
  days: number | null;
};

/** What the inputs hold while a person types: text for numbers, percent for the relative MDE and the coverage. */
export type PlanFormFields = {
  metric: PlanMetric;
  baseline: string;
  sd: string;
  mde: string;
  mdeAbsolute: boolean;
  alpha: string;
  power: string;
  variants: string;
  /** "90/10": the split, the control first; empty = equal. */
  weights: string;
  bonferroni: boolean;
  effectSize: PlanEffectSizeMethod;
  dailyTraffic: string;
  coverage: string;
  days: string;
};

/** The guide's example (seeds/001, plan_ab_test): helpfulness 0.76, +5% relative, 2,000 interactions a day -> 1,872 / 3,744 / 2 days. */
export const GUIDE_EXAMPLE: PlanFormValues = {
  metric: "proportion",
  baseline: 0.76,
  sd: null,
  mde: 0.05,
  mdeAbsolute: false,
  alpha: PLAN_DEFAULTS.alpha,
  power: PLAN_DEFAULTS.power,
  variants: PLAN_DEFAULTS.variants,
  weights: null,
  correction: PLAN_DEFAULTS.correction,
  effectSize: PLAN_DEFAULTS.effectSize,
  dailyTraffic: 2000,
  coverage: PLAN_DEFAULTS.coverage,
  days: 7,
};

export type PlanFormState = {
  values: PlanFormValues;
  /** One message per field at fault, starting with the field's label ("Baseline must be ..."). */
  errors: Partial<Record<PlanField, string>>;
  /** Plan and MDE table; null while a field is invalid. */
  report: PlanReport | null;
  inverse: InverseResult | null;
  /** Why there is no inverse (bad days, too few days, no traffic); null when there is one or days is empty. */
  inverseError: string | null;
};

/** Labels the form shows; messages from the schema start with the field's key and get its label instead. */
export const FIELD_LABELS: Record<PlanField, string> = {
  metric: "Metric type",
  baseline: "Baseline",
  sd: "Standard deviation",
  mde: "MDE",
  mdeAbsolute: "MDE kind",
  alpha: "Alpha",
  power: "Power",
  variants: "Number of variants",
  weights: "Traffic split",
  dailyTraffic: "Daily traffic",
  coverage: "Coverage",
  correction: "Correction",
  effectSize: "Effect size method",
  days: "Days",
};

/** Trims float noise for display: 0.05 * 100 -> "5", not "5.000000000000001". */
export function plainNumber(x: number): string {
  return String(Number(x.toPrecision(12)));
}

/** PlanFormValues -> the text the inputs show. */
export function fieldsFromValues(values: PlanFormValues): PlanFormFields {
  const text = (x: number | null) => (x === null || Number.isNaN(x) ? "" : plainNumber(x));
  return {
    metric: values.metric,
    baseline: text(values.baseline),
    sd: text(values.sd),
    mde: values.mdeAbsolute ? text(values.mde) : text(values.mde * 100),
    mdeAbsolute: values.mdeAbsolute,
    alpha: text(values.alpha),
    power: text(values.power),
    variants: text(values.variants),
    weights: values.weights ? values.weights.map(plainNumber).join("/") : "",
    bonferroni: values.correction === "bonferroni",
    effectSize: values.effectSize,
    dailyTraffic: text(values.dailyTraffic),
    coverage: text(values.coverage * 100),
    days: text(values.days),
  };
}

/** A typed number: undefined when empty, the number when it parses, else the text itself (so the schema says "got ..."). */
function readNumber(text: string, { percent = false, thousands = false } = {}): number | string | undefined {
  let t = text.trim();
  if (percent) t = t.replace(/%$/, "").trim();
  if (thousands) t = t.replace(/[,_\s]/g, "");
  if (t === "") return undefined;
  const n = Number(t);
  if (!Number.isFinite(n)) return text;
  return percent ? n / 100 : n;
}

const asNumber = (x: number | string | undefined): number => (typeof x === "number" ? x : NaN);

/** "90/10", "90, 10" or "90 10" -> [90, 10]; empty -> undefined; a part that is not a number stays text so the schema names it. */
function readWeights(text: string): (number | string)[] | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  return t.split(/\s*[/,:\s]\s*/).map((part) => readNumber(part) ?? part);
}

function labelled(field: PlanField, message: string): string {
  return message.startsWith(`${field} `) ? `${FIELD_LABELS[field]}${message.slice(field.length)}` : message;
}

/** Reads the form: values, the schema's messages per field, and the plan, table and inverse when the inputs are valid. */
export function readPlanForm(fields: PlanFormFields): PlanFormState {
  const isMean = fields.metric === "mean";
  const raw = {
    metric: fields.metric,
    baseline: readNumber(fields.baseline),
    sd: isMean ? readNumber(fields.sd) : undefined,
    mde: readNumber(fields.mde, { percent: !fields.mdeAbsolute }),
    mdeAbsolute: fields.mdeAbsolute,
    alpha: readNumber(fields.alpha),
    power: readNumber(fields.power),
    variants: readNumber(fields.variants),
    weights: readWeights(fields.weights),
    dailyTraffic: readNumber(fields.dailyTraffic, { thousands: true }) ?? null,
    // An empty coverage means all traffic (the placeholder says 100%).
    coverage: readNumber(fields.coverage, { percent: true }) ?? 1,
    correction: fields.bonferroni ? ("bonferroni" as const) : ("none" as const),
    effectSize: isMean ? ("guide" as const) : fields.effectSize,
  };
  const daysRaw = readNumber(fields.days);
  const values: PlanFormValues = {
    metric: raw.metric,
    baseline: asNumber(raw.baseline),
    sd: isMean ? asNumber(raw.sd) : null,
    mde: asNumber(raw.mde),
    mdeAbsolute: raw.mdeAbsolute,
    alpha: asNumber(raw.alpha),
    power: asNumber(raw.power),
    variants: asNumber(raw.variants),
    weights: raw.weights ? raw.weights.map(asNumber) : null,
    correction: raw.correction,
    effectSize: raw.effectSize,
    dailyTraffic: raw.dailyTraffic === null ? null : asNumber(raw.dailyTraffic),
    coverage: asNumber(raw.coverage),
    days: daysRaw === undefined ? null : asNumber(daysRaw),
  };

  const errors: Partial<Record<PlanField, string>> = {};
  const parsed = planInputSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "") as PlanField;
      if (!(field in FIELD_LABELS) || errors[field]) continue;
      errors[field] =
        field === "coverage" && typeof raw.coverage === "number"
          ? `Coverage must be more than 0% and at most 100%, got ${fields.coverage.trim().replace(/%$/, "")}%`
          : labelled(field, issue.message);
    }
    return { values, errors, report: null, inverse: null, inverseError: null };
  }

  const input: PlanInput = parsed.data;
  let report: PlanReport;
  try {
    report = planReport(input);
  } catch (err) {
    // The schema runs the same checks, so this is a safety net, not a path a person normally sees.
    if (err instanceof PlanInputError)
      return { values, errors: { [err.field]: labelled(err.field, err.message) }, report: null, inverse: null, inverseError: null };
    throw err;
  }

  let inverse: InverseResult | null = null;
  let inverseError: string | null = null;
  if (daysRaw !== undefined) {
    if (typeof daysRaw !== "number" || !(daysRaw > 0)) {
      inverseError = `Days must be a positive number, got ${fields.days.trim()}`;
    } else {
      try {
        inverse = inverseForDays(input, daysRaw);
      } catch (err) {
        if (!(err instanceof PlanInputError)) throw err;
        inverseError = labelled(err.field, err.message);
      }
    }
  }
  return { values, errors, report, inverse, inverseError };
}

/** The form after switching the MDE between relative and absolute, converting the typed value when it can. */
export function toggleMdeKind(fields: PlanFormFields, absolute: boolean): PlanFormFields {
  if (absolute === fields.mdeAbsolute) return fields;
  const baseline = readNumber(fields.baseline);
  const mde = readNumber(fields.mde, { percent: !fields.mdeAbsolute });
  let text = fields.mde;
  if (typeof baseline === "number" && typeof mde === "number" && baseline !== 0) {
    text = absolute ? plainNumber(baseline * mde) : plainNumber((mde / baseline) * 100);
  }
  return { ...fields, mdeAbsolute: absolute, mde: text };
}
