"use client";

import { formatValue } from "@/lib/results/reading";
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { formatChartTick, formatDateTime } from "@/lib/format/dateTime";

const COLOURS = ["#475569", "#2459c2", "#b45309", "#047857", "#7c3aed", "#be123c", "#0e7490", "#4d7c0f"];

/** Each variant's cumulative value of a metric over time, one line per variant (the control first, in grey). */
export function MetricTimelineChart({
  points,
  variants,
  kind,
  bucket,
  height = 220,
  label,
}: {
  points: { t: string; values: Record<string, number | null> }[];
  variants: string[];
  /** The metric's kind ("MEAN", "PROPORTION", "QUANTILE"): how its values read. */
  kind: string;
  bucket: "hour" | "day";
  height?: number;
  label: string;
}) {
  const format = (x: number) => formatValue({ kind }, x);
  const data = points.map((p) => ({ t: p.t, ...p.values }));
  const tick = (t: string) => formatChartTick(t, bucket);
  return (
    <figure aria-label={label} data-testid="timeline-chart">
      <LineChart responsive style={{ width: "100%", height }} data={data} margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey="t" tickFormatter={tick} tick={{ fontSize: 12, fill: "#475569" }} minTickGap={24} />
        <YAxis tickFormatter={format} tick={{ fontSize: 12, fill: "#475569" }} width={64} domain={["auto", "auto"]} />
        <Tooltip
          formatter={(v) => format(Number(v))}
          labelFormatter={(t) => formatDateTime(String(t))}
          contentStyle={{ fontSize: 12, borderRadius: 6 }}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {variants.map((v, i) => (
          <Line
            key={v}
            type="monotone"
            dataKey={v}
            name={v}
            stroke={COLOURS[i % COLOURS.length]}
            strokeWidth={2}
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </figure>
  );
}
