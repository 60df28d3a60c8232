"use client";

import { formatValue } from "@/lib/results/reading";
import { Bar, BarChart, CartesianGrid, ErrorBar, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";

export type IntervalPoint = { variant: string; value: number; low: number; high: number; label: string };

const BRAND = "#2459c2";
const CONTROL = "#64748b";

/** Each variant's value with its confidence interval as a bar with error whiskers; the control's value as a dashed line. */
export function VariantIntervalChart({
  points,
  control,
  kind,
  height = 200,
  label,
}: {
  points: IntervalPoint[];
  control: string;
  /** The metric's kind ("MEAN", "PROPORTION", "QUANTILE"): how its values read. */
  kind: string;
  height?: number;
  label: string;
}) {
  const format = (x: number) => formatValue({ kind }, x);
  const data = points.map((p) => ({ ...p, error: [p.value - p.low, p.high - p.value] as [number, number] }));
  const base = points.find((p) => p.variant === control);
  const lows = points.map((p) => p.low);
  const highs = points.map((p) => p.high);
  const min = Math.min(...lows);
  const max = Math.max(...highs);
  const pad = (max - min) * 0.25 || Math.abs(max) * 0.1 || 1;
  const domain: [number, number] = [Math.max(min >= 0 ? 0 : -Infinity, min - pad), max + pad];
  return (
    <figure aria-label={label} data-testid="interval-chart">
      <BarChart
        responsive
        layout="vertical"
        style={{ width: "100%", height }}
        data={data}
        margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
      >
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" horizontal={false} />
        <XAxis type="number" domain={domain} tickFormatter={format} tick={{ fontSize: 12, fill: "#475569" }} />
        <YAxis type="category" dataKey="variant" width={40} tick={{ fontSize: 13, fill: "#1e293b" }} />
        <Tooltip
          formatter={(_v, _n, item) => [(item?.payload as IntervalPoint | undefined)?.label ?? "", "value (95% CI)"]}
          contentStyle={{ fontSize: 12, borderRadius: 6 }}
        />
        {base ? <ReferenceLine x={base.value} stroke={CONTROL} strokeDasharray="4 4" /> : null}
        <Bar dataKey="value" fill={BRAND} fillOpacity={0.25} stroke={BRAND} isAnimationActive={false} barSize={18}>
          <ErrorBar dataKey="error" width={8} strokeWidth={2} stroke="#1e3a8a" direction="x" />
        </Bar>
      </BarChart>
    </figure>
  );
}
