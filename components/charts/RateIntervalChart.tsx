"use client";

import { Bar, BarChart, CartesianGrid, Cell, ErrorBar, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { percent } from "@/lib/format/number";

export type RatePoint = { name: string; rate: number; low: number; high: number; colour: string };

const pct = (x: number) => percent(x, 2);

/** Round-number ticks from 0 to at least `top`, at most 6 of them. */
function ticksTo(top: number): number[] {
  const step = [0.01, 0.02, 0.05, 0.1, 0.2, 0.25].find((s) => top / s <= 5) ?? 0.25;
  const end = Math.min(1, Math.ceil(top / step - 1e-9) * step);
  return Array.from({ length: Math.round(end / step) + 1 }, (_, i) => Number((i * step).toFixed(4)));
}

/** Shares as horizontal bars with their 95% interval as whiskers, against a dashed reference line (alpha, or the planned power). */
export function RateIntervalChart({
  points,
  reference,
  referenceLabel,
  label,
  max,
  testId,
}: {
  points: RatePoint[];
  reference: number;
  referenceLabel: string;
  /** What the figure shows, for screen readers (the numbers themselves are in the table beside it). */
  label: string;
  /** The axis's end (the larger of this and the data's). */
  max: number;
  testId: string;
}) {
  const data = points.map((p) => ({ ...p, error: [p.rate - p.low, p.high - p.rate] as [number, number] }));
  const ticks = ticksTo(Math.min(1, Math.max(max, reference * 1.3, ...points.map((p) => p.high * 1.1))));
  const top = ticks[ticks.length - 1];
  return (
    <figure aria-label={label} data-testid={testId}>
      <BarChart
        responsive
        layout="vertical"
        style={{ width: "100%", height: 56 * points.length + 56 }}
        data={data}
        margin={{ top: 20, right: 44, bottom: 8, left: 4 }}
      >
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" horizontal={false} />
        <XAxis
          type="number"
          domain={[0, top]}
          ticks={ticks}
          tickFormatter={(v: number) => percent(v, 2)}
          tick={{ fontSize: 12, fill: "#475569" }}
        />
        <YAxis
          type="category"
          dataKey="name"
          width={104}
          tick={({ x, y, payload }) => {
            const p = points.find((q) => q.name === String(payload.value));
            return (
              <g transform={`translate(${x},${y})`}>
                <text x={-6} y={-3} textAnchor="end" fontSize={12} fill="#1e293b">
                  {String(payload.value)}
                </text>
                <text x={-6} y={12} textAnchor="end" fontSize={13} fontWeight={600} fill="#0f172a">
                  {p ? pct(p.rate) : ""}
                </text>
              </g>
            );
          }}
        />
        <Tooltip
          formatter={(_v, _n, item) => {
            const p = item?.payload as RatePoint | undefined;
            return [p ? `${pct(p.rate)} (95% CI ${pct(p.low)} to ${pct(p.high)})` : "", "share"];
          }}
          contentStyle={{ fontSize: 12, borderRadius: 6 }}
        />
        <ReferenceLine
          x={reference}
          stroke="#0f172a"
          strokeDasharray="5 4"
          strokeWidth={1.5}
          label={{ value: referenceLabel, position: "top", fontSize: 12, fill: "#0f172a" }}
        />
        <Bar dataKey="rate" isAnimationActive={false} barSize={22}>
          {data.map((p) => (
            <Cell key={p.name} fill={p.colour} />
          ))}
          <ErrorBar dataKey="error" width={8} strokeWidth={2} stroke="#0f172a" direction="x" />
        </Bar>
      </BarChart>
    </figure>
  );
}
