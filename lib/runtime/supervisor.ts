import type { ChildProcess } from "node:child_process";

export interface SupervisorOptions {
  /** How the process is named in the log, e.g. "worker 1". */
  name: string;
  /** Starts one run of the process (async: resolves once it is ready, rejects when it could not start). */
  spawn: () => ChildProcess | Promise<ChildProcess>;
  /** The first run, already started by the caller (the embedded database, started before the migrations): watched, not spawned. */
  adopt?: ChildProcess;
  /** Ends a run on stop() (default: SIGTERM, then SIGKILL after the timeout). */
  stopRun?: (child: ChildProcess, timeoutMs?: number) => Promise<void>;
  /** Said when it stopped by itself, after the restart plan: what does not work until it is back. */
  whileDown?: string;
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
  let stoppedAt: number | undefined;

  /** The delay before the next try after a fast crash or a failed start, or null (and logged) when it is time to give up. */
  const nextDelay = (how: string): number | null => {
    if (fastCrashes >= maxFastCrashes) {
      gaveUp = true;
      opts.log(
        `${how}: it failed ${fastCrashes} times in a row within ${stableAfterMs / 1000} s of starting, so it is not restarted again. Fix the cause (its output is above), then restart Assay.`,
      );
      return null;
    }
    return Math.min(maxDelayMs, initialDelayMs * 2 ** Math.max(0, fastCrashes - 1));
  };
  const watch = (current: ChildProcess, started: number) => {
    child = current;
    if (stoppedAt === undefined) opts.log(`${opts.name} started (pid ${current.pid ?? "?"}).`);
    else
      opts.log(
        `${opts.name} started (pid ${current.pid ?? "?"}) and is back, ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s after it stopped.`,
      );
    current.once("error", (err) => opts.log(`${opts.name} could not start: ${err.message}`));
    current.once("exit", (code, signal) => {
      if (child === current) child = undefined;
      if (stopping) return;
      stoppedAt = Date.now();
      const lasted = stoppedAt - started;
      fastCrashes = lasted < stableAfterMs ? fastCrashes + 1 : 0;
      const how = `${opts.name} (pid ${current.pid ?? "?"}) stopped with ${describeExit(code, signal)} after ${(lasted / 1000).toFixed(1)} s`;
      const delay = nextDelay(how);
      if (delay === null) return;
      opts.log(`${how}; restarting it in ${(delay / 1000).toFixed(1)} s (restart ${runs}).${opts.whileDown ? ` ${opts.whileDown}` : ""}`);
      timer = setTimeout(run, delay);
    });
  };
  const run = () => {
    timer = undefined;
    const started = Date.now();
    runs++;
    let spawned: ChildProcess | Promise<ChildProcess>;
    try {
      spawned = opts.spawn();
    } catch (err) {
      spawned = Promise.reject(err);
    }
    if (!(spawned instanceof Promise)) return watch(spawned, started);
    spawned.then(
      (current) => (stopping ? void stopRun(current) : watch(current, started)),
      (err: unknown) => {
        if (stopping) return;
        fastCrashes++;
        const how = `${opts.name} could not be restarted (${err instanceof Error ? err.message : String(err)})`;
        const delay = nextDelay(how);
        if (delay === null) return;
        opts.log(`${how}; trying again in ${(delay / 1000).toFixed(1)} s.`);
        timer = setTimeout(run, delay);
      },
    );
  };
  const stopRun = (current: ChildProcess, timeoutMs?: number) => (opts.stopRun ?? stopChild)(current, timeoutMs);
  if (opts.adopt) {
    runs = 1;
    watch(opts.adopt, Date.now());
  } else run();

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
      if (child) await stopRun(child, timeoutMs);
    },
  };
}
