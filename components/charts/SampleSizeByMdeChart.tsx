"use client";

import { CartesianGrid, Line, LineChart, ReferenceDot, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";

export type SampleSizePoint = { mdePercent: number; perVariant: number };

const BRAND = "#2459c2";
const HIGHLIGHT = "#d97706";

const count = (n: number) => n.toLocaleString("en-US");
const compact = (n: number) => new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 }).format(n);

/** Powers of ten spanning [min, max], for a log axis with readable ticks. */
function decades(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(Math.max(1, min)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(1, max))));
  return Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i));
}

/** n per variant against the MDE (log y), with the current MDE marked; a fixed-height client chart. */
export function SampleSizeByMdeChart({
  points,
  current,
  xLabel = "MDE (% relative)",
  height = 280,
}: {
  /** |MDE| in percent and the n per variant it needs, one per table row. */
  points: SampleSizePoint[];
  /** The plan's own MDE, drawn as a highlighted dot and line. */
  current?: SampleSizePoint | null;
  xLabel?: string;
  height?: number;
}) {
  if (points.length === 0) {
    return (
      <div
        className="flex items-center justify-center rounded-md bg-slate-50 text-sm text-slate-500"
        style={{ height }}
        data-testid="sample-size-chart"
      >
        No feasible MDE to chart.
      </div>
    );
  }
  const ns = [...points.map((p) => p.perVariant), ...(current ? [current.perVariant] : [])];
  const yTicks = decades(Math.min(...ns), Math.max(...ns));
  const xMax = Math.max(...points.map((p) => p.mdePercent), current?.mdePercent ?? 0);
  const xTicks = [...new Set([...points.map((p) => p.mdePercent)])].sort((a, b) => a - b);
  return (
    <figure
      data-testid="sample-size-chart"
      aria-label={`Sample size per variant against the MDE${current ? `; current MDE ${current.mdePercent}% needs ${count(current.perVariant)}` : ""}`}
    >
      <LineChart responsive style={{ width: "100%", height }} data={points} margin={{ top: 20, right: 24, bottom: 24, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis
          type="number"
          dataKey="mdePercent"
          domain={[0, Math.ceil(xMax * 1.08)]}
          ticks={xTicks}
          tickFormatter={(v: number) => `${v}%`}
          tick={{ fontSize: 12, fill: "#475569" }}
          label={{ value: xLabel, position: "insideBottom", offset: -14, fontSize: 12, fill: "#334155" }}
        />
        <YAxis
          type="number"
          scale="log"
          domain={[yTicks[0], yTicks[yTicks.length - 1]]}
          ticks={yTicks}
          allowDataOverflow
          tickFormatter={compact}
          tick={{ fontSize: 12, fill: "#475569" }}
          width={64}
          label={{
            value: "n per variant (log scale)",
            angle: -90,
            position: "insideLeft",
            offset: 4,
            fontSize: 12,
            fill: "#334155",
            style: { textAnchor: "middle" },
          }}
        />
        <Tooltip
          formatter={(value) => [count(Number(value)), "n per variant"]}
          labelFormatter={(label) => `MDE ${String(label)}%`}
          contentStyle={{ fontSize: 12, borderRadius: 6 }}
        />
        <Line
          type="monotone"
          dataKey="perVariant"
          name="n per variant"
          stroke={BRAND}
          strokeWidth={2}
          // The current MDE's point is drawn by the ReferenceDot below; a blue dot under it would muddy the highlight.
          dot={(props: { cx?: number; cy?: number; index: number; payload?: SampleSizePoint }) =>
            props.payload && current && props.payload.mdePercent === current.mdePercent ? (
              <g key={`dot-${props.index}`} />
            ) : (
              <circle key={`dot-${props.index}`} className="recharts-line-dot" cx={props.cx} cy={props.cy} r={3} fill={BRAND} />
            )
          }
          activeDot={{ r: 5, fill: BRAND, stroke: "#fff", strokeWidth: 2 }}
          isAnimationActive={false}
        />
        {current ? (
          <ReferenceLine
            x={current.mdePercent}
            stroke={HIGHLIGHT}
            strokeDasharray="4 4"
            label={{ value: `your MDE: ${count(current.perVariant)}`, position: "top", fontSize: 12, fill: HIGHLIGHT }}
          />
        ) : null}
        {current ? (
          <ReferenceDot x={current.mdePercent} y={current.perVariant} r={6} fill={HIGHLIGHT} stroke="#fff" strokeWidth={2} />
        ) : null}
      </LineChart>
    </figure>
  );
}
