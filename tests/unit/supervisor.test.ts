// lib/runtime/supervisor.ts with real child processes: what `npm start` does when a worker dies.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { supervise } from "@/lib/runtime/supervisor";

const node = (code: string) => () => spawn(process.execPath, ["-e", code], { stdio: "ignore" });

async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("supervise", () => {
  it("restarts a process killed with SIGKILL, logging the signal, and stops it for good on stop()", async () => {
    const log: string[] = [];
    const worker = supervise({ name: "worker 1", spawn: node("setInterval(() => {}, 1000)"), log: (l) => log.push(l), initialDelayMs: 50 });
    await until("the first run", () => worker.pid !== undefined);
    const first = worker.pid!;
    process.kill(first, "SIGKILL");
    await until("the restart", () => worker.runs === 2 && worker.pid !== undefined);
    expect(worker.pid).not.toBe(first);
    expect(log[0]).toBe(`worker 1 started (pid ${first}).`);
    expect(log[1]).toMatch(
      new RegExp(
        `^worker 1 \\(pid ${first}\\) stopped with signal SIGKILL after \\d+\\.\\d s; restarting it in 0\\.1 s \\(restart 1\\)\\.$`,
      ),
    );
    expect(log[2]).toMatch(new RegExp(`^worker 1 started \\(pid ${worker.pid}\\) and is back, \\d+\\.\\d s after it stopped\\.$`));
    const second = worker.pid!;
    await worker.stop();
    await new Promise((r) => setTimeout(r, 200));
    expect(worker.runs).toBe(2);
    expect(() => process.kill(second, 0)).toThrow();
  });

  it("backs off exponentially between fast crashes and gives up loudly after maxFastCrashes", async () => {
    const log: string[] = [];
    const starts: number[] = [];
    const worker = supervise({
      name: "worker 2",
      spawn: () => {
        starts.push(Date.now());
        return node("process.exit(3)")();
      },
      log: (l) => log.push(l),
      initialDelayMs: 100,
      maxDelayMs: 1_000,
      stableAfterMs: 5_000,
      maxFastCrashes: 4,
    });
    await until("giving up", () => worker.gaveUp);
    await new Promise((r) => setTimeout(r, 600));
    expect(worker.runs).toBe(4);
    // Delays 100, 200, 400 ms: each gap is at least its delay (plus the process's own life).
    const gaps = starts.slice(1).map((t, i) => t - starts[i]);
    expect(gaps[0]).toBeGreaterThanOrEqual(100);
    expect(gaps[1]).toBeGreaterThanOrEqual(200);
    expect(gaps[2]).toBeGreaterThanOrEqual(400);
    expect(log.filter((l) => l.includes("restarting it in")).map((l) => l.match(/restarting it in ([\d.]+) s/)![1])).toEqual([
      "0.1",
      "0.2",
      "0.4",
    ]);
    expect(log.at(-1)).toMatch(
      /^worker 2 \(pid \d+\) stopped with exit code 3 after [\d.]+ s: it failed 4 times in a row within 5 s of starting, so it is not restarted again\. Fix the cause \(its output is above\), then restart Assay\.$/,
    );
    expect(worker.pid).toBeUndefined();
  });

  it("a run that lasted past stableAfterMs resets the backoff", async () => {
    const log: string[] = [];
    let run = 0;
    const worker = supervise({
      name: "worker 3",
      // Runs 1 and 3 live 400 ms (stable), run 2 crashes at once.
      spawn: () => node(run++ % 2 === 0 ? "setTimeout(() => process.exit(1), 400)" : "process.exit(1)")(),
      log: (l) => log.push(l),
      initialDelayMs: 200,
      stableAfterMs: 300,
      maxFastCrashes: 3,
    });
    // Without the reset this would read 0.2, 0.4 and then give up (three fast crashes in a row).
    await until("three restarts", () => log.filter((l) => l.includes("restarting it in")).length >= 3);
    await worker.stop();
    expect(log.filter((l) => l.includes("restarting it in")).map((l) => l.match(/restarting it in ([\d.]+) s/)![1])).toEqual([
      "0.2",
      "0.2",
      "0.2",
    ]);
  });

  it("watches a process it did not start, restarts it through an async start, and backs off when that start fails", async () => {
    const log: string[] = [];
    const adopted = node("setInterval(() => {}, 1000)")();
    let attempts = 0;
    const database = supervise({
      name: "The database",
      adopt: adopted,
      spawn: async () => {
        attempts++;
        if (attempts === 1) throw new Error("its port is busy");
        await new Promise((r) => setTimeout(r, 50));
        return node("setInterval(() => {}, 1000)")();
      },
      whileDown: "Pages answer 503 meanwhile.",
      log: (l) => log.push(l),
      initialDelayMs: 100,
    });
    expect(database.pid).toBe(adopted.pid);
    expect(log).toEqual([`The database started (pid ${adopted.pid}).`]);
    process.kill(adopted.pid!, "SIGKILL");
    await until("the restart", () => database.runs === 3 && database.pid !== undefined);
    expect(log[1]).toMatch(
      new RegExp(
        `^The database \\(pid ${adopted.pid}\\) stopped with signal SIGKILL after \\d+\\.\\d s; restarting it in 0\\.1 s \\(restart 1\\)\\. Pages answer 503 meanwhile\\.$`,
      ),
    );
    // The failed start is a fast crash too: the next try waits twice as long.
    expect(log[2]).toBe("The database could not be restarted (its port is busy); trying again in 0.2 s.");
    expect(log[3]).toMatch(new RegExp(`^The database started \\(pid ${database.pid}\\) and is back, \\d+\\.\\d s after it stopped\\.$`));
    const current = database.pid!;
    await database.stop();
    expect(() => process.kill(current, 0)).toThrow();
    expect(log).toHaveLength(4);
  });
});
