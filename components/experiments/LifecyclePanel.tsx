"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { buttonClass } from "@/components/ui/button";
import { MIN_REASON_LENGTH } from "@/lib/experiments/startRules";
import { Dialog } from "@/components/ui/Dialog";
import { LaunchSummary } from "./LaunchSummary";
import { FormField, fieldClass } from "./FormField";
import { keyFromName } from "./draft";
import { sendJson } from "@/components/ui/apiRequest";
import { singleVariableWarning } from "./SingleVariableCheck";
import type { DesignView } from "./designView";
import { Time } from "@/components/ui/Time";

type Open = null | "start" | "stop" | "clone";

/** Start (with the problems that block it and the single-variable reason), stop, clone and archive. */
export function LifecyclePanel({ view, dirty }: { view: DesignView; dirty: boolean }) {
  const router = useRouter();
  const [open, setOpen] = useState<Open>(null);
  const [reason, setReason] = useState("");
  const [cloneKey, setCloneKey] = useState(keyFromName(`${view.key}-copy`));
  const [cloneName, setCloneName] = useState(`${view.name} (copy)`);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `/api/v1/experiments/${encodeURIComponent(view.key)}`;

  const close = () => {
    setOpen(null);
    setError(null);
  };
  async function run(path: string, body: unknown, then: () => void) {
    setBusy(true);
    setError(null);
    const res = await sendJson(`${base}${path}`, "POST", body);
    setBusy(false);
    if (!res.ok) return setError(res.message);
    setOpen(null);
    then();
  }

  const canStart = view.status === "DRAFT";
  const blocked = view.startProblems.length > 0;
  const reasonTooShort = view.needsSingleVariableReason && reason.trim().length < MIN_REASON_LENGTH;

  return (
    <div className="space-y-4">
      <dl className="grid gap-2 text-sm sm:grid-cols-3">
        <div>
          <dt className="text-slate-500">Started</dt>
          <dd>{view.startedAt ? <Time value={view.startedAt} /> : "not yet"}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Stopped</dt>
          <dd>{view.stoppedAt ? <Time value={view.stoppedAt} /> : "—"}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Archived</dt>
          <dd>{view.archivedAt ? <Time value={view.archivedAt} /> : "no"}</dd>
        </div>
      </dl>
      {view.singleVariableReason ? (
        <p className="text-sm text-slate-700">
          <span className="font-medium">Why the variants differ in more than one variable:</span> {view.singleVariableReason}
        </p>
      ) : null}
      {error && !open ? (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
          {error}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        {canStart ? (
          <button type="button" className={buttonClass.primary} onClick={() => setOpen("start")}>
            Start experiment
          </button>
        ) : null}
        {view.status === "RUNNING" ? (
          <button type="button" className={buttonClass.primary} onClick={() => setOpen("stop")}>
            Stop experiment
          </button>
        ) : null}
        <button type="button" className={buttonClass.secondary} onClick={() => setOpen("clone")}>
          Clone…
        </button>
        {view.status !== "RUNNING" ? (
          <button
            type="button"
            className={buttonClass.secondary}
            disabled={busy}
            onClick={() => run("/archive", { archived: !view.archivedAt }, () => router.refresh())}
          >
            {view.archivedAt ? "Unarchive" : "Archive"}
          </button>
        ) : null}
      </div>
      <p className="text-xs text-slate-500">
        Starting routes traffic to the variants and locks them. Stopping ends the data collection; the results stay. Archiving hides the
        experiment from the list.
      </p>

      {open === "start" ? (
        <Dialog title={`Start “${view.name}”?`} onClose={close}>
          {dirty ? (
            <p className="mb-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
              You have unsaved changes. Save them first: the experiment starts with the saved design.
            </p>
          ) : null}
          {blocked ? (
            <div className="mb-3 rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800" data-testid="start-problems">
              <p className="font-medium">Fix these first:</p>
              <ul className="mt-1 list-disc pl-5">
                {view.startProblems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <LaunchSummary view={view} now={new Date()} />
          {blocked ? null : (
            <p className="mb-3 text-sm text-slate-700" data-testid="start-ready">
              Once started, the variants are locked and users are assigned to them by a hash of their user id.
            </p>
          )}
          {view.needsSingleVariableReason ? (
            <div className="mb-3 space-y-2">
              <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
                {singleVariableWarning(view.undeclared, view.variableUnderTest)}
              </p>
              <FormField
                id="single-variable-reason"
                label="Why do the variants differ in more than one variable?"
                help={`Required, at least ${MIN_REASON_LENGTH} characters. Kept with the experiment and shown to reviewers.`}
              >
                <textarea
                  id="single-variable-reason"
                  rows={3}
                  required
                  className={fieldClass()}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                />
              </FormField>
            </div>
          ) : null}
          {error ? (
            <p role="alert" className="mb-3 rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
              {error}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <button type="button" className={buttonClass.secondary} onClick={close}>
              Cancel
            </button>
            <button
              type="button"
              className={buttonClass.primary}
              disabled={busy || blocked || dirty || reasonTooShort}
              onClick={() => run("/start", view.needsSingleVariableReason ? { singleVariableReason: reason } : {}, () => router.refresh())}
            >
              {busy ? "Starting…" : "Start now"}
            </button>
          </div>
        </Dialog>
      ) : null}

      {open === "stop" ? (
        <Dialog title={`Stop “${view.name}”?`} onClose={close}>
          <p className="mb-3 text-sm text-slate-700">No new users are assigned after this; the collected data stays for the analysis.</p>
          <FormField id="stop-reason" label="Reason (optional)" help="E.g. reached the planned sample size, or a guardrail regressed.">
            <textarea id="stop-reason" rows={3} className={fieldClass()} value={reason} onChange={(e) => setReason(e.target.value)} />
          </FormField>
          {error ? (
            <p role="alert" className="mt-3 rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
              {error}
            </p>
          ) : null}
          <div className="mt-4 flex justify-end gap-2">
            <button type="button" className={buttonClass.secondary} onClick={close}>
              Cancel
            </button>
            <button
              type="button"
              className={buttonClass.primary}
              disabled={busy}
              onClick={() => run("/stop", reason.trim() ? { reason } : {}, () => router.refresh())}
            >
              {busy ? "Stopping…" : "Stop now"}
            </button>
          </div>
        </Dialog>
      ) : null}

      {open === "clone" ? (
        <Dialog title="Clone this design" onClose={close}>
          <p className="mb-3 text-sm text-slate-700">
            Copies the hypothesis, variants, configurations, scorecard and plan into a new draft owned by you.
          </p>
          <div className="space-y-3">
            <FormField id="clone-key" label="New key" help="Lowercase letters, digits and dashes; must not be in use.">
              <input
                id="clone-key"
                className={fieldClass(undefined, "font-mono")}
                value={cloneKey}
                onChange={(e) => setCloneKey(e.target.value)}
              />
            </FormField>
            <FormField id="clone-name" label="New name">
              <input id="clone-name" className={fieldClass()} value={cloneName} onChange={(e) => setCloneName(e.target.value)} />
            </FormField>
          </div>
          {error ? (
            <p role="alert" className="mt-3 rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
              {error}
            </p>
          ) : null}
          <div className="mt-4 flex justify-end gap-2">
            <button type="button" className={buttonClass.secondary} onClick={close}>
              Cancel
            </button>
            <button
              type="button"
              className={buttonClass.primary}
              disabled={busy || !cloneKey}
              onClick={() =>
                run("/clone", { key: cloneKey, name: cloneName || undefined }, () =>
                  router.push(`/experiments/${encodeURIComponent(cloneKey)}`),
                )
              }
            >
              {busy ? "Cloning…" : "Clone"}
            </button>
          </div>
        </Dialog>
      ) : null}
    </div>
  );
}
