"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { buttonClass } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { sendJson, type FieldErrors } from "@/components/ui/apiRequest";
import { significant } from "@/lib/format/number";
import type { TrafficControls } from "@/lib/traffic/control";
import type { TargetingCondition, TargetingOperator } from "@/lib/assignment";
import { FormField, fieldClass } from "./FormField";

const OPERATOR_WORDS: Record<TargetingOperator, string> = {
  equals: "is",
  in: "is one of",
  notIn: "is none of",
  regex: "matches the pattern",
};

type Section = "split" | "overrides" | "targeting";

/** A running experiment's traffic: the kill switch, the split (new users only), QA overrides and targeting. */
export function TrafficPanel({ traffic, canChange }: { traffic: TrafficControls; canChange: boolean }) {
  const router = useRouter();
  const url = `/api/v1/experiments/${encodeURIComponent(traffic.experiment)}/traffic`;
  const [weights, setWeights] = useState<Record<string, string>>(
    Object.fromEntries(Object.entries(traffic.weights).map(([k, w]) => [k, String(w)])),
  );
  const [coverage, setCoverage] = useState(String(Math.round(traffic.coverage * 10000) / 100));
  const [overrides, setOverrides] = useState<{ userId: string; variant: string }[]>(
    Object.entries(traffic.forcedVariants).map(([userId, variant]) => ({ userId, variant })),
  );
  const [conditions, setConditions] = useState<{ attribute: string; operator: TargetingOperator; value: string }[]>(
    traffic.targeting.map((c) => ({ ...c, value: Array.isArray(c.value) ? c.value.join(", ") : c.value })),
  );
  const [killVariant, setKillVariant] = useState(traffic.killSwitch.variant ?? traffic.control);
  const [confirmKill, setConfirmKill] = useState(false);
  const [busy, setBusy] = useState<Section | "kill" | null>(null);
  const [errors, setErrors] = useState<Partial<Record<Section | "kill", { message: string; fields: FieldErrors }>>>({});
  const [saved, setSaved] = useState<Section | "kill" | null>(null);
  const running = traffic.status === "RUNNING";
  const editable = canChange && (traffic.status === "RUNNING" || traffic.status === "DRAFT");
  const variantName = (key: string) => traffic.variants.find((v) => v.key === key)?.name ?? key;

  async function save(section: Section | "kill", body: unknown) {
    setBusy(section);
    setSaved(null);
    const res = await sendJson(url, "PATCH", body);
    setBusy(null);
    if (!res.ok) {
      setErrors((e) => ({ ...e, [section]: { message: res.message, fields: res.fields } }));
      return false;
    }
    setErrors((e) => ({ ...e, [section]: undefined }));
    setSaved(section);
    router.refresh();
    return true;
  }

  const error = (section: Section | "kill") =>
    errors[section] ? (
      <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
        {errors[section]!.message}
      </p>
    ) : null;
  const done = (section: Section | "kill", words: string) =>
    saved === section ? (
      <p role="status" className="text-sm text-emerald-800">
        {words}
      </p>
    ) : null;

  if (!editable) return <TrafficSummary traffic={traffic} canChange={canChange} />;

  return (
    <div className="space-y-6" data-testid="traffic-panel">
      <div
        className={`rounded-lg p-4 ring-1 ${traffic.killSwitch.on ? "bg-rose-50 ring-rose-200" : "bg-white ring-slate-200"}`}
        data-testid="kill-switch"
      >
        <h3 className="text-sm font-semibold text-slate-900">Kill switch</h3>
        {traffic.killSwitch.on ? (
          <p className="mt-1 text-sm text-rose-900">
            On: every user gets <strong>{variantName(traffic.killSwitch.variant ?? traffic.control)}</strong> from the next request, and
            nobody is counted in the results until it is turned off.
          </p>
        ) : (
          <p className="mt-1 text-sm text-slate-700">
            Off. Turning it on sends every user to one variant (the control unless you choose another) from the very next request.
          </p>
        )}
        {error("kill")}
        {editable && running ? (
          <div className="mt-3 flex flex-wrap items-end gap-2">
            {traffic.killSwitch.on ? (
              <button
                type="button"
                className={buttonClass.primary}
                disabled={busy !== null}
                onClick={() => void save("kill", { killSwitch: { on: false } })}
              >
                Turn the kill switch off
              </button>
            ) : (
              <>
                <FormField id="kill-variant" label="Send everyone to">
                  <select id="kill-variant" className={fieldClass()} value={killVariant} onChange={(e) => setKillVariant(e.target.value)}>
                    {traffic.variants.map((v) => (
                      <option key={v.key} value={v.key}>
                        {v.name} ({v.key}){v.isControl ? " — control" : ""}
                      </option>
                    ))}
                  </select>
                </FormField>
                <button type="button" className={buttonClass.dangerSolid} onClick={() => setConfirmKill(true)}>
                  Turn the kill switch on
                </button>
              </>
            )}
          </div>
        ) : null}
      </div>
      {confirmKill ? (
        <ConfirmDialog
          title="Turn the kill switch on?"
          confirmLabel="Turn it on"
          danger
          busy={busy === "kill"}
          error={errors.kill?.message}
          onCancel={() => setConfirmKill(false)}
          onConfirm={() =>
            void save("kill", { killSwitch: { on: true, variant: killVariant === traffic.control ? null : killVariant } }).then(
              (ok) => ok && setConfirmKill(false),
            )
          }
        >
          <p>
            Every user gets <strong>{variantName(killVariant)}</strong> from the next request, whatever their assignment. Nobody is counted
            in the results while it is on. You can turn it off again; users then return to their own variants.
          </p>
        </ConfirmDialog>
      ) : null}

      <form
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          void save("split", {
            weights: Object.fromEntries(Object.entries(weights).map(([k, w]) => [k, Number(w)])),
            coverage: Number(coverage) / 100,
          });
        }}
        aria-labelledby="split-heading"
      >
        <h3 id="split-heading" className="text-sm font-semibold text-slate-900">
          Split
        </h3>
        <p className="text-sm text-slate-700" data-testid="split-note">
          Changes apply to new users only: the {significant(traffic.assignedUsers, 15)} {traffic.assignedUsers === 1 ? "user" : "users"}{" "}
          already assigned keep their variant.
        </p>
        <div className="grid gap-3 sm:grid-cols-3">
          {traffic.variants.map((v) => (
            <FormField
              key={v.key}
              id={`weight-${v.key}`}
              label={`${v.name} (${v.key}), %`}
              error={errors.split?.fields[`weights.${v.key}`]}
            >
              <input
                id={`weight-${v.key}`}
                className={fieldClass()}
                inputMode="decimal"
                value={weights[v.key] ?? ""}
                disabled={!editable}
                onChange={(e) => setWeights((w) => ({ ...w, [v.key]: e.target.value }))}
              />
            </FormField>
          ))}
          <FormField
            id="coverage"
            label="Users in the experiment, %"
            help="The rest get the control and are not counted."
            error={errors.split?.fields.coverage}
          >
            <input
              id="coverage"
              className={fieldClass()}
              inputMode="decimal"
              value={coverage}
              disabled={!editable}
              onChange={(e) => setCoverage(e.target.value)}
            />
          </FormField>
        </div>
        {error("split")}
        {done("split", "Saved. New users get the new split; users already assigned keep their variant.")}
        {editable ? (
          <button type="submit" className={buttonClass.secondary} disabled={busy !== null}>
            Save split
          </button>
        ) : null}
      </form>

      <form
        className="space-y-3"
        aria-labelledby="overrides-heading"
        onSubmit={(e) => {
          e.preventDefault();
          void save("overrides", {
            forcedVariants: Object.fromEntries(overrides.filter((o) => o.userId.trim()).map((o) => [o.userId.trim(), o.variant])),
          });
        }}
      >
        <h3 id="overrides-heading" className="text-sm font-semibold text-slate-900">
          QA overrides
        </h3>
        <p className="text-sm text-slate-700">Users listed here always get the chosen variant, and are not counted in the results.</p>
        {overrides.length === 0 ? <p className="text-sm text-slate-600">No overrides.</p> : null}
        <ul className="space-y-2">
          {overrides.map((o, i) => (
            <li key={i} className="flex flex-wrap items-end gap-2">
              <FormField
                id={`override-user-${i}`}
                label="User id"
                className="min-w-0 flex-1"
                error={errors.overrides?.fields[`forcedVariants.${o.userId}`]}
              >
                <input
                  id={`override-user-${i}`}
                  className={fieldClass()}
                  value={o.userId}
                  disabled={!editable}
                  onChange={(e) => setOverrides((all) => all.map((x, j) => (j === i ? { ...x, userId: e.target.value } : x)))}
                />
              </FormField>
              <FormField id={`override-variant-${i}`} label="Variant">
                <select
                  id={`override-variant-${i}`}
                  className={fieldClass()}
                  value={o.variant}
                  disabled={!editable}
                  onChange={(e) => setOverrides((all) => all.map((x, j) => (j === i ? { ...x, variant: e.target.value } : x)))}
                >
                  {traffic.variants.map((v) => (
                    <option key={v.key} value={v.key}>
                      {v.name} ({v.key})
                    </option>
                  ))}
                </select>
              </FormField>
              {editable ? (
                <button
                  type="button"
                  className={buttonClass.danger}
                  onClick={() => setOverrides((all) => all.filter((_, j) => j !== i))}
                  aria-label={`Remove the override for ${o.userId || "this user"}`}
                >
                  Remove
                </button>
              ) : null}
            </li>
          ))}
        </ul>
        {error("overrides")}
        {done("overrides", "Saved. The overrides apply from the next request.")}
        {editable ? (
          <div className="flex flex-wrap gap-2">
            <button
              type="button"
              className={buttonClass.secondary}
              onClick={() =>
                setOverrides((all) => [...all, { userId: "", variant: traffic.variants.find((v) => !v.isControl)?.key ?? traffic.control }])
              }
            >
              Add an override
            </button>
            <button type="submit" className={buttonClass.secondary} disabled={busy !== null}>
              Save overrides
            </button>
          </div>
        ) : null}
      </form>

      <form
        className="space-y-3"
        aria-labelledby="targeting-heading"
        onSubmit={(e) => {
          e.preventDefault();
          const targeting: TargetingCondition[] = conditions.map((c) => ({
            attribute: c.attribute.trim(),
            operator: c.operator,
            value:
              c.operator === "in" || c.operator === "notIn"
                ? c.value
                    .split(",")
                    .map((v) => v.trim())
                    .filter(Boolean)
                : c.value,
          }));
          void save("targeting", { targeting });
        }}
      >
        <h3 id="targeting-heading" className="text-sm font-semibold text-slate-900">
          Targeting
        </h3>
        <p className="text-sm text-slate-700">
          {conditions.length === 0
            ? "Every user can enter. Add a condition on a user attribute your app sends to limit who enters."
            : "Only users who meet every condition enter; the others get the control and are not counted. Users already assigned keep their variant."}
        </p>
        <ul className="space-y-2">
          {conditions.map((c, i) => (
            <li key={i} className="flex flex-wrap items-end gap-2">
              <FormField id={`cond-attribute-${i}`} label="Attribute" error={errors.targeting?.fields[`targeting.${i}.attribute`]}>
                <input
                  id={`cond-attribute-${i}`}
                  className={fieldClass()}
                  value={c.attribute}
                  disabled={!editable}
                  placeholder="plan"
                  onChange={(e) => setConditions((all) => all.map((x, j) => (j === i ? { ...x, attribute: e.target.value } : x)))}
                />
              </FormField>
              <FormField id={`cond-operator-${i}`} label="Condition">
                <select
                  id={`cond-operator-${i}`}
                  className={fieldClass()}
                  value={c.operator}
                  disabled={!editable}
                  onChange={(e) =>
                    setConditions((all) => all.map((x, j) => (j === i ? { ...x, operator: e.target.value as TargetingOperator } : x)))
                  }
                >
                  {(Object.keys(OPERATOR_WORDS) as TargetingOperator[]).map((op) => (
                    <option key={op} value={op}>
                      {OPERATOR_WORDS[op]}
                    </option>
                  ))}
                </select>
              </FormField>
              <FormField
                id={`cond-value-${i}`}
                label={
                  c.operator === "in" || c.operator === "notIn" ? "Values, comma-separated" : c.operator === "regex" ? "Pattern" : "Value"
                }
                className="min-w-0 flex-1"
                error={errors.targeting?.fields[`targeting.${i}.value`]}
              >
                <input
                  id={`cond-value-${i}`}
                  className={fieldClass()}
                  value={c.value}
                  disabled={!editable}
                  onChange={(e) => setConditions((all) => all.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
                />
              </FormField>
              {editable ? (
                <button
                  type="button"
                  className={buttonClass.danger}
                  onClick={() => setConditions((all) => all.filter((_, j) => j !== i))}
                  aria-label={`Remove condition ${i + 1}`}
                >
                  Remove
                </button>
              ) : null}
            </li>
          ))}
        </ul>
        {error("targeting")}
        {done("targeting", "Saved. Targeting applies from the next request.")}
        {editable ? (
          <div className="flex flex-wrap gap-2">
            <button
              type="button"
              className={buttonClass.secondary}
              onClick={() => setConditions((all) => [...all, { attribute: "", operator: "equals", value: "" }])}
            >
              Add a condition
            </button>
            <button type="submit" className={buttonClass.secondary} disabled={busy !== null}>
              Save targeting
            </button>
          </div>
        ) : null}
      </form>
    </div>
  );
}

function conditionInWords(c: TargetingCondition): string {
  const value = Array.isArray(c.value) ? c.value.join(", ") : c.value;
  return `${c.attribute} ${OPERATOR_WORDS[c.operator]} ${value}`;
}

/** The traffic controls as text, for roles that may not change them. */
function TrafficSummary({ traffic, canChange }: { traffic: TrafficControls; canChange: boolean }) {
  const name = (key: string) => traffic.variants.find((v) => v.key === key)?.name ?? key;
  const overrides = Object.entries(traffic.forcedVariants);
  return (
    <div className="space-y-3 text-sm text-slate-800" data-testid="traffic-summary">
      <dl className="grid gap-3 sm:grid-cols-2">
        <div>
          <dt className="font-medium text-slate-900">Kill switch</dt>
          <dd>{traffic.killSwitch.on ? `On: everyone gets ${name(traffic.killSwitch.variant ?? traffic.control)}` : "Off"}</dd>
        </div>
        <div>
          <dt className="font-medium text-slate-900">Split (new users)</dt>
          <dd>
            {traffic.variants.map((v) => `${v.name} ${significant(traffic.weights[v.key])}%`).join(" · ")};{" "}
            {significant(traffic.coverage * 100)}% of users in the experiment
          </dd>
        </div>
        <div>
          <dt className="font-medium text-slate-900">QA overrides</dt>
          <dd>{overrides.length ? overrides.map(([u, v]) => `${u} → ${name(v)}`).join(", ") : "None"}</dd>
        </div>
        <div>
          <dt className="font-medium text-slate-900">Targeting</dt>
          <dd>{traffic.targeting.length ? traffic.targeting.map(conditionInWords).join("; ") : "Every user can enter"}</dd>
        </div>
      </dl>
      <p className="text-slate-600">
        {significant(traffic.assignedUsers, 15)} {traffic.assignedUsers === 1 ? "user keeps" : "users keep"} the variant they were first
        assigned.
        {canChange ? "" : " A PM or admin changes the traffic."}
      </p>
    </div>
  );
}
