// lib/simulator/tokens.ts and random.ts: the documented counting rule and the seeded PRNG.
import { describe, expect, it } from "vitest";
import { countChatPromptTokens, countTokens, splitTokens } from "../../lib/simulator/tokens";
import { hashString, jitterFactor, mulberry32, requestRandom } from "../../lib/simulator/random";

describe("countTokens", () => {
  // Expected counts worked out by hand from the rule in tokens.ts.
  it.each([
    ["", 0],
    ["   \n\t", 0],
    ["Hello", 1],
    ["Hello, world!", 4], // Hello|,|world|!
    ["internationalization", 2], // 20 letters: 10 + 10
    ["abcdefghijk", 2], // 11 letters: 10 + 1
    ["2026", 2], // 202|6
    ["1234567", 3], // 123|456|7
    ["It's $5.99", 7], // It|'|s|$|5|.|99
  ])("%j has %i tokens", (text, expected) => {
    expect(countTokens(text)).toBe(expected);
  });

  it("counts non-Latin letters as letters and emoji as one token each", () => {
    expect(countTokens("café naïve")).toBe(2);
    expect(countTokens("日本語")).toBe(1);
    expect(countTokens("ok 👍")).toBe(2);
  });

  it("adds 4 tokens per chat message on top of the contents", () => {
    expect(countChatPromptTokens(["You are helpful.", "Hi!"])).toBe(4 + 2 + 2 * 4);
    expect(countChatPromptTokens([""])).toBe(4);
  });
});

describe("splitTokens", () => {
  it.each(["Hello, world!", "  leading and trailing  ", "Line one.\n\n1. Step two?", "a", "x".repeat(25), '{"a": [1, 2]}'])(
    "splits %j into countTokens pieces that concatenate back",
    (text) => {
      const pieces = splitTokens(text);
      expect(pieces.join("")).toBe(text);
      expect(pieces.length).toBe(countTokens(text));
      for (const piece of pieces) expect(countTokens(piece)).toBe(1);
    },
  );
});

describe("mulberry32", () => {
  it("matches the reference implementation", () => {
    // First output of mulberry32(1) in bryc's reference JavaScript (github.com/bryc/code, jshash/PRNGs.md).
    expect(mulberry32(1)()).toBe(0.6270739405881613);
  });

  it("stays in [0, 1) and is reproducible", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it("derives per-request streams from seed and content, not order", () => {
    expect(requestRandom(1, "abc")()).toBe(requestRandom(1, "abc")());
    expect(requestRandom(1, "abc")()).not.toBe(requestRandom(2, "abc")());
    expect(requestRandom(1, "abc")()).not.toBe(requestRandom(1, "abd")());
    expect(hashString("abc")).not.toBe(hashString("abd"));
  });

  it("jitterFactor spans [1 - j, 1 + j]", () => {
    expect(jitterFactor(() => 0, 0.2)).toBeCloseTo(0.8);
    expect(jitterFactor(() => 0.5, 0.2)).toBeCloseTo(1);
    expect(jitterFactor(() => 0.999999, 0.2)).toBeCloseTo(1.2);
    expect(jitterFactor(() => 0.3, 0)).toBe(1);
  });
});
