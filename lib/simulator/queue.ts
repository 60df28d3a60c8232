/** Releases a slot taken from a ConcurrencyQueue; calling it twice is harmless. */
export type ReleaseSlot = () => void;

/** At most `limit` holders at once; the rest wait first-in, first-out, like a serving engine's scheduler queue. */
export class ConcurrencyQueue {
  private active = 0;
  private readonly waiting: { grant: (release: ReleaseSlot) => void }[] = [];

  constructor(private readonly limit: number) {}

  /** Requests currently holding a slot. */
  get activeCount(): number {
    return this.active;
  }

  /** Requests waiting for a slot. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Resolves with a release function once a slot is free (FIFO); rejects with the signal's reason if aborted while waiting. */
  acquire(signal?: AbortSignal): Promise<ReleaseSlot> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.active < this.limit && this.waiting.length === 0) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: (release: ReleaseSlot) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(release);
        },
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(waiter);
        if (index !== -1) this.waiting.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private releaser(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next.grant(this.releaser());
      else this.active--;
    };
  }
}
