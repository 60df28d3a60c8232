// lib/simulator/queue.ts and faults.ts: FIFO concurrency and injected errors.
import { describe, expect, it } from "vitest";
import { ConcurrencyQueue } from "../../lib/simulator/queue";
import { drawInjectedFault } from "../../lib/simulator/faults";
import { mulberry32 } from "../../lib/simulator/random";

describe("ConcurrencyQueue", () => {
  it("grants at most `limit` slots and hands freed slots out first-in, first-out", async () => {
    const queue = new ConcurrencyQueue(2);
    const order: number[] = [];
    const first = await queue.acquire();
    const second = await queue.acquire();
    const waiting = [3, 4, 5].map((n) => queue.acquire().then((release) => (order.push(n), release)));
    expect(queue.activeCount).toBe(2);
    expect(queue.waitingCount).toBe(3);
    first();
    first(); // a second call is harmless
    const third = await waiting[0];
    expect(order).toEqual([3]);
    second();
    third();
    await Promise.all(waiting.slice(1)).then((releases) => releases.forEach((release) => release()));
    expect(order).toEqual([3, 4, 5]);
    expect(queue.activeCount).toBe(0);
    expect(queue.waitingCount).toBe(0);
  });

  it("drops a waiter whose signal aborts", async () => {
    const queue = new ConcurrencyQueue(1);
    const held = await queue.acquire();
    const controller = new AbortController();
    const abandoned = queue.acquire(controller.signal);
    const next = queue.acquire();
    controller.abort(new Error("gone"));
    await expect(abandoned).rejects.toThrow("gone");
    expect(queue.waitingCount).toBe(1);
    held();
    (await next)();
    expect(queue.activeCount).toBe(0);
  });
});

describe("drawInjectedFault", () => {
  it("never fails at rate 0 and always at rate 1", () => {
    const random = mulberry32(3);
    for (let i = 0; i < 1000; i++) expect(drawInjectedFault(random, 0)).toBeUndefined();
    for (let i = 0; i < 1000; i++) expect(drawInjectedFault(random, 1)).toBeDefined();
  });

  it("fails at about the given rate, half 429 and half 500", () => {
    const random = mulberry32(11);
    const counts = { none: 0, rate_limit: 0, server_error: 0 };
    for (let i = 0; i < 20_000; i++) counts[drawInjectedFault(random, 0.3) ?? "none"]++;
    // Binomial(20000, 0.3): sd = 65, so +-400 is > 6 sd.
    expect(Math.abs(counts.rate_limit + counts.server_error - 6000)).toBeLessThan(400);
    expect(Math.abs(counts.rate_limit - counts.server_error)).toBeLessThan(400);
  });
});
