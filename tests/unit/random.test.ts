import { describe, expect, it } from "vitest";
import { exponential, normalSampler, seededRandom } from "@/lib/stats/random";

describe("seeded random numbers", () => {
  it("a seed reproduces its sequence; another seed gives another", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it("draws have the moments they should (200,000 draws: within 5 standard errors)", () => {
    const n = 200_000;
    const random = seededRandom(7);
    const z = normalSampler(random);
    let s = 0;
    let s2 = 0;
    let e = 0;
    let u = 0;
    for (let i = 0; i < n; i++) {
      const v = z();
      s += v;
      s2 += v * v;
      e += exponential(random, 3);
      u += random.next();
    }
    expect(Math.abs(s / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(e / n - 3)).toBeLessThan(5 * (3 / Math.sqrt(n)));
    expect(Math.abs(u / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
  });
});
