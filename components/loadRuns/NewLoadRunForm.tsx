"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { sendJson } from "@/components/ui/apiRequest";
import { buttonClass, inputClass, labelClass } from "@/components/ui/button";
import { Field } from "@/components/ui/Field";

export interface ProfileChoice {
  name: string;
  description: string;
}

function Choice({
  name,
  value,
  current,
  label,
  onChange,
}: {
  name: string;
  value: string;
  current: string;
  label: string;
  onChange: (v: string) => void;
}) {
  return (
    <label className="flex items-center gap-2 text-sm text-slate-800">
      <input type="radio" name={name} value={value} checked={current === value} onChange={() => onChange(value)} className="size-4" />
      {label}
    </label>
  );
}

/** A number as typed: a number when it reads as one, else the text (so the server names the field), absent when empty. */
function numberOf(text: string): number | string | undefined {
  const t = text.trim();
  if (!t) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

const FIELDS_SHOWN = [
  "name",
  "target",
  "model",
  "simulator.ttftMs",
  "simulator.itlMs",
  "simulator.errorRate",
  "profile",
  "traceId",
  "requestRate",
  "concurrentUsers",
  "durationS",
  "numPrompts",
  "arrival",
  "burstiness",
  "seed",
  "maxConcurrency",
  "slo.ttftMs",
  "slo.tpotMs",
  "slo.e2elMs",
  "shards",
  "sweepSteps",
];

/** The "New load run" form: one draft, sent whole; a refused start puts each message beside its field. */
export function NewLoadRunForm({
  endpoints,
  profiles,
  traces,
  initialTrace,
}: {
  endpoints: { name: string; defaultModel: string | null }[];
  profiles: ProfileChoice[];
  traces: { id: string; name: string; requestCount: number; hasTimestamps: boolean }[];
  initialTrace?: string;
}) {
  const router = useRouter();
  const startTrace = traces.find((t) => t.id === initialTrace);
  const [d, setD] = useState({
    name: "",
    target: "simulator",
    model: "",
    ttftMs: "40",
    itlMs: "15",
    errorRate: "0",
    workload: startTrace ? "trace" : "profile",
    profile: "chat_medium",
    traceId: startTrace?.id ?? traces[0]?.id ?? "",
    load: "rate",
    requestRate: "",
    concurrentUsers: "",
    stop: startTrace ? "whole" : "count",
    durationS: "",
    numPrompts: "100",
    arrival: "",
    burstiness: "",
    seed: "42",
    maxConcurrency: "",
    sloTtft: "",
    sloTpot: "",
    sloE2el: "",
    shards: "1",
    sweepSteps: "5",
    stepS: "20",
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  // A field's message goes once the field is changed (it may be right now; the next start checks again).
  const FIELD_OF: Partial<Record<keyof typeof d, string>> = {
    ttftMs: "simulator.ttftMs",
    itlMs: "simulator.itlMs",
    errorRate: "simulator.errorRate",
    sloTtft: "slo.ttftMs",
    sloTpot: "slo.tpotMs",
    sloE2el: "slo.e2elMs",
  };
  const set = (k: keyof typeof d) => (v: string) => {
    setD((old) => ({ ...old, [k]: v }));
    const field = FIELD_OF[k] ?? k;
    setErrors((old) => {
      if (!(field in old)) return old;
      const rest = { ...old };
      delete rest[field];
      return rest;
    });
  };
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chosenTrace = traces.find((t) => t.id === d.traceId);
  const chosenEndpoint = endpoints.find((e) => e.name === d.target);

  async function start() {
    setBusy(true);
    setMessage(null);
    const body: Record<string, unknown> = { name: d.name, target: d.target };
    if (d.model.trim()) body.model = d.model.trim();
    if (d.target === "simulator")
      body.simulator = { ttftMs: numberOf(d.ttftMs) ?? 40, itlMs: numberOf(d.itlMs) ?? 15, errorRate: numberOf(d.errorRate) ?? 0 };
    if (d.workload === "profile") body.profile = d.profile;
    else body.traceId = d.traceId;
    const sweep = d.load === "sweep";
    if (sweep) {
      // Empty is sent as it is, so the answer names the field (absent would start an ordinary run).
      body.sweepSteps = numberOf(d.sweepSteps) ?? "";
      body.durationS = numberOf(d.stepS);
    } else {
      if (d.load === "rate") body.requestRate = numberOf(d.requestRate);
      else body.concurrentUsers = numberOf(d.concurrentUsers);
      if (d.stop === "duration") body.durationS = numberOf(d.durationS);
      if (d.stop === "count") body.numPrompts = numberOf(d.numPrompts);
    }
    if (d.arrival) body.arrival = d.arrival;
    if (d.arrival === "gamma") body.burstiness = numberOf(d.burstiness);
    body.seed = numberOf(d.seed);
    body.maxConcurrency = numberOf(d.maxConcurrency);
    const slo = { ttftMs: numberOf(d.sloTtft), tpotMs: numberOf(d.sloTpot), e2elMs: numberOf(d.sloE2el) };
    if (Object.values(slo).some((v) => v !== undefined)) body.slo = slo;
    if (!sweep) body.shards = numberOf(d.shards);
    const res = await sendJson("/api/v1/load-runs", "POST", body);
    if (!res.ok) {
      setBusy(false);
      // The duration's check also speaks for "number of requests" when that is what was given.
      const fields: Record<string, string> = {};
      // Beside its field a message needs no field name: "numPrompts must be at least 1" reads "Must be at least 1".
      for (const [field, text] of Object.entries(res.fields)) {
        const bare = text.startsWith(`${field} `) ? text.slice(field.length + 1) : text;
        fields[field] = bare.charAt(0).toUpperCase() + bare.slice(1);
      }
      if (fields.durationS && d.stop === "count" && !sweep) fields.numPrompts ??= fields.durationS;
      setErrors(fields);
      const unplaced = Object.keys(fields).filter((f) => !FIELDS_SHOWN.includes(f));
      setMessage(
        unplaced.length || Object.keys(fields).length === 0 ? res.message : "The run was not started: see the fields marked below.",
      );
      return;
    }
    router.push(`/load-runs/${encodeURIComponent((res.data as { run: { id: string } }).run.id)}`);
  }

  return (
    <form
      className="space-y-8"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      {message ? (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
          {message}
        </p>
      ) : null}
      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-slate-900">Run</legend>
        <Field
          id="run-name"
          label="Name"
          value={d.name}
          onChange={set("name")}
          error={errors.name}
          numeric={false}
          placeholder="build 142, chat at 20/s"
        />
        <div>
          <label htmlFor="run-target" className={labelClass}>
            Target
          </label>
          <select
            id="run-target"
            className={`${inputClass} mt-1`}
            value={d.target}
            aria-invalid={errors.target ? true : undefined}
            aria-describedby={errors.target ? "run-target-error" : undefined}
            onChange={(e) => set("target")(e.target.value)}
          >
            <option value="simulator">Built-in simulator (no real model)</option>
            {endpoints.map((e) => (
              <option key={e.name} value={e.name}>
                {e.name}
              </option>
            ))}
          </select>
          {errors.target ? (
            <p id="run-target-error" className="mt-1 text-sm text-rose-700" data-testid="field-error">
              {errors.target}
            </p>
          ) : null}
        </div>
        {d.target === "simulator" ? (
          <>
            <Field
              id="run-sim-ttft"
              label="Simulated time to first token (ms)"
              value={d.ttftMs}
              onChange={set("ttftMs")}
              error={errors["simulator.ttftMs"]}
            />
            <Field
              id="run-sim-itl"
              label="Simulated time between tokens (ms)"
              value={d.itlMs}
              onChange={set("itlMs")}
              error={errors["simulator.itlMs"]}
            />
            <Field
              id="run-sim-errors"
              label="Simulated share of failed requests (0 to 1)"
              value={d.errorRate}
              onChange={set("errorRate")}
              error={errors["simulator.errorRate"]}
            />
          </>
        ) : null}
        <Field
          id="run-model"
          label="Model (optional)"
          value={d.model}
          onChange={set("model")}
          error={errors.model}
          numeric={false}
          placeholder={chosenEndpoint?.defaultModel ?? (d.target === "simulator" ? "the simulator's model" : "the server's first model")}
        />
      </fieldset>

      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-slate-900">Workload</legend>
        <div className="flex flex-wrap gap-4 sm:col-span-2" role="radiogroup" aria-label="Where the requests come from">
          <Choice name="workload" value="profile" current={d.workload} label="A built-in profile" onChange={set("workload")} />
          <Choice name="workload" value="trace" current={d.workload} label="A saved trace" onChange={set("workload")} />
        </div>
        {d.workload === "profile" ? (
          <div className="sm:col-span-2">
            <label htmlFor="run-profile" className={labelClass}>
              Profile
            </label>
            <select id="run-profile" className={`${inputClass} mt-1`} value={d.profile} onChange={(e) => set("profile")(e.target.value)}>
              {profiles.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name}: {p.description}
                </option>
              ))}
            </select>
            {errors.profile ? <p className="mt-1 text-sm text-rose-700">{errors.profile}</p> : null}
          </div>
        ) : traces.length ? (
          <div className="sm:col-span-2">
            <label htmlFor="run-trace" className={labelClass}>
              Trace
            </label>
            <select
              id="run-trace"
              className={`${inputClass} mt-1`}
              value={d.traceId}
              aria-invalid={errors.traceId ? true : undefined}
              aria-describedby={errors.traceId ? "run-trace-error" : undefined}
              onChange={(e) => set("traceId")(e.target.value)}
            >
              {traces.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} ({t.requestCount.toLocaleString("en-US")} requests{t.hasTimestamps ? "" : ", no timestamps"})
                </option>
              ))}
            </select>
            {errors.traceId ? (
              <p id="run-trace-error" className="mt-1 text-sm text-rose-700" data-testid="field-error">
                {errors.traceId}
              </p>
            ) : null}
          </div>
        ) : (
          <p className="text-sm text-slate-700 sm:col-span-2">No traces yet: upload one in the trace library.</p>
        )}
      </fieldset>

      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-slate-900">Load</legend>
        <div className="flex flex-wrap gap-4 sm:col-span-2" role="radiogroup" aria-label="How the load is set">
          <Choice name="load" value="rate" current={d.load} label="Requests per second (sent on a schedule)" onChange={set("load")} />
          <Choice name="load" value="users" current={d.load} label="Concurrent users (each waits for its answer)" onChange={set("load")} />
          <Choice name="load" value="sweep" current={d.load} label="A sweep to find the server's capacity" onChange={set("load")} />
        </div>
        {d.load === "sweep" ? (
          <>
            <p className="text-sm text-slate-700 sm:col-span-2" id="run-sweep-about">
              A sweep runs several steps one after another: one user at a time (the fastest answers the server gives), then as many users as
              it can take at once (its most requests per second), then request rates evenly between the two. It stops early once a rate is
              more than the server can answer. The result is a curve of requests per second against latency, and each step is a run of its
              own that you can open and compare.
            </p>
            <Field
              id="run-sweep-steps"
              label="Steps (3 to 20)"
              hint="One user at a time, then many at once (as many as Most requests in flight below, else 256), then rates between."
              value={d.sweepSteps}
              onChange={set("sweepSteps")}
              error={errors.sweepSteps}
            />
            <Field
              id="run-step-duration"
              label="Each step lasts (seconds)"
              value={d.stepS}
              onChange={set("stepS")}
              error={errors.durationS}
            />
          </>
        ) : d.load === "rate" ? (
          <Field
            id="run-rate"
            label="Request rate (requests per second)"
            value={d.requestRate}
            onChange={set("requestRate")}
            error={errors.requestRate}
            hint={d.workload === "trace" ? "Empty: the trace's own send times." : "Empty: the profile's rate."}
          />
        ) : (
          <Field
            id="run-users"
            label="Concurrent users"
            value={d.concurrentUsers}
            onChange={set("concurrentUsers")}
            error={errors.concurrentUsers}
          />
        )}
        <div>
          <label htmlFor="run-arrival" className={labelClass}>
            Arrivals
          </label>
          <select id="run-arrival" className={`${inputClass} mt-1`} value={d.arrival} onChange={(e) => set("arrival")(e.target.value)}>
            <option value="">The workload&apos;s own</option>
            <option value="constant">Evenly spaced</option>
            <option value="poisson">Random (Poisson)</option>
            <option value="gamma">Bursty (gamma)</option>
          </select>
          {errors.arrival ? <p className="mt-1 text-sm text-rose-700">{errors.arrival}</p> : null}
        </div>
        {d.arrival === "gamma" ? (
          <Field
            id="run-burstiness"
            label="Burstiness (below 1 is burstier)"
            value={d.burstiness}
            onChange={set("burstiness")}
            error={errors.burstiness}
          />
        ) : null}
        {d.load === "sweep" ? null : (
          <>
            <div className="flex flex-wrap gap-4 sm:col-span-2" role="radiogroup" aria-label="When to stop">
              {d.workload === "trace" ? (
                <Choice name="stop" value="whole" current={d.stop} label="The whole trace" onChange={set("stop")} />
              ) : null}
              <Choice name="stop" value="count" current={d.stop} label="A number of requests" onChange={set("stop")} />
              <Choice name="stop" value="duration" current={d.stop} label="A duration" onChange={set("stop")} />
            </div>
            {d.stop === "count" ? (
              <Field
                id="run-count"
                label="Number of requests"
                value={d.numPrompts}
                onChange={set("numPrompts")}
                error={errors.numPrompts}
              />
            ) : d.stop === "duration" ? (
              <Field
                id="run-duration"
                label="Duration (seconds)"
                value={d.durationS}
                onChange={set("durationS")}
                error={errors.durationS}
              />
            ) : (
              <p className="text-sm text-slate-700 sm:self-center">
                {chosenTrace ? `${chosenTrace.requestCount.toLocaleString("en-US")} requests.` : ""}
                {errors.durationS ? <span className="block text-rose-700">{errors.durationS}</span> : null}
              </p>
            )}
          </>
        )}
      </fieldset>

      <fieldset className="grid gap-4 sm:grid-cols-3">
        <legend className="mb-2 text-sm font-semibold text-slate-900">Goodput targets (optional)</legend>
        <p className="text-sm text-slate-700 sm:col-span-3">
          Goodput counts the requests per second that met every target you set: a run that is fast on average can still miss them.
        </p>
        <Field
          id="run-slo-ttft"
          label="Time to first token at most (ms)"
          value={d.sloTtft}
          onChange={set("sloTtft")}
          error={errors["slo.ttftMs"]}
        />
        <Field
          id="run-slo-tpot"
          label="Time per output token at most (ms)"
          value={d.sloTpot}
          onChange={set("sloTpot")}
          error={errors["slo.tpotMs"]}
        />
        <Field
          id="run-slo-e2el"
          label="Whole answer at most (ms)"
          value={d.sloE2el}
          onChange={set("sloE2el")}
          error={errors["slo.e2elMs"]}
        />
      </fieldset>

      <fieldset className="grid gap-4 sm:grid-cols-3">
        <legend className="mb-2 text-sm font-semibold text-slate-900">Client</legend>
        <Field
          id="run-seed"
          label="Seed"
          value={d.seed}
          onChange={set("seed")}
          error={errors.seed}
          hint="The same seed plans the same requests and send times."
        />
        <Field
          id="run-max-concurrency"
          label="Most requests in flight (optional)"
          value={d.maxConcurrency}
          onChange={set("maxConcurrency")}
          error={errors.maxConcurrency}
        />
        {d.load === "sweep" ? null : (
          <Field
            id="run-shards"
            label="Shards"
            value={d.shards}
            onChange={set("shards")}
            error={errors.shards}
            hint="Split the sending over several workers when one client cannot keep up."
          />
        )}
      </fieldset>

      <button type="submit" className={buttonClass.primary} disabled={busy}>
        {busy ? "Starting…" : d.load === "sweep" ? "Start sweep" : "Start load run"}
      </button>
    </form>
  );
}
