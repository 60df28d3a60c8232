// A sweep, as GuideLLM's: one synchronous step (one user, each request after the last answer) for the latency floor,
// one throughput step (many users at once) for the ceiling, then open-loop steps at rates evenly between the two. Each
// step runs for the same duration on the same workload; a rate step that is over-saturated (answers fall behind the
// sends, or latency keeps climbing through the step) ends the sweep there, since every faster rate would only queue.
// The steps' throughput against latency is the server's throughput-latency curve.
import { runHarness, type HarnessOptions } from "./harness";
import { latencyMs, percentile, ttftMs } from "./metrics";
import type { HarnessRecord, HarnessResultsFile } from "./types";

export interface SweepStep {
  name: string;
  mode: "synchronous" | "throughput" | "rate";
  /** Requests/s asked for (rate steps). */
  targetRate: number | null;
  /** Requests sent per second over the step (a Poisson step sends about, not exactly, its rate). */
  sentRps: number;
  /** Successful answers per second over the step. */
  throughputRps: number;
  outputTokensPerS: number;
  ttftP50Ms: number | null;
  ttftP99Ms: number | null;
  e2eP50Ms: number | null;
  e2eP99Ms: number | null;
  failed: number;
  saturated: boolean;
  /** Why the step counts as over-saturated. */
  reason: string | null;
}

export interface SweepResult {
  steps: SweepStep[];
  /** Rates planned but not run because a slower step was already over-saturated. */
  skippedRates: number[];
  files: HarnessResultsFile[];
  /** The sweep was stopped before its last step. */
  aborted: boolean;
  /** Why the sweep ended early because most of a step's requests failed; null otherwise. */
  failedReason: string | null;
}

function countBy(values: (string | null)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[String(v)] = (out[String(v)] ?? 0) + 1;
  return out;
}

const ok = (r: HarnessRecord) => (r.assay?.status ?? (r.error === null ? "ok" : "error")) === "ok";

/**
 * Over-saturation: fewer than 90% of the step's sent requests answered (the rest failed or were still waiting when it
 * ended), or the last third's median latency over twice the first's. Counted against what was sent, not against the
 * rate asked, so a Poisson step that happened to send fewer is not taken for a server that fell behind.
 */
export function saturation(records: readonly HarnessRecord[]): string | null {
  const done = records.filter(ok);
  if (records.length > 0 && done.length < records.length * 0.9)
    return `answered ${done.length} of the ${records.length} requests sent: requests queue up or fail`;
  const sorted = [...done].sort((a, b) => a.timestamp_sent - b.timestamp_sent);
  const third = Math.floor(sorted.length / 3);
  if (third >= 5) {
    const first = percentile(
      sorted.slice(0, third).map((r) => latencyMs(r) ?? 0),
      50,
    );
    const last = percentile(
      sorted.slice(-third).map((r) => latencyMs(r) ?? 0),
      50,
    );
    if (first > 0 && last > 2 * first) return `median latency climbed from ${first.toFixed(0)} ms to ${last.toFixed(0)} ms during the step`;
  }
  return null;
}

function stepOf(name: string, mode: SweepStep["mode"], targetRate: number | null, file: HarnessResultsFile, durationS: number): SweepStep {
  const done = file.records.filter(ok);
  const tokens = done.reduce((a, r) => a + (r.assay?.usage_output_tokens ?? r.output_tokens), 0);
  const pct = (xs: (number | null)[], p: number) => {
    const v = xs.filter((x): x is number => x !== null);
    return v.length ? Math.round(percentile(v, p) * 100) / 100 : null;
  };
  const reason = mode === "rate" && targetRate ? saturation(file.records) : null;
  return {
    name,
    mode,
    targetRate,
    sentRps: file.records.length / durationS,
    throughputRps: done.length / durationS,
    outputTokensPerS: tokens / durationS,
    ttftP50Ms: pct(done.map(ttftMs), 50),
    ttftP99Ms: pct(done.map(ttftMs), 99),
    e2eP50Ms: pct(done.map(latencyMs), 50),
    e2eP99Ms: pct(done.map(latencyMs), 99),
    failed: file.records.length - done.length,
    saturated: reason !== null,
    reason,
  };
}

/**
 * Runs the sweep: `steps` in all (at least 3: synchronous, throughput, and steps - 2 rates), each `durationS` long.
 * `throughputUsers` users for the throughput step (default: the run's max concurrency, else 256). When `o.signal`
 * aborts, the step running ends early and is dropped (its figures would describe a shorter step), and no other starts.
 */
export async function runSweep(
  o: HarnessOptions & { durationS: number },
  steps: number,
  opts: {
    throughputUsers?: number;
    onStepStart?: (index: number, name: string) => void | Promise<void>;
    onStep?: (s: SweepStep, file: HarnessResultsFile, index: number) => void | Promise<void>;
  } = {},
): Promise<SweepResult> {
  // Each step waits up to the run's drain time for the answers still coming: a slow server's last answers are late, not
  // lost, and counting them as unanswered would call a server overloaded that is only slow.
  const base = { ...o, requestRate: null, concurrentUsers: null, numPrompts: null };
  const out: SweepResult = { steps: [], skippedRates: [], files: [], aborted: false, failedReason: null };
  const run = async (name: string, mode: SweepStep["mode"], rate: number | null, extra: Partial<HarnessOptions>) => {
    if (o.signal?.aborted) return null;
    const index = out.steps.length;
    await opts.onStepStart?.(index, name);
    // Only the first step keeps the caller's absolute start; each later one starts when the one before has ended. Each
    // step has a seed of its own, so a server's prompt cache does not make later steps look faster on repeated prompts.
    const { file } = await runHarness({ ...base, ...extra, seed: o.seed + index, ...(index > 0 ? { startAtMs: undefined } : {}) });
    if (o.signal?.aborted) return null;
    const s = stepOf(name, mode, rate, file, o.durationS);
    out.steps.push(s);
    out.files.push(file);
    await opts.onStep?.(s, file, index);
    // Most requests failing says nothing about capacity (and a closed loop of failures is a flood): the sweep stops.
    const sent = file.records.length;
    if (sent > 0 && s.failed > sent / 2) {
      const classes = Object.entries(countBy(file.records.map((r) => r.assay?.error_class ?? (r.error ? "error" : null))))
        .filter(([k]) => k !== "null")
        .sort((a, b) => b[1] - a[1]);
      out.failedReason = `${s.failed} of the ${sent} requests of step ${index + 1} failed${classes.length ? ` (mostly ${classes[0][0]})` : ""}: check the target before reading capacity`;
      return null;
    }
    return s;
  };
  const stopped = () => {
    out.aborted = true;
    return out;
  };
  const sync = await run("synchronous", "synchronous", null, { concurrentUsers: 1 });
  if (!sync) return out.failedReason ? out : stopped();
  const users = opts.throughputUsers ?? o.maxConcurrency ?? 256;
  const max = await run("throughput", "throughput", null, { concurrentUsers: users });
  if (!max) return out.failedReason ? out : stopped();
  const rates = sweepRates(sync.throughputRps, max.throughputRps, steps);
  for (let i = 0; i < rates.length; i++) {
    const r = await run(`${rates[i].toFixed(1)}/s`, "rate", rates[i], { requestRate: rates[i], arrival: o.arrival ?? "poisson" });
    if (!r) return out.failedReason ? out : stopped();
    if (r.saturated) {
      out.skippedRates = rates.slice(i + 1);
      break;
    }
  }
  return out;
}

/** The rate steps: `steps - 2` rates evenly between the synchronous and the throughput step's throughput. */
export function sweepRates(lo: number, hi: number, steps: number): number[] {
  const n = Math.max(0, steps - 2);
  return Array.from({ length: n }, (_, i) => Math.round((lo + ((hi - lo) * (i + 1)) / (n + 1)) * 1000) / 1000).filter((r) => r > 0);
}
