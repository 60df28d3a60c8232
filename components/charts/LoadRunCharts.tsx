"use client";

import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { HistogramBin } from "@/lib/loadRuns/charts";

const AXIS = { fontSize: 12, fill: "#475569" };
const TOOLTIP = { fontSize: 12, borderRadius: 6 };
const round = (x: number) => (Math.abs(x) >= 100 ? Math.round(x).toLocaleString("en-US") : String(Math.round(x * 10) / 10));

/** Latency at each percentile: how many requests (y, %) finished within a time (x, ms). */
export function LatencyCdfChart({ points, label }: { points: { p: number; ms: number }[]; label: string }) {
  return (
    <figure aria-label={label} data-testid="latency-cdf">
      <LineChart responsive style={{ width: "100%", height: 240 }} data={points} margin={{ top: 8, right: 16, bottom: 20, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis
          type="number"
          dataKey="ms"
          domain={["dataMin", "dataMax"]}
          tickFormatter={round}
          tick={AXIS}
          label={{ value: "ms", position: "insideBottomRight", offset: -8, fontSize: 12, fill: "#475569" }}
        />
        <YAxis dataKey="p" domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} tickFormatter={(v: number) => `${v}%`} tick={AXIS} width={44} />
        <Tooltip
          formatter={(v) => [`${v}%`, "requests done"]}
          labelFormatter={(ms) => `within ${round(Number(ms))} ms`}
          contentStyle={TOOLTIP}
        />
        <Line type="monotone" dataKey="p" stroke="#2459c2" strokeWidth={2} dot={false} isAnimationActive={false} />
      </LineChart>
    </figure>
  );
}

/** Equal-width bins as bars: how many values fell in each range. */
export function HistogramChart({
  bins,
  label,
  unit,
  colour = "#2459c2",
  height = 200,
  testId,
}: {
  bins: HistogramBin[];
  label: string;
  unit: string;
  colour?: string;
  height?: number;
  testId?: string;
}) {
  const data = bins.map((b) => ({ ...b, mid: (b.from + b.to) / 2 }));
  return (
    <figure aria-label={label} data-testid={testId}>
      <BarChart
        responsive
        style={{ width: "100%", height }}
        data={data}
        margin={{ top: 8, right: 12, bottom: 4, left: 0 }}
        barCategoryGap={1}
      >
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
        <XAxis dataKey="mid" tickFormatter={(v: number) => round(v)} tick={AXIS} minTickGap={16} />
        <YAxis allowDecimals={false} tick={AXIS} width={40} />
        <Tooltip
          formatter={(v) => [String(v), "count"]}
          labelFormatter={(_l, items) => {
            const b = items?.[0]?.payload as HistogramBin | undefined;
            return b ? `${round(b.from)} to ${round(b.to)} ${unit}` : "";
          }}
          contentStyle={TOOLTIP}
        />
        <Bar dataKey="count" fill={colour} isAnimationActive={false} />
      </BarChart>
    </figure>
  );
}

/** Per second of the run: answers completed, failures, and requests in flight at the second's end. */
export function ThroughputTimelineChart({
  points,
  label,
}: {
  points: { t: number; sent: number; completed: number; failed: number; inFlight: number }[];
  label: string;
}) {
  return (
    <figure aria-label={label} data-testid="throughput-timeline">
      <LineChart responsive style={{ width: "100%", height: 240 }} data={points} margin={{ top: 8, right: 16, bottom: 20, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis
          dataKey="t"
          tick={AXIS}
          label={{ value: "seconds", position: "insideBottomRight", offset: -8, fontSize: 12, fill: "#475569" }}
        />
        <YAxis allowDecimals={false} tick={AXIS} width={44} />
        <Tooltip labelFormatter={(t) => `second ${t}`} contentStyle={TOOLTIP} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Line dataKey="sent" name="sent per second" stroke="#94a3b8" strokeWidth={1.5} dot={false} isAnimationActive={false} />
        <Line dataKey="completed" name="completed per second" stroke="#2459c2" strokeWidth={2} dot={false} isAnimationActive={false} />
        <Line dataKey="inFlight" name="in flight" stroke="#b45309" strokeWidth={2} dot={false} isAnimationActive={false} />
        <Line dataKey="failed" name="failed per second" stroke="#be123c" strokeWidth={1.5} dot={false} isAnimationActive={false} />
      </LineChart>
    </figure>
  );
}

/** How late the client sent, per second: the median and the worst send of each second. */
export function LagTimelineChart({ points, label }: { points: { t: number; p50: number; max: number }[]; label: string }) {
  return (
    <figure aria-label={label} data-testid="lag-timeline">
      <LineChart responsive style={{ width: "100%", height: 220 }} data={points} margin={{ top: 8, right: 16, bottom: 20, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis
          dataKey="t"
          tick={AXIS}
          label={{ value: "seconds", position: "insideBottomRight", offset: -8, fontSize: 12, fill: "#475569" }}
        />
        <YAxis tickFormatter={round} tick={AXIS} width={48} />
        <Tooltip formatter={(v) => `${round(Number(v))} ms`} labelFormatter={(t) => `second ${t}`} contentStyle={TOOLTIP} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Line dataKey="p50" name="median lag (ms)" stroke="#2459c2" strokeWidth={2} dot={false} isAnimationActive={false} />
        <Line dataKey="max" name="worst lag (ms)" stroke="#be123c" strokeWidth={1.5} dot={false} isAnimationActive={false} />
      </LineChart>
    </figure>
  );
}

/** A trace's request rate over time, small. */
export function TraceRateChart({ points, label }: { points: { t: number; perS: number }[]; label: string }) {
  return (
    <figure aria-label={label} data-testid="trace-rate">
      <AreaChart responsive style={{ width: "100%", height: 120 }} data={points} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
        <XAxis dataKey="t" tick={AXIS} tickFormatter={(v: number) => `${round(v)} s`} minTickGap={24} />
        <YAxis tick={AXIS} width={36} />
        <Tooltip
          formatter={(v) => [`${round(Number(v))} requests/s`, "rate"]}
          labelFormatter={(t) => `at ${round(Number(t))} s`}
          contentStyle={TOOLTIP}
        />
        <Area dataKey="perS" stroke="#2459c2" fill="#dbe6fb" isAnimationActive={false} />
      </AreaChart>
    </figure>
  );
}

/** Baseline against optimized at the percentiles compared (grouped bars, ms). */
export function ComparePercentilesChart({
  points,
  label,
}: {
  points: { name: string; baseline: number; optimized: number }[];
  label: string;
}) {
  return (
    <figure aria-label={label} data-testid="compare-chart">
      <BarChart responsive style={{ width: "100%", height: 260 }} data={points} margin={{ top: 8, right: 12, bottom: 4, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
        <XAxis dataKey="name" tick={AXIS} interval={0} />
        <YAxis tickFormatter={round} tick={AXIS} width={52} />
        <Tooltip formatter={(v) => `${round(Number(v))} ms`} contentStyle={TOOLTIP} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="baseline" name="baseline" fill="#64748b" isAnimationActive={false} />
        <Bar dataKey="optimized" name="optimized" fill="#2459c2" isAnimationActive={false} />
      </BarChart>
    </figure>
  );
}

/** A sweep's throughput-latency curve: each step's successful requests per second (x) against its latencies (y, ms). */
export function SweepCurveChart({
  points,
  label,
}: {
  points: { rps: number; ttftP50: number | null; ttftP99: number | null; e2eP50: number | null; e2eP99: number | null; step: string }[];
  label: string;
}) {
  const data = [...points].sort((a, b) => a.rps - b.rps);
  return (
    <figure aria-label={label} data-testid="sweep-curve">
      <LineChart responsive style={{ width: "100%", height: 280 }} data={data} margin={{ top: 8, right: 16, bottom: 20, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis
          type="number"
          dataKey="rps"
          domain={[0, "dataMax"]}
          tickFormatter={round}
          tick={AXIS}
          label={{ value: "answers per second", position: "insideBottomRight", offset: -8, fontSize: 12, fill: "#475569" }}
        />
        <YAxis tickFormatter={round} tick={AXIS} width={52} />
        <Tooltip
          formatter={(v, name) => [`${round(Number(v))} ms`, name]}
          labelFormatter={(rps, payload) => `${payload?.[0]?.payload?.step ?? "step"}: ${round(Number(rps))} answers/s`}
          contentStyle={TOOLTIP}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Line dataKey="e2eP50" name="whole answer, median" stroke="#2459c2" strokeWidth={2} isAnimationActive={false} connectNulls />
        <Line
          dataKey="e2eP99"
          name="whole answer, 99th"
          stroke="#2459c2"
          strokeDasharray="5 4"
          strokeWidth={1.5}
          isAnimationActive={false}
          connectNulls
        />
        <Line dataKey="ttftP50" name="first token, median" stroke="#047857" strokeWidth={2} isAnimationActive={false} connectNulls />
        <Line
          dataKey="ttftP99"
          name="first token, 99th"
          stroke="#047857"
          strokeDasharray="5 4"
          strokeWidth={1.5}
          isAnimationActive={false}
          connectNulls
        />
      </LineChart>
    </figure>
  );
}
