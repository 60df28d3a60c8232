// The one way Assay writes a measured number: enough significant digits that a small value never reads as another
// (an MDE of 0.005 is "0.5%" or "0.005", never "0"; the 0.999 quantile is P99.9, never P100), and no float noise
// (0.1 · 3 is "0.3"). Used by the pages, the design document and the CLI.

/** x with at most `digits` significant digits and no trailing zeros: 0.0050000001 -> "0.005", 1871.54 -> "1,871.54". */
export function significant(x: number, digits = 6): string {
  if (!Number.isFinite(x)) return String(x);
  const rounded = Number(x.toPrecision(digits));
  return Math.abs(rounded) >= 1000 ? rounded.toLocaleString("en-US", { maximumFractionDigits: 20 }) : String(rounded);
}

/** A share as a percentage: 0.05 -> "5%", 0.00005 -> "0.005%", 0.999 -> "99.9%". */
export function percent(x: number, digits = 6): string {
  return `${significant(x * 100, digits)}%`;
}

/** A quantile as its percentile: 0.95 -> "P95", 0.5 -> "P50", 0.999 -> "P99.9", 0.9999 -> "P99.99". */
export function quantileLabel(q: number): string {
  return `P${significant(q * 100)}`;
}

/** x to `places` decimals (an effect size: 0.09158 -> "0.0916"), or to 4 significant digits when that would leave fewer than two of them (0.000133 -> "0.0001333", not "0.0001" or "0.0000"). */
export function decimals(x: number, places = 4): string {
  return x !== 0 && Math.abs(x) < 10 ** (1 - places) ? significant(x, 4) : x.toFixed(places);
}
