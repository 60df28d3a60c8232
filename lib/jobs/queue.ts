import PgBoss from "pg-boss";
import { env } from "@/lib/env";

/** The schema pg-boss keeps its tables in, inside Assay's database. */
export const QUEUE_SCHEMA = "pgboss";

let boss: PgBoss | undefined;
let starting: Promise<PgBoss> | undefined;

/** This process's pg-boss instance, started on first use (creates its schema on an empty database). */
export function queue(): Promise<PgBoss> {
  if (boss) return Promise.resolve(boss);
  starting ??= (async () => {
    const instance = new PgBoss({ connectionString: env().DATABASE_URL, schema: QUEUE_SCHEMA, max: 5 });
    instance.on("error", (err) => console.error("[queue]", err.message));
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
  await instance?.stop({ graceful: true, wait: true, timeout: waitMs });
}
