// The judge's pace (lib/judge/rateGate.ts): N starts at P a minute take at least (N - 1) x 60/P seconds, evenly spaced,
// however many callers ask at once; one gate per key and rate.
import { describe, expect, it } from "vitest";
import { RateGate, gateFor } from "@/lib/judge/rateGate";

describe("RateGate", () => {
  it("spaces 6 starts at 600 a minute at least 100 ms apart, 20 callers at once", async () => {
    const gate = new RateGate(600);
    const t0 = performance.now();
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 6 }, () => gate.take().then(() => starts.push(performance.now() - t0))));
    starts.sort((a, b) => a - b);
    expect(starts[0]).toBeLessThan(50);
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(95);
    expect(starts[5]).toBeGreaterThanOrEqual(495);
  });

  it("keeps one gate per key and rate, none without a rate", () => {
    expect(gateFor("run-1", null)).toBeNull();
    const a = gateFor("run-1", 60);
    expect(gateFor("run-1", 60)).toBe(a);
    expect(gateFor("run-1", 120)).not.toBe(a);
    expect(gateFor("run-2", 60)).not.toBe(a);
  });
});
