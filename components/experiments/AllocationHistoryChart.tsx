"use client";

import { BanditWeightsChart } from "@/components/charts/BanditCharts";
import type { AllocationView } from "@/lib/rollouts/allocation";

/** Each variant's share of new users at each recomputation, against the goal's units so far (the bandit simulator's chart). */
export function AllocationHistoryChart({ allocation, names }: { allocation: AllocationView; names: Record<string, string> }) {
  const keys = Object.keys(allocation.history.at(-1)?.weights ?? {});
  const path = allocation.history.map((h) => ({
    units: keys.reduce((s, k) => s + (h.units[k] ?? 0), 0),
    weights: keys.map((k) => (h.weights[k] ?? 0) / 100),
    regret: 0,
    fixedRegret: 0,
  }));
  return (
    <BanditWeightsChart
      path={path}
      labels={keys.map((k) => `${k} (${names[k] ?? k})`)}
      label="Each variant's share of new users as the goal's data came in"
    />
  );
}

/** The latest P(best) per variant, in words, or why there is none yet. */
export function PBestLine({ allocation, names }: { allocation: AllocationView; names: Record<string, string> }) {
  const last = allocation.history.at(-1);
  if (!last) return <p className="text-sm text-slate-700">No recomputation yet: the first comes within a few minutes.</p>;
  if (!last.pBest) return <p className="text-sm text-slate-700">Equal split for now: {last.reason}.</p>;
  const entries = Object.entries(last.pBest).sort((a, b) => b[1] - a[1]);
  return (
    <p className="text-sm text-slate-800" data-testid="allocation-pbest">
      Chance of being the best on {allocation.goal?.metric ?? "the goal"}:{" "}
      {entries.map(([k, p], i) => (
        <span key={k}>
          {i ? ", " : ""}
          <span className="font-medium">
            {k} ({names[k] ?? k}) {p > 0.999 ? "over 99.9%" : p < 0.001 ? "under 0.1%" : `${(p * 100).toFixed(1)}%`}
          </span>
        </span>
      ))}
      .
    </p>
  );
}
