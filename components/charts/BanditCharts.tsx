"use client";

import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { BanditPathPoint } from "@/lib/rollouts/banditSim";

const AXIS = { fontSize: 12, fill: "#475569" };
const TOOLTIP = { fontSize: 12, borderRadius: 6 };
/** Distinct at AA contrast on white: blue, green, amber, rose, violet, teal, slate, orange, indigo, pink. */
const COLOURS = ["#1d4ed8", "#047857", "#b45309", "#be123c", "#6d28d9", "#0f766e", "#334155", "#c2410c", "#4338ca", "#be185d"];
const units = (u: number) => (u >= 1000 ? `${Math.round(u / 100) / 10}k` : String(u));

/** Each arm's share of the next batch as the units come in (averaged over the runs). */
export function BanditWeightsChart({ path, labels, label }: { path: BanditPathPoint[]; labels: string[]; label: string }) {
  const data = path.map((p) => ({ units: p.units, ...Object.fromEntries(p.weights.map((w, i) => [`a${i}`, Math.round(w * 1000) / 10])) }));
  return (
    <figure aria-label={label} data-testid="bandit-weights">
      <LineChart responsive style={{ width: "100%", height: 260 }} data={data} margin={{ top: 8, right: 16, bottom: 20, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis
          type="number"
          dataKey="units"
          domain={[0, "dataMax"]}
          tickFormatter={units}
          tick={AXIS}
          label={{ value: "users so far", position: "insideBottomRight", offset: -8, fontSize: 12, fill: "#475569" }}
        />
        <YAxis domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} tickFormatter={(v: number) => `${v}%`} tick={AXIS} width={44} />
        <Tooltip
          formatter={(v, name) => [`${v}%`, name]}
          labelFormatter={(u) => `after ${Number(u).toLocaleString("en-US")} users`}
          contentStyle={TOOLTIP}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {labels.map((l, i) => (
          <Line
            key={l}
            dataKey={`a${i}`}
            name={l}
            stroke={COLOURS[i % COLOURS.length]}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </figure>
  );
}

/** Cumulative regret: what the adaptive split and the equal split gave up against always serving the best arm. */
export function BanditRegretChart({ path, label }: { path: BanditPathPoint[]; label: string }) {
  const data = path.map((p) => ({ units: p.units, regret: Math.round(p.regret * 10) / 10, fixed: Math.round(p.fixedRegret * 10) / 10 }));
  return (
    <figure aria-label={label} data-testid="bandit-regret">
      <LineChart responsive style={{ width: "100%", height: 240 }} data={data} margin={{ top: 8, right: 16, bottom: 20, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis
          type="number"
          dataKey="units"
          domain={[0, "dataMax"]}
          tickFormatter={units}
          tick={AXIS}
          label={{ value: "users so far", position: "insideBottomRight", offset: -8, fontSize: 12, fill: "#475569" }}
        />
        <YAxis tick={AXIS} width={52} />
        <Tooltip labelFormatter={(u) => `after ${Number(u).toLocaleString("en-US")} users`} contentStyle={TOOLTIP} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Line dataKey="regret" name="adaptive split" stroke="#1d4ed8" strokeWidth={2} dot={false} isAnimationActive={false} />
        <Line
          dataKey="fixed"
          name="equal split"
          stroke="#64748b"
          strokeDasharray="5 4"
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
      </LineChart>
    </figure>
  );
}
