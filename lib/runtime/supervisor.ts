import type { ChildProcess } from "node:child_process";

export interface SupervisorOptions {
  /** How the process is named in the log, e.g. "worker 1". */
  name: string;
  /** Starts one run of the process. */
  spawn: () => ChildProcess;
  log: (line: string) => void;
  /** Delay before the first restart; it doubles with each fast crash in a row, up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** A run that lasted at least this long was not a fast crash: the next restart waits initialDelayMs again. */
  stableAfterMs?: number;
  /** After this many fast crashes in a row the process is left stopped (and that is logged). */
  maxFastCrashes?: number;
}

export interface Supervised {
  /** The pid of the current run (undefined while waiting to restart or after giving up). */
  readonly pid: number | undefined;
  /** Runs started so far (1 + restarts). */
  readonly runs: number;
  /** True once it gave up after repeated fast crashes. */
  readonly gaveUp: boolean;
  /** Stops the process (SIGTERM, then SIGKILL after timeoutMs) and restarts it no more. */
  stop(timeoutMs?: number): Promise<void>;
}

/** "exit code 3" or "signal SIGKILL": how a run ended. */
function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

/** Sends SIGTERM, then SIGKILL after timeoutMs, and resolves when the process has exited. */
export function stopChild(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * Keeps a process running: when it exits on its own it is started again after a delay that doubles with each fast crash in
 * a row (exponential backoff), every restart logged with the exit code or signal; after maxFastCrashes fast crashes in a
 * row it is left stopped, loudly.
 */
export function supervise(opts: SupervisorOptions): Supervised {
  const initialDelayMs = opts.initialDelayMs ?? 1_000;
  const maxDelayMs = opts.maxDelayMs ?? 30_000;
  const stableAfterMs = opts.stableAfterMs ?? 30_000;
  const maxFastCrashes = opts.maxFastCrashes ?? 5;
  let child: ChildProcess | undefined;
  let runs = 0;
  let fastCrashes = 0;
  let stopping = false;
  let gaveUp = false;
  let timer: NodeJS.Timeout | undefined;

  const run = () => {
    timer = undefined;
    const started = Date.now();
    const current = opts.spawn();
    child = current;
    runs++;
    opts.log(`${opts.name} started (pid ${current.pid ?? "?"}).`);
    current.once("error", (err) => opts.log(`${opts.name} could not start: ${err.message}`));
    current.once("exit", (code, signal) => {
      if (child === current) child = undefined;
      if (stopping) return;
      const lasted = Date.now() - started;
      fastCrashes = lasted < stableAfterMs ? fastCrashes + 1 : 0;
      const how = `${opts.name} (pid ${current.pid ?? "?"}) stopped with ${describeExit(code, signal)} after ${(lasted / 1000).toFixed(1)} s`;
      if (fastCrashes >= maxFastCrashes) {
        gaveUp = true;
        opts.log(
          `${how}: it failed ${fastCrashes} times in a row within ${stableAfterMs / 1000} s of starting, so it is not restarted again. Fix the cause (its output is above), then restart Assay.`,
        );
        return;
      }
      const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.max(0, fastCrashes - 1));
      opts.log(`${how}; restarting it in ${(delay / 1000).toFixed(1)} s (restart ${runs}).`);
      timer = setTimeout(run, delay);
    });
  };
  run();

  return {
    get pid() {
      return child?.pid;
    },
    get runs() {
      return runs;
    },
    get gaveUp() {
      return gaveUp;
    },
    async stop(timeoutMs?: number) {
      stopping = true;
      if (timer) clearTimeout(timer);
      if (child) await stopChild(child, timeoutMs);
    },
  };
}
