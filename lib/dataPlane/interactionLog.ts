// Interactions the gateway served are queued in memory and stored in batches, off the response path: every 250 ms or
// every 500 rows, whichever comes first, through the ingestion's one-statement batch insert (idempotent on request_id).
// A failed write is retried with the next batch; the queue is bounded, so an outage drops the oldest rows instead of
// growing without end, and says so once (and once when writing works again). A row the ingestion schema would refuse is
// dropped with one line naming the field, never the text that was in it.
import type pg from "pg";
import { storeBatch, type IngestExperiment, type IngestVariant } from "@/lib/ingest/service";
import { interactionRecordSchema, MAX_TEXT, type InteractionRecord } from "@/lib/validation/ingest";
import { fieldIssues } from "@/lib/validation/issues";

const FLUSH_MS = 250;
const FLUSH_ROWS = 500;
const MAX_QUEUED = 100_000;

export interface LoggedInteraction {
  /** The record as the ingestion API would take it (its text fields not yet made storable). */
  record: Record<string, unknown>;
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
  private refusedFields = new Set<string>();

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
        if (!this.failing) {
          const code = (err as { code?: string } | null)?.code;
          this.log(`Gateway interactions cannot be written right now${code ? ` (${code})` : ""}; retrying, the answers are not affected.`);
        }
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
    const rows: { record: InteractionRecord; experiment: IngestExperiment; variant: IngestVariant }[] = [];
    for (const row of batch) {
      const parsed = interactionRecordSchema.safeParse(row.record);
      if (parsed.success) {
        rows.push({ record: parsed.data, experiment: row.experiment, variant: row.variant });
        continue;
      }
      const fields = fieldIssues(parsed.error).map((i) => i.field);
      const fresh = fields.filter((f) => !this.refusedFields.has(f));
      for (const f of fresh) this.refusedFields.add(f);
      if (fresh.length) this.log(`A gateway interaction was not logged: the ingestion schema refused ${fields.join(", ")}.`);
    }
    if (rows.length) await storeBatch(this.pool(), { rows }, "GATEWAY");
  }

  async stop(): Promise<void> {
    await this.flush().catch(() => undefined);
  }
}
