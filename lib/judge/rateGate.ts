// A pace for calls to a judge: at most `perMinute` starts a minute, evenly spaced (each caller waits for its slot), so
// a provider's rate limit is kept instead of hit. One gate per judge run and worker process, and one per CLI command.
export class RateGate {
  private next = 0;
  private readonly gapMs: number;

  constructor(perMinute: number) {
    this.gapMs = 60_000 / perMinute;
  }

  /** Resolves when the caller may start its call. */
  take(): Promise<void> {
    const now = performance.now();
    const at = Math.max(now, this.next);
    this.next = at + this.gapMs;
    const wait = at - now;
    return wait < 1 ? Promise.resolve() : new Promise((r) => setTimeout(r, wait));
  }
}

const gates = new Map<string, { gate: RateGate; perMinute: number }>();

/** This process's gate for `key` at `perMinute` (null: no limit). */
export function gateFor(key: string, perMinute: number | null | undefined): RateGate | null {
  if (!perMinute) return null;
  const found = gates.get(key);
  if (found && found.perMinute === perMinute) return found.gate;
  const gate = new RateGate(perMinute);
  gates.set(key, { gate, perMinute });
  if (gates.size > 1000) gates.delete(gates.keys().next().value!);
  return gate;
}
