import { significant } from "@/lib/format/number";

/** Where an interaction was logged from, in the user's words. */
export const sourceLabels: Record<string, string> = {
  API: "Ingestion API",
  GATEWAY: "Gateway",
  UPLOAD: "Upload",
  DEMO: "Demo data",
};

/** A duration in milliseconds: "842 ms", "1,250 ms"; "—" when not logged. */
export function milliseconds(ms: number | null): string {
  return ms === null ? "—" : `${significant(ms, 4)} ms`;
}

/** A cost in US dollars with its small digits kept: "$0.00042"; "—" when not logged. */
export function dollars(usd: number | null): string {
  return usd === null ? "—" : `$${significant(usd, 4)}`;
}

/** A logged number, or "—". */
export function valueOrDash(x: number | null): string {
  return x === null ? "—" : significant(x);
}
