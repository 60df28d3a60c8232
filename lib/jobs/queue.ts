import PgBoss from "pg-boss";
import { isDatabaseUnavailable } from "@/lib/db/client";
import { env } from "@/lib/env";

/** The schema pg-boss keeps its tables in, inside Assay's database. */
export const QUEUE_SCHEMA = "pgboss";

/** How often the queue checks whether its lost database is back (only while it is lost). */
const OUTAGE_PROBE_MS = 2_000;

let boss: PgBoss | undefined;
let starting: Promise<PgBoss> | undefined;
let outageProbe: NodeJS.Timeout | undefined;

/**
 * Logs an error of the queue: a lost database is said once, and its return once, instead of the error of every polling round
 * (several a second); other errors are logged as they come.
 */
export function reportQueueError(err: unknown): void {
  const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
  if (!isDatabaseUnavailable(err)) return console.error("[queue]", message);
  if (outageProbe) return;
  console.error(`[queue] lost the database (${message}); waiting for it to come back.`);
  outageProbe = setInterval(() => {
    if (!boss) return;
    boss
      .getDb()
      .executeSql("select 1", [])
      .then(() => {
        if (!outageProbe) return;
        clearInterval(outageProbe);
        outageProbe = undefined;
        console.log("[queue] the database is back.");
      })
      .catch(() => undefined);
  }, OUTAGE_PROBE_MS);
  outageProbe.unref();
}

/** This process's pg-boss instance, started on first use (creates its schema on an empty database). */
export function queue(): Promise<PgBoss> {
  if (boss) return Promise.resolve(boss);
  starting ??= (async () => {
    const instance = new PgBoss({ connectionString: env().DATABASE_URL, schema: QUEUE_SCHEMA, max: 5 });
    instance.on("error", reportQueueError);
    await instance.start();
    boss = instance;
    return instance;
  })();
  return starting;
}

/** Stops this process's pg-boss instance, letting active jobs finish for up to `waitMs`. */
export async function stopQueue(waitMs = 10_000): Promise<void> {
  const instance = boss;
  boss = undefined;
  starting = undefined;
  clearInterval(outageProbe);
  outageProbe = undefined;
  await instance?.stop({ graceful: true, wait: true, timeout: waitMs });
}
