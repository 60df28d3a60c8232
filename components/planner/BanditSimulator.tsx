"use client";

import { useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { Field } from "@/components/ui/Field";
import { BanditRegretChart, BanditWeightsChart } from "@/components/charts/BanditCharts";
import { banditRuns, summarizeBandit, type BanditSimResult, type RunOutcome } from "@/lib/rollouts/banditSim";
import { DEFAULT_MIN_PER_ARM } from "@/lib/rollouts/thompson";
import { APP_BANDIT_DRAWS, banditSimulationSchema } from "@/lib/validation/bandit";

/** A number as typed: a number when it reads as one, else the text (so the check names the field). */
const numberOf = (t: string): number | string => (t.trim() !== "" && Number.isFinite(Number(t)) ? Number(t) : t);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The bandit simulator: arms' true rates in, the adaptive split's weight paths and regret against the equal split out. */
export function BanditSimulator() {
  const [d, setD] = useState({ arms: "0.10, 0.12, 0.11", horizon: "20000", batch: "500", floor: "0.01", runs: "100", seed: "1" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState<number | null>(null);
  const [result, setResult] = useState<BanditSimResult | null>(null);
  const set = (k: keyof typeof d) => (v: string) => setD((o) => ({ ...o, [k]: v }));

  async function simulate() {
    const arms = d.arms.split(",").map((a) => numberOf(a.trim()));
    const parsed = banditSimulationSchema.safeParse({
      kind: "proportion",
      arms,
      horizon: numberOf(d.horizon),
      batch: numberOf(d.batch),
      floor: numberOf(d.floor),
      runs: numberOf(d.runs),
      seed: numberOf(d.seed),
    });
    if (!parsed.success) {
      const fields: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? "arms");
        fields[field] ??= issue.message.charAt(0).toUpperCase() + issue.message.slice(1);
      }
      setErrors(fields);
      return;
    }
    setErrors({});
    setResult(null);
    const o = { ...parsed.data, draws: APP_BANDIT_DRAWS };
    const runs: { thompson: RunOutcome; fixed: RunOutcome }[] = [];
    setDone(0);
    for (const run of banditRuns(o)) {
      runs.push(run);
      setDone(runs.length);
      // Let the page draw the progress between runs.
      await new Promise((r) => setTimeout(r, 0));
    }
    setResult(summarizeBandit(o, runs));
    setDone(null);
  }

  const runsTotal = Number(d.runs) || 0;
  const labels = result ? result.arms.map((a, i) => `arm ${i + 1} (${a})`) : [];
  return (
    <div className="space-y-6">
      <form
        className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-3"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void simulate();
        }}
      >
        <div className="sm:col-span-3">
          <Field
            id="bandit-arms"
            label="Each arm's true conversion rate, comma-separated"
            value={d.arms}
            onChange={set("arms")}
            error={errors.arms}
            hint="What you believe each variant converts at: the simulation knows them, the allocation does not."
          />
        </div>
        <Field id="bandit-horizon" label="Users in all" value={d.horizon} onChange={set("horizon")} error={errors.horizon} />
        <Field
          id="bandit-batch"
          label="Users between two updates"
          value={d.batch}
          onChange={set("batch")}
          error={errors.batch}
          hint="How often the split is recomputed."
        />
        <Field
          id="bandit-floor"
          label="Least share per arm (0 to 0.5)"
          value={d.floor}
          onChange={set("floor")}
          error={errors.floor}
          hint="Every arm keeps at least this share, so it can still be measured."
        />
        <Field id="bandit-runs" label="Runs to average (at most 500)" value={d.runs} onChange={set("runs")} error={errors.runs} />
        <Field
          id="bandit-seed"
          label="Seed"
          value={d.seed}
          onChange={set("seed")}
          error={errors.seed}
          hint="The same seed gives the same numbers."
        />
        <div className="flex items-end">
          <button type="submit" className={buttonClass.primary} disabled={done !== null}>
            {done !== null ? "Simulating…" : "Simulate"}
          </button>
        </div>
      </form>

      {done !== null ? (
        <div data-testid="bandit-progress">
          <div
            className="h-2 overflow-hidden rounded-full bg-slate-200"
            role="progressbar"
            aria-label="Runs simulated"
            aria-valuemin={0}
            aria-valuemax={runsTotal}
            aria-valuenow={done}
          >
            <div className="h-full bg-brand-700" style={{ width: `${runsTotal ? Math.round((done / runsTotal) * 100) : 0}%` }} />
          </div>
          <p className="mt-1 text-sm text-slate-700" role="status">
            Run {done} of {runsTotal}
          </p>
        </div>
      ) : null}

      {result ? (
        <>
          <section className="rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="bandit-found">
            <h2 id="bandit-found" className="text-sm font-semibold uppercase tracking-wide text-slate-700">
              What the simulation found
            </h2>
            <ul className="mt-2 space-y-1 text-sm text-slate-800" data-testid="bandit-findings">
              <li>
                The adaptive split gave up <strong>{result.regret.toFixed(1)}</strong> conversions against always serving the best arm; the
                equal split gave up <strong>{result.fixedRegret.toFixed(1)}</strong>
                {result.regretRatio !== null ? ` (${Math.round((1 - result.regretRatio) * 100)}% fewer lost)` : ""}, averaged over{" "}
                {result.runs} runs. It lost less in {result.runsBelowFixed} of them.
              </li>
              <li>
                The best arm (arm {result.bestArm + 1}, {result.arms[result.bestArm]}) got {pct(result.bestArmShare)} of all users, and its
                share passed 80% in {result.runsBestOver80} of {result.runs} runs.
              </li>
              <li>
                At the end the split was {result.weights.map((w, i) => `arm ${i + 1} ${pct(w)}`).join(", ")}; no arm got less than{" "}
                {pct(result.smallestWeight === Infinity ? result.floor : result.smallestWeight)} once it adapted.
              </li>
            </ul>
          </section>
          <section className="rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="bandit-weights-title">
            <h2 id="bandit-weights-title" className="text-sm font-semibold uppercase tracking-wide text-slate-700">
              How the split moved
            </h2>
            <p className="mb-2 mt-1 text-sm text-slate-700">
              Each arm&apos;s share of the next users, averaged over the runs. It stays equal until every arm has {DEFAULT_MIN_PER_ARM}{" "}
              users, then follows each arm&apos;s chance of being the best.
            </p>
            <BanditWeightsChart path={result.path} labels={labels} label="Each arm's share of new users as users come in" />
          </section>
          <section className="rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="bandit-regret-title">
            <h2 id="bandit-regret-title" className="text-sm font-semibold uppercase tracking-wide text-slate-700">
              Conversions given up
            </h2>
            <p className="mb-2 mt-1 text-sm text-slate-700">
              For every user, the best arm&apos;s rate minus the rate of the arm they got, added up: the cost of learning which arm is best.
            </p>
            <BanditRegretChart path={result.path} label="Conversions given up so far, adaptive split against equal split" />
          </section>
          <p className="text-sm text-slate-700">
            With an adaptive split the usual fixed-sample p-values are biased: read the results by each arm&apos;s chance of being the best,
            not by a significance test run on the uneven samples.
          </p>
        </>
      ) : null}
    </div>
  );
}
