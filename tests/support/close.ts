// Relative closeness for reference values from scipy / statsmodels: |actual - expected| <= rel |expected| (absolute 1e-12 near 0).
import { expect } from "vitest";

/** Asserts actual equals expected to `rel` relative (default 1e-6, the house tolerance for reference values). */
export function expectClose(actual: number | null | undefined, expected: number, rel = 1e-6): void {
  expect(actual, `expected ${expected}`).toBeTypeOf("number");
  const a = actual as number;
  const tolerance = Math.max(rel * Math.abs(expected), 1e-12);
  expect(Math.abs(a - expected), `${a} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}
