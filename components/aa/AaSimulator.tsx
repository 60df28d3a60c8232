"use client";

import { useState } from "react";
import type { AaDesign } from "@/lib/aa/design";
import { aaReading, aaScenarios, effectText, scenarioDescription, scenarioName, type AaRun, type AaScenario } from "@/lib/aa/reading";
import type { AaResult } from "@/lib/stats/aa";
import { percent, significant } from "@/lib/format/number";
import { DESIGN_AA_DEFAULTS } from "@/lib/aa/limits";
import { sendJson } from "@/components/ui/apiRequest";
import { buttonClass, inputClass, labelClass } from "@/components/ui/button";
import { RateIntervalChart } from "@/components/charts/RateIntervalChart";

const COLOUR: Record<AaScenario, string> = { once: "#2459c2", peeking: "#be123c", safe: "#047857" };
const TEST_CHOICES = [500, 1000, 2000];
const LOOK_CHOICES = [1, 5, 10, 20];

const pct = (x: number) => percent(x, 2);
const ciText = (c: [number, number]) => `${pct(c[0])} to ${pct(c[1])}`;

/** The planted effect as the form shows it: points for a rate, the metric's units for a mean. */
const toShown = (design: AaDesign, effect: number) => (design.kind === "proportion" ? effect * 100 : effect);
const fromShown = (design: AaDesign, shown: number) => (design.kind === "proportion" ? shown / 100 : shown);

/** Runs A/A simulations of a design through POST /api/v1/experiments/{key}/aa, one request per way of reading, with progress. */
export function AaSimulator({ experimentKey, design }: { experimentKey: string; design: AaDesign }) {
  const testChoices = TEST_CHOICES.filter((t) => t <= design.maxTests);
  if (testChoices.length === 0 || testChoices[testChoices.length - 1] < design.maxTests) testChoices.push(design.maxTests);
  const [tests, setTests] = useState(Math.min(DESIGN_AA_DEFAULTS.tests, design.maxTests));
  const [peeks, setPeeks] = useState<number>(DESIGN_AA_DEFAULTS.peeks);
  const [sequential, setSequential] = useState(true);
  const [seed, setSeed] = useState(String(DESIGN_AA_DEFAULTS.seed));
  const [plant, setPlant] = useState(true);
  const [effect, setEffect] = useState(significant(toShown(design, design.mde), 4));
  const [progress, setProgress] = useState<{ done: number; total: number; current: string } | null>(null);
  const [runs, setRuns] = useState<AaRun[] | null>(null);
  const [ran, setRan] = useState<{ effect: number | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const lookChoices = LOOK_CHOICES.filter((k) => k <= design.perVariant / 2);

  async function run() {
    setError(null);
    setFieldErrors({});
    const seedNumber = Number(seed);
    const effectNumber = plant ? fromShown(design, Number(effect)) : null;
    if (seed.trim() === "" || !Number.isInteger(seedNumber) || seedNumber < 0) {
      setFieldErrors({ seed: "Enter a whole number, 0 or more." });
      return;
    }
    if (plant && (effect.trim() === "" || !Number.isFinite(Number(effect)))) {
      setFieldErrors({ effect: "Enter a number, or untick the planted difference." });
      return;
    }
    const scenarios = aaScenarios(peeks, sequential);
    const done: AaRun[] = [];
    setRuns(null);
    for (const [i, s] of scenarios.entries()) {
      setProgress({ done: i, total: scenarios.length, current: scenarioName(s.scenario) });
      const res = await sendJson(`/api/v1/experiments/${encodeURIComponent(experimentKey)}/aa`, "POST", {
        tests,
        peeks: s.peeks,
        sequential: s.sequential,
        seed: seedNumber,
        effect: effectNumber,
      });
      if (!res.ok) {
        setProgress(null);
        setError(res.message);
        setFieldErrors(res.fields);
        return;
      }
      done.push({ scenario: s.scenario, result: res.data as AaResult });
    }
    setProgress(null);
    setRuns(done);
    setRan({ effect: effectNumber });
  }

  const running = progress !== null;
  const planted = ran?.effect ?? null;
  const reading = runs ? aaReading(runs, planted === null ? null : effectText(design.kind, planted), design.plannedPower) : [];
  const powered = runs?.filter((r) => r.result.power !== undefined && r.scenario !== "peeking") ?? [];

  return (
    <div className="space-y-6">
      <form
        className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3"
        aria-label="Simulation settings"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <div>
          <label htmlFor="aa-tests" className={labelClass}>
            Simulated tests
          </label>
          <select id="aa-tests" className={`${inputClass} mt-1`} value={tests} onChange={(e) => setTests(Number(e.target.value))}>
            {testChoices.map((t) => (
              <option key={t} value={t}>
                {t.toLocaleString("en-US")}
              </option>
            ))}
          </select>
          {fieldErrors.tests ? <p className="mt-1 text-sm text-rose-700">{fieldErrors.tests}</p> : null}
        </div>
        <div>
          <label htmlFor="aa-peeks" className={labelClass}>
            Looks at the results per test
          </label>
          <select id="aa-peeks" className={`${inputClass} mt-1`} value={peeks} onChange={(e) => setPeeks(Number(e.target.value))}>
            {lookChoices.map((k) => (
              <option key={k} value={k}>
                {k === 1 ? "1 (only at the planned sample)" : `${k} (equally spaced)`}
              </option>
            ))}
          </select>
          {fieldErrors.peeks ? <p className="mt-1 text-sm text-rose-700">{fieldErrors.peeks}</p> : null}
        </div>
        <div>
          <label htmlFor="aa-seed" className={labelClass}>
            Seed
          </label>
          <input
            id="aa-seed"
            inputMode="numeric"
            className={`${inputClass} mt-1`}
            value={seed}
            onChange={(e) => setSeed(e.target.value)}
            aria-describedby="aa-seed-hint"
            aria-invalid={fieldErrors.seed ? true : undefined}
          />
          <p id="aa-seed-hint" className="mt-1 text-xs text-slate-600">
            The same seed gives the same answer.
          </p>
          {fieldErrors.seed ? <p className="mt-1 text-sm text-rose-700">{fieldErrors.seed}</p> : null}
        </div>
        <label className="flex items-start gap-2 text-sm text-slate-800 sm:col-span-2 lg:col-span-3">
          <input type="checkbox" className="mt-0.5 h-4 w-4" checked={sequential} onChange={(e) => setSequential(e.target.checked)} />
          <span>Also run the peeking-safe (sequential) test with the same looks</span>
        </label>
        <div className="sm:col-span-2 lg:col-span-3">
          <label className="flex items-start gap-2 text-sm text-slate-800">
            <input type="checkbox" className="mt-0.5 h-4 w-4" checked={plant} onChange={(e) => setPlant(e.target.checked)} />
            <span>Also plant a real difference, to see how often it is found (the power)</span>
          </label>
          {plant ? (
            <div className="mt-2 max-w-xs">
              <label htmlFor="aa-effect" className={labelClass}>
                Planted difference {design.kind === "proportion" ? "(percentage points)" : `(in ${design.metric}'s units)`}
              </label>
              <input
                id="aa-effect"
                inputMode="decimal"
                className={`${inputClass} mt-1`}
                value={effect}
                onChange={(e) => setEffect(e.target.value)}
                aria-describedby="aa-effect-hint"
                aria-invalid={fieldErrors.effect ? true : undefined}
              />
              <p id="aa-effect-hint" className="mt-1 text-xs text-slate-600">
                The design&apos;s minimum detectable effect is {effectText(design.kind, design.mde)}.
              </p>
              {fieldErrors.effect ? <p className="mt-1 text-sm text-rose-700">{fieldErrors.effect}</p> : null}
            </div>
          ) : null}
        </div>
        <div className="sm:col-span-2 lg:col-span-3">
          <button type="submit" className={buttonClass.primary} disabled={running}>
            {running ? "Simulating…" : "Run the simulation"}
          </button>
        </div>
      </form>

      {progress ? (
        <div data-testid="aa-progress" aria-live="polite">
          <p className="text-sm text-slate-700">
            Simulating {progress.current.toLowerCase()} ({progress.done + 1} of {progress.total})…
          </p>
          <div
            className="mt-2 h-2.5 w-full rounded-full bg-slate-200"
            role="progressbar"
            aria-label="Simulation progress"
            aria-valuemin={0}
            aria-valuemax={progress.total}
            aria-valuenow={progress.done}
          >
            <div className="h-2.5 rounded-full bg-brand-600" style={{ width: `${Math.round((100 * progress.done) / progress.total)}%` }} />
          </div>
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="text-sm text-rose-700">
          {error}
        </p>
      ) : null}

      {runs ? (
        <div className="space-y-6" data-testid="aa-results">
          <div className="space-y-2" data-testid="aa-reading">
            {reading.map((s) => (
              <p key={s} className="text-sm text-slate-800">
                {s}
              </p>
            ))}
          </div>
          <div className="grid gap-6 lg:grid-cols-2">
            <div>
              <h3 className="text-sm font-semibold text-slate-900">False positives: A/A tests called significant</h3>
              <RateIntervalChart
                testId="aa-false-positive-chart"
                label={`Share of A/A tests falsely significant, with 95% intervals, against the ${pct(runs[0].result.alpha)} significance level`}
                reference={runs[0].result.alpha}
                referenceLabel={`${pct(runs[0].result.alpha)} expected`}
                max={runs[0].result.alpha * 2}
                points={runs.map((r) => ({
                  name: scenarioName(r.scenario),
                  rate: r.result.falsePositiveRate,
                  low: r.result.ci95[0],
                  high: r.result.ci95[1],
                  colour: COLOUR[r.scenario],
                }))}
              />
            </div>
            {powered.length ? (
              <div>
                <h3 className="text-sm font-semibold text-slate-900">Power: planted differences found</h3>
                <RateIntervalChart
                  testId="aa-power-chart"
                  label={`Share of tests with the planted difference that found it, with 95% intervals, against the planned ${pct(design.plannedPower)}`}
                  reference={design.plannedPower}
                  referenceLabel={`${pct(design.plannedPower)} planned`}
                  max={1}
                  points={powered.map((r) => ({
                    name: scenarioName(r.scenario),
                    rate: r.result.power!,
                    low: r.result.powerCi95![0],
                    high: r.result.powerCi95![1],
                    colour: COLOUR[r.scenario],
                  }))}
                />
              </div>
            ) : null}
          </div>
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="aa-table">
              <caption className="sr-only">Simulated false positive rate and power per way of reading the test</caption>
              <thead className="text-xs uppercase text-slate-600">
                <tr>
                  <th className="py-1 pr-3">Reading</th>
                  <th className="pr-3">False positives (95% CI)</th>
                  <th>Power (95% CI)</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {runs.map((r) => (
                  <tr key={r.scenario} data-scenario={r.scenario}>
                    <td className="py-1.5 pr-3">
                      <span className="font-medium">{scenarioName(r.scenario)}</span>
                      <span className="block text-xs text-slate-600">{scenarioDescription(r)}</span>
                    </td>
                    <td className="pr-3">
                      {pct(r.result.falsePositiveRate)} <span className="text-slate-600">({ciText(r.result.ci95)})</span>
                    </td>
                    <td>
                      {r.result.power === undefined || r.scenario === "peeking" ? (
                        "—"
                      ) : (
                        <>
                          {pct(r.result.power)} <span className="text-slate-600">({ciText(r.result.powerCi95!)})</span>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {runs.some((r) => r.scenario === "peeking" && r.result.power !== undefined) ? (
              <p className="mt-2 text-xs text-slate-600">
                No power for peeking with a fixed-horizon test: it also finds differences that are not there, so finding more is no gain.
              </p>
            ) : null}
          </div>
        </div>
      ) : null}
    </div>
  );
}
