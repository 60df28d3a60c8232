import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { formatDateTime, formatRelative } from "@/lib/format/dateTime";
import { sourceFiles } from "../support/sourceFiles";

describe("formatDateTime: one format, with its zone", () => {
  it.each([
    ["2026-12-01T20:40:59.999Z", "1 Dec 2026, 20:40 UTC"],
    ["2026-09-05T03:07:00Z", "5 Sep 2026, 03:07 UTC"], // "Sep", whatever the runtime's locale data says ("Sept" in newer ICU en-GB)
    ["2027-01-01T00:00:00+02:00", "31 Dec 2026, 22:00 UTC"], // another zone's midnight is the previous UTC day
  ])("%s -> %s", (iso, expected) => {
    expect(formatDateTime(iso)).toBe(expected);
    expect(formatDateTime(new Date(iso))).toBe(expected);
  });

  it("says so for a value that is not a date", () => {
    expect(formatDateTime("not a date")).toBe("unknown time");
  });
});

describe("formatRelative: how long ago, for activity feeds", () => {
  const now = Date.parse("2026-12-01T12:00:00Z");
  const ago = (seconds: number) => new Date(now - seconds * 1000);
  it.each([
    [0, "just now"],
    [44, "just now"],
    [-30, "just now"], // a browser clock a little ahead
    [60, "1 minute ago"],
    [5 * 60 + 10, "5 minutes ago"],
    [59 * 60, "59 minutes ago"],
    [60 * 60, "1 hour ago"],
    [3 * 3600 + 20 * 60, "3 hours ago"],
    [24 * 3600, "yesterday"],
    [12 * 24 * 3600, "12 days ago"],
    [30 * 24 * 3600, "1 Nov 2026, 12:00 UTC"], // past a month the date itself reads better
  ])("%i s ago -> %s", (seconds, expected) => {
    expect(formatRelative(ago(seconds), now)).toBe(expected);
  });
});

describe("every date on screen goes through lib/format/dateTime", () => {
  // Numbers may use toLocaleString("en-US"); a date formatted any other way would bring back a second format.
  const forbidden = [
    /toLocaleString\((?!"en-US")/,
    /toLocaleDateString\(/,
    /toLocaleTimeString\(/,
    /toUTCString\(/,
    /toISOString\(\)\.(?:slice|substring|replace)/,
    /DateTimeFormat\(/,
  ];
  const files = ["app", "components", "lib"]
    .flatMap((dir) => sourceFiles(dir, (name) => /\.tsx?$/.test(name)))
    .filter((f) => !f.startsWith("lib/generated/") && f !== "lib/format/dateTime.ts");
  it.each(files)("%s", (file) => {
    const source = fs.readFileSync(file, "utf8");
    expect(forbidden.filter((re) => re.test(source)).map(String)).toEqual([]);
  });
});
