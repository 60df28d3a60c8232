import { formatDateTime } from "@/lib/format/dateTime";
import { hypothesisEffect, hypothesisEffectMessage, mdeWords } from "@/lib/experiments/hypothesis";
import type { MetricInput } from "@/lib/validation/experiments";
import type { DesignView } from "./designView";
import { armsText } from "./PlanSummary";

const int = (x: number) => x.toLocaleString("en-US");
const days = (n: number) => `${int(n)} ${n === 1 ? "day" : "days"}`;
const DAY_MS = 24 * 60 * 60 * 1000;

/** When a plan of `days` days started `now` reaches its sample ("2 Dec 2026, 20:57 UTC"). */
export function plannedEnd(now: Date, days: number): string {
  return formatDateTime(new Date(now.getTime() + days * DAY_MS));
}

/** What a guardrail promises, in words: "must not rise by more than 0.5 percentage points". */
function guardrailRule(m: MetricInput): string {
  const worse = m.direction === "DECREASE" ? "rise" : "fall";
  if (m.nonInferiorityMargin === undefined || m.nonInferiorityMargin === null) return `watched; no margin set for how far it may ${worse}`;
  return `must not ${worse} by more than ${mdeWords({ mde: m.nonInferiorityMargin, mdeAbsolute: m.mdeAbsolute, kind: m.kind })}`;
}

/** The launch summary in the start dialog: the hypothesis, the sample and planned end, the guardrails, and what disagrees. */
export function LaunchSummary({ view, now }: { view: DesignView; now: Date }) {
  const plan = view.plan;
  const guardrails = view.metrics.filter((m) => m.role === "GUARDRAIL");
  const effect = hypothesisEffect(view.hypothesis.expectation, view.metrics, view.planSettings);
  const sized = plan && !("error" in plan) ? plan : null;
  const unit = sized?.unit === "users" ? "users" : "interactions";
  const need = (name: string) => {
    const r = sized?.requirements.find((x) => x.metricName === name);
    return r && r.sized ? r : null;
  };
  const duration = sized?.duration;
  const runDays = duration && duration.days !== null ? (duration.fullWeekDays ?? duration.days) : null;
  return (
    <dl className="mb-3 space-y-2 rounded-md bg-slate-50 px-3 py-3 text-sm ring-1 ring-slate-200" data-testid="launch-summary">
      <div>
        <dt className="font-medium text-slate-900">Hypothesis</dt>
        <dd className="text-slate-700">{view.hypothesisSentence || "not written yet"}</dd>
        {effect ? (
          <dd
            className={
              effect.status === "differs"
                ? "mt-1 rounded bg-amber-50 px-2 py-1 text-amber-900 ring-1 ring-amber-200"
                : "mt-1 text-slate-700"
            }
            data-testid="launch-effect"
          >
            {hypothesisEffectMessage(effect)}
          </dd>
        ) : null}
      </div>
      <div>
        <dt className="font-medium text-slate-900">Sample</dt>
        <dd className="text-slate-700" data-testid="launch-sample">
          {sized
            ? `${armsText(sized, sized.arms)} · ${int(sized.total)} ${unit} in total, sized on ${sized.metricName}.`
            : `Not sized: ${plan ? (plan as { error: string }).error : "add a goal metric to size the test."} It can start, but with no sample to reach it has no planned end.`}
          {sized && duration && duration.metricName !== sized.metricName
            ? ` ${duration.metricName} needs more, ${int(duration.perVariant)} per variant · ${int(duration.total)} in total, and sets the duration.`
            : ""}
        </dd>
      </div>
      <div>
        <dt className="font-medium text-slate-900">Planned end</dt>
        <dd className="text-slate-700" data-testid="launch-end">
          {duration && runDays !== null && duration.days !== null && sized?.dailyTraffic !== undefined
            ? `${plannedEnd(now, runDays)}, if started now: ${runDays === duration.days ? days(runDays) : `${days(runDays)}, whole weeks so every weekday counts the same (the sample is reached in ${days(duration.days)})`}, at ${int(sized.dailyTraffic)} ${unit} a day.`
            : sized
              ? "None yet: set the daily traffic in the plan to get a planned end date."
              : "None: the sample is not sized."}
        </dd>
      </div>
      <div>
        <dt className="font-medium text-slate-900">Guardrails</dt>
        <dd className="text-slate-700" data-testid="launch-guardrails">
          {guardrails.length ? (
            <ul className="list-disc pl-5">
              {guardrails.map((m) => {
                const r = need(m.name);
                return (
                  <li key={m.name}>
                    {m.name}: {guardrailRule(m)}
                    {r ? ` (needs ${int(r.perVariant)} per variant)` : ""}
                  </li>
                );
              })}
            </ul>
          ) : (
            "None: nothing checks that safety, latency or cost do not get worse."
          )}
        </dd>
      </div>
    </dl>
  );
}
