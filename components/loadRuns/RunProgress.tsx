"use client";

import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { sendJson } from "@/components/ui/apiRequest";
import { buttonClass } from "@/components/ui/button";
import { Badge } from "@/components/ui/Badge";
import type { LoadRunView } from "@/lib/loadRuns/service";
import { ProgressBar } from "./ProgressBar";
import { stepWords } from "./stepWords";
import { count, ms, perSecond, runStatusTone, runStatusWords } from "./figures";

type Live = Pick<LoadRunView, "status" | "progress" | "shards" | "error" | "startAt" | "sweep" | "share">;

const ended = (status: string) => status !== "QUEUED" && status !== "RUNNING";

/** A running load run, read again every second: how far it has got, and Cancel; when it ends the page is drawn again with its results. */
export function RunProgress({ runId, initial, canCancel }: { runId: string; initial: Live; canCancel: boolean }) {
  const router = useRouter();
  const [run, setRun] = useState<Live>(initial);
  const [message, setMessage] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const refreshed = useRef(false);
  // The clock, read at each poll (not during render), for "starts in about N s".
  const [now, setNow] = useState<number | null>(null);

  // A sweep's finished steps are drawn on the page as each one ends.
  const stepsDone = run.sweep?.steps.length ?? 0;
  const drawnSteps = useRef(stepsDone);
  useEffect(() => {
    if (stepsDone > drawnSteps.current) {
      drawnSteps.current = stepsDone;
      router.refresh();
    }
  }, [stepsDone, router]);

  useEffect(() => {
    if (ended(run.status)) {
      if (!refreshed.current) {
        refreshed.current = true;
        router.refresh();
      }
      return;
    }
    const timer = setInterval(async () => {
      setNow(Date.now());
      const res = await fetch(`/api/v1/load-runs/${encodeURIComponent(runId)}`, { headers: { accept: "application/json" } }).catch(
        () => null,
      );
      if (res?.ok) setRun(((await res.json()) as { run: Live }).run);
    }, 1000);
    return () => clearInterval(timer);
  }, [run.status, runId, router]);

  async function cancel() {
    setCancelling(true);
    const res = await sendJson(`/api/v1/load-runs/${encodeURIComponent(runId)}/cancel`, "POST", {});
    if (!res.ok) {
      setCancelling(false);
      setMessage(res.message);
    }
  }

  const p = run.progress;
  const share = p.total > 0 ? (p.done + p.failed) / p.total : 0;
  const startsIn = run.startAt && now !== null ? Math.max(0, Math.round((new Date(run.startAt).getTime() - now) / 1000)) : 0;
  return (
    <div className="space-y-4" data-testid="run-progress">
      <div className="flex flex-wrap items-center gap-3">
        <Badge tone={runStatusTone(run.status)}>{runStatusWords(run.status)}</Badge>
        {run.status === "QUEUED" && startsIn > 0 ? <span className="text-sm text-slate-600">starts in about {startsIn} s</span> : null}
        {canCancel && !ended(run.status) ? (
          <button type="button" className={buttonClass.danger} onClick={() => void cancel()} disabled={cancelling}>
            {cancelling ? "Cancelling…" : "Cancel run"}
          </button>
        ) : null}
      </div>
      {run.sweep ? (
        <div data-testid="sweep-progress">
          <ProgressBar share={run.share} label="Sweep done" />
          <p className="mt-1 text-sm text-slate-700" role="status">
            {run.sweep.current
              ? `Step ${run.sweep.current.index + 1} of up to ${run.sweep.plannedSteps}: ${stepWords(run.sweep.current.name)}`
              : `Starting: ${run.sweep.plannedSteps} steps`}{" "}
            ({Math.round(run.share * 100)}% of the sweep)
          </p>
        </div>
      ) : null}
      {run.sweep ? null : (
        <div>
          <ProgressBar share={share} label="Requests answered" />
          <p className="mt-1 text-sm text-slate-700" role="status" data-testid="run-progress-words">
            {count(p.done + p.failed)} of {count(p.total)} requests answered ({Math.round(share * 100)}%)
          </p>
        </div>
      )}
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-3 lg:grid-cols-6">
        {[
          ["Sent", count(p.sent)],
          ["Answered", count(p.done)],
          ["Failed", count(p.failed)],
          ["In flight", count(p.inFlight)],
          ["Current rate", perSecond(p.currentRate)],
          ["Median latency", ms(p.p50Ms)],
        ].map(([k, v]) => (
          <div key={k}>
            <dt className="text-slate-600">{k}</dt>
            <dd className="font-semibold tabular-nums" data-testid={`progress-${k.toLowerCase().replace(/ /g, "-")}`}>
              {v}
            </dd>
          </div>
        ))}
      </dl>
      {run.shards.length > 1 ? (
        <p className="text-xs text-slate-600">
          {run.shards.length} shards:{" "}
          {run.shards.map((s) => `#${s.shard + 1} ${runStatusWords(s.status).toLowerCase()} ${s.done + s.failed}/${s.total}`).join(", ")}
        </p>
      ) : null}
      {run.error ? <p className="text-sm text-rose-700">{run.error}</p> : null}
      {message ? (
        <p role="alert" className="text-sm text-rose-700">
          {message}
        </p>
      ) : null}
    </div>
  );
}
