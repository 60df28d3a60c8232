// The one way Assay writes a moment on screen and in documents: "1 Dec 2026, 20:40 UTC", and "5 minutes ago" in activity
// feeds. Always UTC, so the server's render, the browser's and a printed document say the same; the month names are
// spelled here rather than taken from the runtime's locale data, which differs between Node and browsers ("Sep"/"Sept").
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

const asDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

/** A moment as "1 Dec 2026, 20:40 UTC" (day month year, 24-hour time, the zone named). */
export function formatDateTime(value: Date | string): string {
  const d = asDate(value);
  if (Number.isNaN(d.getTime())) return "unknown time";
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["minute", 60],
  ["hour", 60 * 60],
  ["day", 24 * 60 * 60],
];

/** How long ago a moment was, from `now`: "just now", "5 minutes ago", "3 hours ago", "yesterday", "12 days ago"; past 30 days the date itself. */
export function formatRelative(value: Date | string, now: Date | number): string {
  const d = asDate(value);
  if (Number.isNaN(d.getTime())) return "unknown time";
  const seconds = (Number(now) - d.getTime()) / 1000;
  // A clock a little ahead of the server's still reads as now.
  if (seconds < 45) return "just now";
  if (seconds >= 30 * 24 * 60 * 60) return formatDateTime(d);
  const [unit, size] = seconds < 60 * 60 ? STEPS[0] : seconds < 24 * 60 * 60 ? STEPS[1] : STEPS[2];
  return relative.format(-Math.max(1, Math.round(seconds / size)), unit);
}

/** A moment as a date-and-time field's value, in UTC to the minute: "2026-12-01T20:40". */
export function formatFormDateTime(value: Date | string): string {
  const d = asDate(value);
  if (Number.isNaN(d.getTime())) return "";
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** A chart axis tick in UTC: "14:00" for hourly points, "2 Dec" for daily ones. */
export function formatChartTick(value: Date | string, bucket: "hour" | "day"): string {
  const d = asDate(value);
  if (Number.isNaN(d.getTime())) return "";
  return bucket === "hour" ? `${pad(d.getUTCHours())}:00` : `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

/**
 * A moment as Python's datetime.isoformat() writes a naive UTC time ("2026-02-09T05:54:31.762438": microseconds, no
 * zone), for files in varcas's formats. Not for the screen.
 */
export function pythonIsoformat(ms: number): string {
  const whole = Math.floor(ms);
  const micros = Math.min(999_999, Math.round((ms - Math.floor(ms / 1000) * 1000) * 1000));
  return `${new Date(whole).toISOString().slice(0, 19)}.${String(micros).padStart(6, "0")}`;
}
