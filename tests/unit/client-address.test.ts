import { afterEach, describe, expect, it } from "vitest";
import { env, EnvError, setEnv } from "@/lib/env";
import {
  CLIENT_ADDRESS_HEADER,
  markFrontDoor,
  requestClientAddress,
  resolveClientAddress,
  rewriteForwardedHeaders,
  trustedProxies,
} from "@/lib/http/forwarded";

const none = trustedProxies([]);
const proxies = trustedProxies(["10.0.0.0/8", "192.0.2.1", "fd00::/8"]);

describe("resolveClientAddress (the per-address sign-in limit's key)", () => {
  it.each([
    // No trusted proxy: the socket peer, whatever the client wrote.
    ["198.51.100.9", "1.2.3.4", none, "198.51.100.9"],
    ["198.51.100.9", undefined, none, "198.51.100.9"],
    ["::ffff:198.51.100.9", "1.2.3.4", none, "198.51.100.9"],
    // A peer that is not one of the trusted proxies is the client, even when proxies are configured.
    ["198.51.100.9", "1.2.3.4", proxies, "198.51.100.9"],
    // Through a trusted proxy: the nearest hop that is not a proxy; what the client prepended is ignored.
    ["10.1.2.3", "203.0.113.7", proxies, "203.0.113.7"],
    ["10.1.2.3", "6.6.6.6, 203.0.113.7", proxies, "203.0.113.7"],
    ["10.1.2.3", "6.6.6.6, 203.0.113.7, 192.0.2.1", proxies, "203.0.113.7"],
    ["fd00::1", "2001:db8::5", proxies, "2001:db8::5"],
    // A trusted proxy with nothing forwarded, or garbage forwarded: the last trusted address.
    ["10.1.2.3", undefined, proxies, "10.1.2.3"],
    ["10.1.2.3", "not-an-ip", proxies, "10.1.2.3"],
    ["10.1.2.3", "6.6.6.6, junk, 192.0.2.1", proxies, "192.0.2.1"],
  ])("peer %s with X-Forwarded-For %j (case %#)", (peer, xff, trusted, expected) => {
    expect(resolveClientAddress(peer, xff, trusted)).toBe(expected);
  });
});

describe("rewriteForwardedHeaders (the front door, before Next)", () => {
  it("from an untrusted peer drops every forwarded header and a forged client address", () => {
    const headers: Record<string, string> = {
      host: "assay.test",
      "x-forwarded-for": "1.2.3.4",
      "x-forwarded-host": "evil.example",
      "x-forwarded-proto": "https",
      "x-real-ip": "5.6.7.8",
      forwarded: "for=9.9.9.9",
      [CLIENT_ADDRESS_HEADER]: "7.7.7.7",
    };
    expect(rewriteForwardedHeaders(headers, "198.51.100.9", proxies)).toBe("198.51.100.9");
    expect(headers).toEqual({ host: "assay.test", [CLIENT_ADDRESS_HEADER]: "198.51.100.9" });
  });

  it("from a trusted proxy keeps its headers and resolves the client behind it", () => {
    const headers: Record<string, string> = { host: "assay.test", "x-forwarded-for": "1.2.3.4, 203.0.113.7", "x-forwarded-proto": "https" };
    rewriteForwardedHeaders(headers, "10.0.0.5", proxies);
    expect(headers).toEqual({
      host: "assay.test",
      "x-forwarded-for": "1.2.3.4, 203.0.113.7",
      "x-forwarded-proto": "https",
      [CLIENT_ADDRESS_HEADER]: "203.0.113.7",
    });
  });
});

describe("requestClientAddress (what the sign-in code reads)", () => {
  it("believes the header only in a process served through the front door", () => {
    expect(requestClientAddress({ [CLIENT_ADDRESS_HEADER]: "203.0.113.7" })).toBe("unknown");
    markFrontDoor();
    expect(requestClientAddress({ [CLIENT_ADDRESS_HEADER]: "203.0.113.7" })).toBe("203.0.113.7");
    expect(requestClientAddress({ [CLIENT_ADDRESS_HEADER]: "not an address" })).toBe("unknown");
    expect(requestClientAddress(undefined)).toBe("unknown");
  });
});

describe("ASSAY_TRUSTED_PROXIES", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    setEnv(saved as Record<string, string>);
  });

  it("defaults to none and reads a comma-separated list of addresses and ranges", () => {
    delete process.env.ASSAY_TRUSTED_PROXIES;
    setEnv({});
    expect(env().ASSAY_TRUSTED_PROXIES).toEqual([]);
    setEnv({ ASSAY_TRUSTED_PROXIES: " 10.0.0.0/8, 127.0.0.1 ,::1,fd00::/8" });
    expect(env().ASSAY_TRUSTED_PROXIES).toEqual(["10.0.0.0/8", "127.0.0.1", "::1", "fd00::/8"]);
  });

  it.each([
    ["proxy.internal", '"proxy.internal" is not an IP address or a CIDR range'],
    ["10.0.0.0/33", '"10.0.0.0/33" has a prefix length outside 0-32'],
    ["10.0.0.1/8/1", '"10.0.0.1/8/1" is not an IP address or a CIDR range (like 10.0.0.0/8 or fd00::/8)'],
    ["fd00::/129", '"fd00::/129" has a prefix length outside 0-128'],
  ])("%s is refused naming the variable and the entry", (value, message) => {
    setEnv({ ASSAY_TRUSTED_PROXIES: value });
    expect(() => env()).toThrow(EnvError);
    expect(() => env()).toThrow(`ASSAY_TRUSTED_PROXIES must list IP addresses or CIDR ranges, comma-separated: ${message}`);
  });
});
