import { jitterFactor, type Random } from "./random";

/** Delay settings of the simulated server, in milliseconds. */
export interface TimingSettings {
  ttftMs: number;
  itlMs: number;
  jitter: number;
}

/** Per-token delays: the first is ttftMs, each later one itlMs, each times a factor uniform in [1 - jitter, 1 + jitter]. */
export function tokenDelays(random: Random, tokenCount: number, timing: TimingSettings): number[] {
  return Array.from({ length: tokenCount }, (_, i) => (i === 0 ? timing.ttftMs : timing.itlMs) * jitterFactor(random, timing.jitter));
}
