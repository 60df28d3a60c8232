// Interactions the gateway served are queued in memory and stored in batches, off the response path: every 250 ms or
// every 500 rows, whichever comes first, through the ingestion's one-statement batch insert (idempotent on request_id).
// A write that fails because the database is out of reach is retried with the next batch; the queue is bounded, so an
// outage drops the oldest rows instead of growing without end, and says so once (and once when writing works again). A
// batch the database refuses for what is in it would be refused again: it is dropped with one line (its SQLSTATE, never
// its text), so one bad row cannot stop the log. Records are built from checked input (the gateway's request schema, the
// variant's configuration) and storableText, so they are not parsed again here: that pass ran on the loop that serves
// the streams, and without it the gateway's added p99 went from 3.1 ms to 1.6-2.1 ms (bench/RESULTS.md).
import type pg from "pg";
import { isDatabaseUnavailable } from "@/lib/db/client";
import { storeBatch, type IngestExperiment, type IngestVariant } from "@/lib/ingest/service";
import { MAX_TEXT, type InteractionRecord } from "@/lib/validation/ingest";

const FLUSH_MS = 250;
const FLUSH_ROWS = 500;
const MAX_QUEUED = 100_000;

export interface LoggedInteraction {
  /** The record as the ingestion API stores it (text already made storable). */
  record: InteractionRecord;
  experiment: IngestExperiment;
  variant: IngestVariant;
}

// Characters PostgreSQL or the ingestion schema refuses in stored text (C0 controls but tab and line breaks, DEL, and
// the text-direction controls): a model's output or a caller's prompt may hold them; the log keeps the rest.
const UNSTORABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/gu;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as the log can store it: unstorable characters removed, half characters replaced, cut to the ingestion's limit. */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, "").slice(0, MAX_TEXT).replace(LONE_SURROGATE, "\uFFFD");
}

export class InteractionLog {
  private queue: LoggedInteraction[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private dropped = 0;
  private failing = false;
  private refusedOnce = false;

  constructor(
    private readonly pool: () => pg.Pool,
    private readonly log: (line: string) => void = (line) => console.warn(line),
  ) {}

  /** Queues one interaction; returns at once. */
  record(row: LoggedInteraction): void {
    this.queue.push(row);
    if (this.queue.length > MAX_QUEUED) {
      const over = this.queue.length - MAX_QUEUED;
      this.queue.splice(0, over);
      if (this.dropped === 0) this.log(`Gateway interactions could not be written for a while; dropping the oldest (${over} so far).`);
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
    const batch = this.queue.splice(0, FLUSH_ROWS * 4);
    this.flushing = this.write(batch)
      .then(() => {
        if (this.failing || this.dropped > 0)
          this.log(`Gateway interactions are written again${this.dropped > 0 ? ` (${this.dropped} were dropped meanwhile)` : ""}.`);
        this.failing = false;
        this.dropped = 0;
      })
      .catch((err: unknown) => {
        const code = (err as { code?: string } | null)?.code;
        if (!isDatabaseUnavailable(err)) {
          if (!this.refusedOnce)
            this.log(
              `A batch of ${batch.length} gateway interactions was refused by the database${code ? ` (SQLSTATE ${code})` : ""} and dropped.`,
            );
          this.refusedOnce = true;
          return;
        }
        if (!this.failing)
          this.log(`Gateway interactions cannot be written right now${code ? ` (${code})` : ""}; retrying, the answers are not affected.`);
        this.failing = true;
        this.queue.unshift(...batch);
        if (!this.timer) this.timer = setTimeout(() => void this.flush(), FLUSH_MS * 8);
      })
      .finally(() => {
        this.flushing = null;
      });
    await this.flushing;
    if (this.queue.length >= FLUSH_ROWS) await this.flush();
  }

  private async write(batch: LoggedInteraction[]): Promise<void> {
    await storeBatch(this.pool(), { rows: batch }, "GATEWAY");
  }

  async stop(): Promise<void> {
    await this.flush().catch(() => undefined);
  }
}
