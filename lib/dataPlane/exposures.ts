// Exposures (who was served which variant, by which path) are queued in memory and written in batches, off the request
// path: every 500 ms or every 1,000 rows, whichever comes first. A failed write is retried with the next batch; the queue
// is bounded, so an outage drops the oldest exposures instead of growing without end (and says so once).
import type pg from "pg";

export type ExposureSource = "API" | "CLIENT" | "GATEWAY";

export interface ExposureRow {
  experimentId: string;
  userId: string;
  variant: string;
  inExperiment: boolean;
  reason: string;
  source: ExposureSource;
  at: Date;
}

const FLUSH_MS = 500;
const FLUSH_ROWS = 1_000;
const MAX_QUEUED = 200_000;

export class ExposureRecorder {
  private queue: ExposureRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private dropped = 0;

  constructor(
    private readonly pool: () => pg.Pool,
    private readonly log: (line: string) => void = (line) => console.warn(line),
  ) {}

  record(rows: readonly ExposureRow[]): void {
    for (const r of rows) this.queue.push(r);
    if (this.queue.length > MAX_QUEUED) {
      const over = this.queue.length - MAX_QUEUED;
      this.queue.splice(0, over);
      if (this.dropped === 0) this.log(`Exposures could not be written for a while; dropping the oldest (${over} so far).`);
      this.dropped += over;
    }
    if (this.queue.length >= FLUSH_ROWS) void this.flush();
    else if (!this.timer) this.timer = setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Writes what is queued now (and waits for a write under way). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.flushing) await this.flushing;
    if (this.queue.length === 0) return;
    const batch = this.queue.splice(0, FLUSH_ROWS * 5);
    this.flushing = this.write(batch)
      .then(() => {
        if (this.dropped > 0) this.log(`Exposures are written again (${this.dropped} were dropped meanwhile).`);
        this.dropped = 0;
      })
      .catch(() => {
        this.queue.unshift(...batch);
        if (!this.timer) this.timer = setTimeout(() => void this.flush(), FLUSH_MS * 4);
      })
      .finally(() => {
        this.flushing = null;
      });
    await this.flushing;
    if (this.queue.length >= FLUSH_ROWS) await this.flush();
  }

  private async write(batch: ExposureRow[]): Promise<void> {
    await this.pool().query(
      `INSERT INTO "Exposure" ("experimentId", "userId", "variantKey", "inExperiment", "reason", "source", "createdAt")
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::text[], $6::"ExposureSource"[], $7::timestamp(3)[])`,
      [
        batch.map((r) => r.experimentId),
        batch.map((r) => r.userId),
        batch.map((r) => r.variant),
        batch.map((r) => r.inExperiment),
        batch.map((r) => r.reason),
        batch.map((r) => r.source),
        batch.map((r) => r.at.toISOString()),
      ],
    );
  }

  async stop(): Promise<void> {
    await this.flush().catch(() => undefined);
  }
}
