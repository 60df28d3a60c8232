import { describe, expect, it } from "vitest";
import { clientAddress } from "@/lib/auth/options";

describe("clientAddress (per-address sign-in limit)", () => {
  it.each([
    [{ "x-forwarded-for": "203.0.113.7" }, "203.0.113.7"],
    // A client that forges the header cannot choose its address: the proxy's own hop is last.
    [{ "x-forwarded-for": "1.2.3.4, 5.6.7.8, 198.51.100.2" }, "198.51.100.2"],
    [{ "x-forwarded-for": " 10.0.0.1 ,  " }, "10.0.0.1"],
    [{}, "local"],
    [undefined, "local"],
    [{ "x-forwarded-for": ["a", "b"] }, "local"],
  ])("%j -> %s", (headers, expected) => {
    expect(clientAddress(headers as Record<string, unknown> | undefined)).toBe(expected);
  });
});
