"use client";

import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { buttonClass, inputClass, labelClass } from "@/components/ui/button";
import { Badge, type BadgeTone } from "@/components/ui/Badge";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { sendJson, type FieldErrors } from "@/components/ui/apiRequest";
import { Time } from "@/components/ui/Time";
import type { RampView } from "@/lib/rollouts/rampService";
import { RAMP_PRESETS, type RampStep } from "@/lib/rollouts/ramp";
import { RampStepsEditor } from "./RampStepsEditor";
import { plainStepMessage, rowsOfSteps, stepsOfRows, type RampStepRow } from "./rampPlanForm";

const STATE_WORDS: Record<RampView["state"], [string, BadgeTone]> = {
  PLANNED: ["Planned, not started", "gray"],
  RAMPING: ["Ramping", "blue"],
  HELD: ["On hold", "amber"],
  ROLLED_BACK: ["Rolled back", "red"],
  COMPLETE: ["At its last step", "green"],
};

const PRESET_WORDS = {
  canary: "Canary: 1% → 5% → 25% → 50% → 100% of new users to the treatment",
  coverage: "Coverage: 10% → 25% → 50% → 100% of users enter the experiment, at its split",
} as const;
type PlanChoice = keyof typeof PRESET_WORDS | "custom";
/** The refusals the steps editor shows beside a field or a step. */
const STEP_FIELD = /^steps(\.\d+(\.(treatmentPercent|coverage|minHours|minSample))?)?$/;

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** "24 h and 500 interactions per variant", "" when the step does not wait. */
function waitWords(s: RampStep): string {
  return [s.minHours ? `${s.minHours} h` : null, s.minSample ? `${s.minSample.toLocaleString("en-US")} interactions per variant` : null]
    .filter(Boolean)
    .join(" and ");
}

function stepWords(s: RampStep): string {
  const what = [
    s.treatmentPercent !== undefined ? `${s.treatmentPercent}% of new users to the treatment` : null,
    s.coverage !== undefined ? `${pct(s.coverage)} of users in the experiment` : null,
  ]
    .filter(Boolean)
    .join(", ");
  const wait = waitWords(s);
  return wait ? `${what}; at least ${wait} before the next step` : what;
}

/** What a preset's steps wait before moving on, in one sentence (the last step has nothing to move on to). */
function presetWaitWords(steps: readonly RampStep[]): string {
  const waits = steps.slice(0, -1).map(waitWords);
  if (waits.every((w) => w === waits[0])) return waits[0] ? `Each step waits at least ${waits[0]} before the next.` : "No step waits.";
  return waits.map((w, i) => `Step ${i + 1} waits ${w || "nothing"}.`).join(" ");
}

/** A running experiment's canary ramp: the plan, where it stands, what the next step adds, and advance, hold and roll back. */
export function RampPanel({
  experiment,
  ramp,
  variants,
  canChange,
  checkSeconds = 60,
}: {
  experiment: string;
  ramp: RampView | null;
  variants: { key: string; name: string }[];
  canChange: boolean;
  /** How often the automatic check looks at a ramp under way, in seconds (the worker's heartbeat or its throttle). */
  checkSeconds?: number;
}) {
  const router = useRouter();
  // While the ramp is under way the automatic check may move it: look every 10 s, and redraw the page when it has moved
  // (typed values in the forms are kept; only a changed split redraws the split form).
  const seen = ramp ? `${ramp.state}:${ramp.currentStep}:${ramp.lastCheck?.at ?? ""}` : "";
  const watching = ramp?.state === "RAMPING";
  useEffect(() => {
    if (!watching) return;
    const url = `/api/v1/experiments/${encodeURIComponent(experiment)}/ramp`;
    const t = setInterval(() => {
      void sendJson(url, "GET").then((res) => {
        const r = res.ok ? (res.data as { ramp: RampView | null }).ramp : null;
        if (r && `${r.state}:${r.currentStep}:${r.lastCheck?.at ?? ""}` !== seen) router.refresh();
      });
    }, 10_000);
    return () => clearInterval(t);
  }, [watching, seen, experiment, router]);
  const base = `/api/v1/experiments/${encodeURIComponent(experiment)}/ramp`;
  const [choice, setChoice] = useState<PlanChoice>("canary");
  // Your own steps start from the plan in place (to edit it after a rollback), else from the canary's.
  const [rows, setRows] = useState<RampStepRow[]>(() => rowsOfSteps(ramp?.steps ?? RAMP_PRESETS.canary));
  const [stepErrors, setStepErrors] = useState<FieldErrors>({});
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [confirmRollback, setConfirmRollback] = useState(false);
  const name = (key: string) => variants.find((v) => v.key === key)?.name ?? key;

  async function call(path: string, method: "PUT" | "POST", body: unknown) {
    setBusy(true);
    setMessage(null);
    const res = await sendJson(`${base}${path}`, method, body);
    setBusy(false);
    if (!res.ok) return setMessage(res.message);
    setReason("");
    router.refresh();
  }
  async function setPlan() {
    if (choice !== "custom") return call("", "PUT", { preset: choice });
    const { steps, errors } = stepsOfRows(rows);
    setStepErrors(errors);
    if (Object.keys(errors).length) return setMessage("The plan was not set: correct the steps marked below.");
    setBusy(true);
    setMessage(null);
    const res = await sendJson(base, "PUT", { steps });
    setBusy(false);
    if (res.ok) return router.refresh();
    const fields = Object.fromEntries(Object.entries(res.fields).map(([f, m]) => [f, plainStepMessage(m)]));
    setStepErrors(fields);
    const allMarked = Object.keys(fields).length > 0 && Object.keys(fields).every((f) => STEP_FIELD.test(f));
    setMessage(allMarked ? "The plan was not set: correct the steps marked below." : res.message);
  }
  const move = (action: string) => call(`/${action}`, "POST", reason.trim() ? { reason: reason.trim() } : {});
  const canReplace = !ramp || ramp.state === "PLANNED" || ramp.state === "ROLLED_BACK" || ramp.state === "COMPLETE";

  return (
    <section className="space-y-4 rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="ramp-title" data-testid="ramp-panel">
      <div className="flex flex-wrap items-center gap-3">
        <h2 id="ramp-title" className="text-sm font-semibold uppercase tracking-wide text-slate-700">
          Ramp
        </h2>
        {ramp ? <Badge tone={STATE_WORDS[ramp.state][1]}>{STATE_WORDS[ramp.state][0]}</Badge> : null}
      </div>
      <p className="text-sm text-slate-700">
        Release the treatment in steps: a small share of new users first, more once it looks healthy. A step changes only where new users
        go; users already in a variant stay in it. While the ramp is under way it is checked{" "}
        {checkSeconds >= 120
          ? `every ${Math.round(checkSeconds / 60)} minutes`
          : checkSeconds >= 60
            ? "every minute"
            : `every ${checkSeconds} seconds`}
        : it advances once a step has had its time and sample with every guardrail within its margin, and rolls back at once when a
        guardrail is clearly worse.
      </p>

      {ramp ? (
        <ol className="space-y-1 text-sm" data-testid="ramp-steps">
          {ramp.steps.map((s, i) => (
            <li key={i} className={i === ramp.currentStep ? "font-semibold text-slate-900" : "text-slate-700"}>
              Step {i + 1}: {stepWords(s)}
              {i === ramp.currentStep ? (ramp.state === "ROLLED_BACK" ? " (rolled back from here)" : " (now)") : ""}
            </li>
          ))}
        </ol>
      ) : null}
      {ramp?.lastCheck && ramp.state === "RAMPING" ? (
        <p className="text-sm text-slate-700" data-testid="ramp-last-check">
          Automatic check, <Time value={ramp.lastCheck.at} />: {ramp.lastCheck.finding}
        </p>
      ) : null}
      {ramp?.lastReason ? (
        <p className="text-sm text-slate-700" data-testid="ramp-last-reason">
          Last move: {ramp.lastReason}
        </p>
      ) : null}
      {ramp?.next ? (
        <p className="text-sm text-slate-700" data-testid="ramp-next">
          {ramp.state === "ROLLED_BACK" ? "Starting again at" : "Advancing to"} step {ramp.next.index + 1} sends new users{" "}
          {Object.entries(ramp.next.weights)
            .map(([k, w]) => `${Math.round(w * 10) / 10}% to ${name(k)}`)
            .join(", ")}
          .{" "}
          {ramp.next.adds
            .filter((a) => a.share > 0)
            .map((a) => `${name(a.variant)} gains ${pct(a.share)} of new users`)
            .join("; ")}
          {ramp.next.adds.some((a) => a.share > 0) ? "." : ""}
        </p>
      ) : null}

      {canChange ? (
        <div className="space-y-3">
          {canReplace ? (
            <fieldset className="space-y-2">
              <legend className="text-sm font-medium text-slate-900">{ramp ? "Replace the plan" : "Plan"}</legend>
              {(Object.keys(PRESET_WORDS) as (keyof typeof PRESET_WORDS)[]).map((p) => (
                <label key={p} className="flex items-start gap-2 text-sm text-slate-800">
                  <input
                    type="radio"
                    name="ramp-preset"
                    className="mt-1 size-4 shrink-0"
                    checked={choice === p}
                    onChange={() => setChoice(p)}
                  />
                  <span>
                    {PRESET_WORDS[p]}
                    <span className="block text-slate-600">{presetWaitWords(RAMP_PRESETS[p])}</span>
                  </span>
                </label>
              ))}
              <label className="flex items-start gap-2 text-sm text-slate-800">
                <input
                  type="radio"
                  name="ramp-preset"
                  className="mt-1 size-4 shrink-0"
                  checked={choice === "custom"}
                  onChange={() => setChoice("custom")}
                />
                <span>
                  Your own steps
                  <span className="block text-slate-600">Choose each step&apos;s share of new users and how long it waits.</span>
                </span>
              </label>
              {choice === "custom" ? (
                <RampStepsEditor
                  rows={rows}
                  errors={stepErrors}
                  disabled={busy}
                  onChange={(next) => {
                    // Removing or adding a step renumbers the steps the refusals were keyed on.
                    if (next.length !== rows.length) setStepErrors({});
                    setRows(next);
                  }}
                />
              ) : null}
              <button type="button" className={buttonClass.secondary} disabled={busy} onClick={() => void setPlan()}>
                {ramp ? "Replace the plan" : "Set the ramp plan"}
              </button>
            </fieldset>
          ) : null}
          {ramp && ramp.state !== "COMPLETE" ? (
            <div className="space-y-2">
              <div className="max-w-md">
                <label htmlFor="ramp-reason" className={labelClass}>
                  Reason for the move (optional, kept in the audit trail)
                </label>
                <input id="ramp-reason" className={`${inputClass} mt-1`} value={reason} onChange={(e) => setReason(e.target.value)} />
              </div>
              <div className="flex flex-wrap gap-2">
                {ramp.next && ramp.state !== "HELD" ? (
                  <button type="button" className={buttonClass.primary} disabled={busy} onClick={() => void move("advance")}>
                    {ramp.state === "ROLLED_BACK" ? "Start again at" : "Advance to"} step {ramp.next.index + 1}
                  </button>
                ) : null}
                {ramp.state === "RAMPING" ? (
                  <button type="button" className={buttonClass.secondary} disabled={busy} onClick={() => void move("hold")}>
                    Hold
                  </button>
                ) : null}
                {ramp.state === "HELD" ? (
                  <button type="button" className={buttonClass.secondary} disabled={busy} onClick={() => void move("resume")}>
                    Resume
                  </button>
                ) : null}
                {ramp.state === "RAMPING" || ramp.state === "HELD" ? (
                  <button type="button" className={buttonClass.danger} disabled={busy} onClick={() => setConfirmRollback(true)}>
                    Roll back
                  </button>
                ) : null}
              </div>
            </div>
          ) : null}
        </div>
      ) : null}
      {message ? (
        <p role="alert" className="text-sm text-rose-700">
          {message}
        </p>
      ) : null}
      {confirmRollback ? (
        <ConfirmDialog
          title="Roll back the ramp?"
          confirmLabel="Roll back"
          danger
          busy={busy}
          error={message}
          onCancel={() => setConfirmRollback(false)}
          onConfirm={() => void move("rollback").then(() => setConfirmRollback(false))}
        >
          <p>Every new user goes to the control from now on. Users already in the treatment stay in it, so their data keeps coming.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
