"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { buttonClass } from "@/components/ui/button";
import { Badge } from "@/components/ui/Badge";
import { Field } from "@/components/ui/Field";
import { sendJson, type FieldErrors } from "@/components/ui/apiRequest";
import type { AllocationView } from "@/lib/rollouts/allocation";
import { AllocationHistoryChart, PBestLine } from "./AllocationHistoryChart";

/** A running experiment's allocation: a fixed split, or one that adapts toward the goal (Thompson sampling), with its history. */
export function AllocationPanel({
  allocation,
  names,
  canChange,
}: {
  allocation: AllocationView;
  names: Record<string, string>;
  canChange: boolean;
}) {
  const router = useRouter();
  const [mode, setMode] = useState(allocation.mode);
  const [floor, setFloor] = useState(String(Math.round(allocation.floor * 10_000) / 100));
  const [minPerArm, setMinPerArm] = useState(String(allocation.minPerArm));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const adaptive = allocation.mode === "THOMPSON";

  async function save() {
    setMessage(null);
    const local: FieldErrors = {};
    const f = Number(floor);
    const m = Number(minPerArm);
    if (mode === "THOMPSON") {
      if (floor.trim() === "" || !Number.isFinite(f)) local.floor = "Enter the least share each variant keeps, in percent (1 is 1%)";
      if (minPerArm.trim() === "" || !Number.isFinite(m)) local.minPerArm = "Enter a whole number of units";
    }
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    const res = await sendJson(
      `/api/v1/experiments/${encodeURIComponent(allocation.experiment)}/allocation`,
      "PUT",
      mode === "THOMPSON" ? { mode: "thompson", floor: Math.round(f * 100) / 10_000, minPerArm: m } : { mode: "fixed" },
    );
    setBusy(false);
    if (!res.ok) {
      setErrors(res.fields);
      if (!Object.keys(res.fields).length) setMessage(res.message);
      return;
    }
    router.refresh();
  }

  return (
    <section
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-4"
      aria-labelledby="allocation-title"
      data-testid="allocation-panel"
    >
      <div className="flex flex-wrap items-center gap-3">
        <h2 id="allocation-title" className="text-sm font-semibold uppercase tracking-wide text-slate-700">
          Allocation
        </h2>
        <Badge tone={adaptive ? "blue" : "gray"}>{adaptive ? "Adapts toward the goal" : "Fixed split"}</Badge>
      </div>
      <p className="text-sm text-slate-700">
        An adaptive split sends more new users to the variant that is doing best on{" "}
        {allocation.goal ? <span className="font-medium">{allocation.goal.metric}</span> : "the goal"}, recomputed every few minutes, so
        fewer users get a worse variant while the test runs. Users already in a variant stay in it. Its p-values are not the fixed-split
        kind: the results read it as the chance each variant is the best.
      </p>
      {adaptive ? (
        <>
          <PBestLine allocation={allocation} names={names} />
          {allocation.history.length > 1 ? <AllocationHistoryChart allocation={allocation} names={names} /> : null}
        </>
      ) : null}
      {canChange ? (
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium text-slate-900">How new users are split</legend>
            <label className="flex items-start gap-2 text-sm text-slate-800">
              <input
                type="radio"
                name="allocation-mode"
                className="mt-1 size-4"
                checked={mode === "FIXED"}
                onChange={() => setMode("FIXED")}
              />
              A fixed split (set below, or by a ramp)
            </label>
            <label className="flex items-start gap-2 text-sm text-slate-800">
              <input
                type="radio"
                name="allocation-mode"
                className="mt-1 size-4"
                checked={mode === "THOMPSON"}
                disabled={!allocation.goal}
                onChange={() => setMode("THOMPSON")}
              />
              Adapt toward the goal (Thompson sampling){allocation.goalProblem ? ` — not available: ${allocation.goalProblem}` : ""}
            </label>
          </fieldset>
          {mode === "THOMPSON" ? (
            <div className="grid gap-3 sm:grid-cols-2">
              <Field
                id="allocation-floor"
                label="Least share each variant keeps (%)"
                value={floor}
                onChange={setFloor}
                error={errors.floor}
                hint="So a variant that starts badly can still recover."
              />
              <Field
                id="allocation-min"
                label="Units per variant before the split adapts"
                value={minPerArm}
                onChange={setMinPerArm}
                error={errors.minPerArm}
                hint="Until then the split stays equal."
              />
            </div>
          ) : null}
          <button type="submit" className={buttonClass.secondary} disabled={busy}>
            Save the allocation
          </button>
          {message ? (
            <p role="alert" className="text-sm text-rose-700">
              {message}
            </p>
          ) : null}
        </form>
      ) : null}
    </section>
  );
}
