// The data plane's caches under concurrency: misses of one key share one load, an expired entry is served while one
// refresh runs, and a change heard during a load keeps that load's answer out of the cache and away from later requests.
import { describe, expect, it } from "vitest";
import { ChangeGuardedCache } from "@/lib/dataPlane/caches";

/** A load whose answer the test releases by hand, counting its calls. */
function controlledLoads() {
  const pending: { resolve: (v: string) => void; reject: (e: unknown) => void }[] = [];
  let calls = 0;
  const load = () => {
    calls++;
    return new Promise<string>((resolve, reject) => pending.push({ resolve, reject }));
  };
  return { load, pending, calls: () => calls };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A cache (20 ms to live) holding "old" for key k, already expired; its first load was call 1. */
async function expiredEntry() {
  const cache = new ChangeGuardedCache<string>(() => true, 20);
  const l = controlledLoads();
  const first = cache.get("k", l.load);
  l.pending[0].resolve("old");
  await first;
  await sleep(30);
  return { cache, l };
}

describe("ChangeGuardedCache", () => {
  it("shares one load among concurrent misses of a key, and serves the stored value afterwards", async () => {
    const cache = new ChangeGuardedCache<string>(() => true, 60_000);
    const l = controlledLoads();
    const answers = Promise.all(Array.from({ length: 50 }, () => cache.get("k", l.load)));
    expect(l.calls()).toBe(1);
    l.pending[0].resolve("v1");
    expect(await answers).toEqual(Array(50).fill("v1"));
    expect(await cache.get("k", l.load)).toBe("v1");
    expect(l.calls()).toBe(1);
    // another key loads on its own
    const other = cache.get("j", l.load);
    expect(l.calls()).toBe(2);
    l.pending[1].resolve("w");
    expect(await other).toBe("w");
  });

  it("a failed load reaches every request that shared it and is not stored", async () => {
    const cache = new ChangeGuardedCache<string>(() => true, 60_000);
    const l = controlledLoads();
    const a = cache.get("k", l.load);
    const b = cache.get("k", l.load);
    l.pending[0].reject(new Error("Invalid API key."));
    await expect(a).rejects.toThrow("Invalid API key.");
    await expect(b).rejects.toThrow("Invalid API key.");
    const c = cache.get("k", l.load);
    expect(l.calls()).toBe(2);
    l.pending[1].resolve("v");
    expect(await c).toBe("v");
  });

  it("serves an expired entry while exactly one refresh runs, then the refreshed value", async () => {
    const { cache, l } = await expiredEntry();
    const during = await Promise.all(Array.from({ length: 20 }, () => cache.get("k", l.load)));
    expect(during).toEqual(Array(20).fill("old"));
    expect(l.calls()).toBe(2);
    l.pending[1].resolve("new");
    await sleep(0);
    expect(await cache.get("k", l.load)).toBe("new");
    expect(l.calls()).toBe(2);
  });

  it("a failed refresh drops the entry, so the next request meets the failure itself", async () => {
    const { cache, l } = await expiredEntry();
    expect(await cache.get("k", l.load)).toBe("old");
    l.pending[1].reject(new Error("database unavailable"));
    await sleep(0);
    const next = cache.get("k", l.load);
    expect(l.calls()).toBe(3);
    l.pending[2].reject(new Error("database unavailable"));
    await expect(next).rejects.toThrow("database unavailable");
  });

  it("a refresh whose answer could not be stored (the feed dropped meanwhile) is tried again by the next request", async () => {
    let live = true;
    const cache = new ChangeGuardedCache<string>(() => live, 20);
    const l = controlledLoads();
    const first = cache.get("k", l.load);
    l.pending[0].resolve("old");
    await first;
    await sleep(30);
    expect(await cache.get("k", l.load)).toBe("old");
    expect(l.calls()).toBe(2);
    live = false;
    l.pending[1].resolve("lost");
    await sleep(0);
    live = true;
    expect(await cache.get("k", l.load)).toBe("old");
    expect(l.calls()).toBe(3);
    l.pending[2].resolve("new");
    await sleep(0);
    expect(await cache.get("k", l.load)).toBe("new");
  });

  it("a change heard during a load: its answer is not stored, and requests after the change load afresh", async () => {
    const cache = new ChangeGuardedCache<string>(() => true, 60_000);
    const l = controlledLoads();
    const before = cache.get("k", l.load);
    cache.clear();
    const after = cache.get("k", l.load);
    expect(l.calls()).toBe(2);
    l.pending[0].resolve("stale");
    l.pending[1].resolve("fresh");
    expect(await before).toBe("stale");
    expect(await after).toBe("fresh");
    expect(await cache.get("k", l.load)).toBe("fresh");
    expect(l.calls()).toBe(2);
  });

  it("without a live change feed nothing is cached or shared", async () => {
    const cache = new ChangeGuardedCache<string>(() => false, 60_000);
    const l = controlledLoads();
    const a = cache.get("k", l.load);
    const b = cache.get("k", l.load);
    expect(l.calls()).toBe(2);
    l.pending[0].resolve("1");
    l.pending[1].resolve("2");
    expect([await a, await b]).toEqual(["1", "2"]);
    const c = cache.get("k", l.load);
    expect(l.calls()).toBe(3);
    l.pending[2].resolve("3");
    expect(await c).toBe("3");
  });
});
