// Limits for calls to a judge. A pace: at most `perMinute` starts a minute, evenly spaced (each caller waits for its
// turn), so a provider's rate limit is kept instead of hit; one gate per judge run and worker process, and one per CLI
// command. And a cap on calls at once (Slots), one per judge run and worker process.
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

/** At most `size` holders at once; the others wait in order. One per judge run and worker process. */
export class Slots {
  private used = 0;
  private readonly queue: (() => void)[] = [];

  constructor(readonly size: number) {}

  /** Resolves once the caller holds a slot. */
  take(): Promise<void> {
    if (this.used < this.size) {
      this.used++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  /** Gives the slot to the next waiter, or frees it. */
  release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.used--;
  }

  /** Holders now (tests read it). */
  get inUse(): number {
    return this.used;
  }
}

const slotsByKey = new Map<string, Slots>();

/** This process's slots for `key`, `size` at once (null: no limit). */
export function slotsFor(key: string, size: number | null | undefined): Slots | null {
  if (!size) return null;
  const found = slotsByKey.get(key);
  if (found && found.size === size) return found;
  const slots = new Slots(size);
  slotsByKey.set(key, slots);
  if (slotsByKey.size > 1000) slotsByKey.delete(slotsByKey.keys().next().value!);
  return slots;
}
