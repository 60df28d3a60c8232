// How the decision matrix writes its numbers, in its cells and in the sentences of its reasons (one way for both, so a
// reason quotes exactly what the cell shows).
import { significant } from "@/lib/format/number";
import type { CellStatus, MatrixReading, ValueUnit } from "./matrix.types";

/** A value in its unit: 0.042 (percent) -> "4.2%", 1100 (ms) -> "1,100 ms", 0.95 (usd) -> "$0.95", 4.5 -> "4.5". */
export function formatValue(value: number, unit: ValueUnit): string {
  switch (unit) {
    case "percent":
      return `${significant(value * 100, 3)}%`;
    case "ms":
      return `${significant(Math.round(value), 6)} ms`;
    case "usd":
      return Math.abs(value) >= 0.01 || value === 0 ? `$${value.toFixed(2)}` : `$${significant(value, 2)}`;
    default:
      return significant(value, 3);
  }
}

const signed = (text: string, x: number) => (x > 0 ? `+${text}` : x < 0 ? `−${text.replace(/^-/, "")}` : text);

/** A relative change: 0.098 -> "+9.8%", -0.021 -> "−2.1%". */
export function formatRelative(x: number): string {
  return signed(`${significant(x * 100, 2)}%`, x);
}

/** An absolute change in the value's unit (a share changes by points): 0.009 (percent) -> "+0.9 points", 150 (ms) -> "+150 ms". */
export function formatDelta(x: number, unit: ValueUnit): string {
  if (unit === "percent") return signed(`${significant(x * 100, 2)} points`, x);
  return signed(formatValue(Math.abs(x), unit), x);
}

/** "95% CI" for alpha 0.05. */
export function ciLabel(alpha: number): string {
  return `${significant((1 - alpha) * 100, 3)}% CI`;
}

/** Shares under this read their change in points (a harmful rate of 0.4% -> 0.6% is "+0.2 points"), not relative. */
const SMALL_SHARE = 0.1;

/**
 * The change of a reading with its interval: relative where the control's value allows ("+9.8%, 95% CI +6.1% to +14%"),
 * in points for small shares ("+0.2 points, 95% CI ..."), else in the value's unit.
 */
export function formatChange(reading: MatrixReading, alpha: number): string | null {
  // No value on either side (nothing logged or judged yet): there is no change to state.
  if (reading.value === null || (reading.controlValue === null && reading.ratio === null)) return null;
  const smallShare = reading.unit === "percent" && reading.controlValue !== null && Math.abs(reading.controlValue) < SMALL_SHARE;
  if (reading.relDelta !== null && reading.relDeltaCi && !(smallShare && reading.deltaCi)) {
    const [lo, hi] = reading.relDeltaCi;
    return `${formatRelative(reading.relDelta)}, ${ciLabel(alpha)} ${formatRelative(lo)} to ${formatRelative(hi)}`;
  }
  if (reading.delta !== null && reading.deltaCi) {
    const [lo, hi] = reading.deltaCi;
    return `${formatDelta(reading.delta, reading.unit)}, ${ciLabel(alpha)} ${formatDelta(lo, reading.unit)} to ${formatDelta(hi, reading.unit)}`;
  }
  if (reading.delta !== null) return formatDelta(reading.delta, reading.unit);
  return null;
}

/** "rose from 4.1 to 4.5" / "fell from 950 ms to 900 ms" / "stayed at 4.1". */
export function formatMove(reading: MatrixReading): string {
  if (reading.value === null || reading.controlValue === null) return "has no value yet";
  const from = formatValue(reading.controlValue, reading.unit);
  const to = formatValue(reading.value, reading.unit);
  if (from === to) return `stayed at ${to}`;
  return `${reading.value > reading.controlValue ? "rose" : "fell"} from ${from} to ${to}`;
}

/** The legend: what each status means, in the words every cell repeats beside its icon and colour. */
export const STATUS_WORDS: Record<CellStatus, string> = {
  better: "Significantly better",
  worse: "Significantly worse",
  neutral: "No significant change",
  untested: "Not tested",
  noData: "Not enough data",
  baseline: "Control (baseline)",
};
