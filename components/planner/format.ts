// Number formats the planner shows, so the result card, inverse, table and help text agree.
import { percent, significant } from "@/lib/format/number";

/** 1872 -> "1,872". */
export const count = (n: number) => n.toLocaleString("en-US");

/** 4 significant digits, no float noise: 0.798 -> "0.798", 1871.5401 -> "1,871.54" (with count for big numbers). */
export const short = (x: number) => (Math.abs(x) >= 1000 ? x.toLocaleString("en-US", { maximumFractionDigits: 2 }) : significant(x, 4));

/** A signed relative change: 0.05 -> "+5%", -0.026223 -> "−2.622%", 0.00004 -> "+0.004%". */
export function signedPercent(x: number): string {
  return `${x < 0 ? "−" : "+"}${percent(Math.abs(x), 4)}`;
}

/** A signed absolute change: 0.038 -> "+0.038". */
export function signedShort(x: number): string {
  return `${x < 0 ? "−" : "+"}${short(Math.abs(x))}`;
}

/** "1 day" / "2 days". */
export const daysText = (n: number) => `${count(n)} ${n === 1 ? "day" : "days"}`;

/** A typographic minus for a formatted number: "-0.25" -> "−0.25". */
export const minus = (text: string) => text.replace(/^-/, "−");
