// The plan settings as a design form holds them (text while typing), and the live plan of an unsaved design.
import {
  experimentPlanView,
  type BaselineHistory,
  type ExperimentPlanView,
  type PlanSettings,
  type PlanUnit,
} from "@/lib/experiments/plan";
import { PLAN_DEFAULTS } from "@/lib/stats/power";
import { metricOf, numberText, variantOf, type MetricDraft, type VariantDraft } from "./draft";

export interface PlanDraft {
  metricName: string;
  dailyTraffic: string;
  unit: PlanUnit;
  interactionsPerUser: string;
  alpha: string;
  power: string;
  correction: PlanSettings["correction"];
  effectSize: PlanSettings["effectSize"];
}

export function planDraftOf(s: PlanSettings | null): PlanDraft {
  return {
    metricName: s?.metricName ?? "",
    dailyTraffic: numberText(s?.dailyTraffic),
    unit: s?.unit ?? "interactions",
    interactionsPerUser: numberText(s?.interactionsPerUser),
    alpha: numberText(s?.alpha ?? PLAN_DEFAULTS.alpha),
    power: numberText(s?.power ?? PLAN_DEFAULTS.power),
    correction: s?.correction ?? PLAN_DEFAULTS.correction,
    effectSize: s?.effectSize ?? PLAN_DEFAULTS.effectSize,
  };
}

/** The settings to save: empty boxes unset, unparsable text passed through so the API names the field. */
export function planOf(d: PlanDraft): PlanSettings {
  const n = (t: string) => (t.trim() === "" ? undefined : Number.isFinite(Number(t)) ? Number(t) : (t as unknown as number));
  return {
    ...(d.metricName ? { metricName: d.metricName } : {}),
    ...(n(d.dailyTraffic) !== undefined ? { dailyTraffic: n(d.dailyTraffic) } : {}),
    unit: d.unit,
    ...(n(d.interactionsPerUser) !== undefined ? { interactionsPerUser: n(d.interactionsPerUser) } : {}),
    alpha: n(d.alpha) ?? PLAN_DEFAULTS.alpha,
    power: n(d.power) ?? PLAN_DEFAULTS.power,
    correction: d.correction,
    effectSize: d.effectSize,
  };
}

/** The control's histories a saved plan used, by metric name, so an unsaved preview keeps them. */
function savedHistories(saved: ExperimentPlanView | null): Record<string, BaselineHistory> {
  if (!saved || "error" in saved) return {};
  return Object.fromEntries(saved.requirements.flatMap((r) => (r.sized && r.history ? [[r.metricName, r.history] as const] : [])));
}

/**
 * The plan of the unsaved design, or an error when it cannot be computed from what is typed. The control's logged
 * history the server used for the saved plan still applies to the same metrics.
 */
export function livePlan(
  metrics: MetricDraft[],
  plan: PlanDraft,
  variants: VariantDraft[],
  coverage: number,
  saved: ExperimentPlanView | null,
): ExperimentPlanView | null {
  try {
    const parsedVariants = variants.map(variantOf).map((v) => ({ ...v, weight: typeof v.weight === "number" ? v.weight : NaN }));
    return experimentPlanView({
      metrics: metrics.map(metricOf),
      settings: planOf(plan),
      variants: parsedVariants,
      coverage,
      histories: savedHistories(saved),
    });
  } catch {
    return { error: "Fix the scorecard and plan inputs to see the plan." };
  }
}
