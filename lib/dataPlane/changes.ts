// The change feed behind the data plane's caches: LISTEN on the channels the database's triggers notify
// (prisma/migrations/*_traffic/migration.sql). While the feed is down the caches are bypassed, never trusted stale;
// when it comes back they are emptied, since changes made meanwhile were not heard.
import pg from "pg";
import { env } from "@/lib/env";
import { onLocalChange, type ChangeKind } from "@/lib/db/localChanges";

const CHANNELS: Record<string, ChangeKind> = { assay_auth: "auth", assay_experiments: "experiments" };

export interface ChangeFeed {
  /** True while the feed is connected and listening: only then may a cache answer. */
  live(): boolean;
  stop(): Promise<void>;
}

/** Starts listening; `onChange(kind)` runs for every change heard, and for both kinds whenever the feed (re)connects. */
export function startChangeFeed(onChange: (kind: ChangeKind) => void): ChangeFeed {
  let client: pg.Client | null = null;
  let listening = false;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  const offLocal = onLocalChange(onChange);

  const connect = async () => {
    retry = null;
    if (stopped) return;
    const c = new pg.Client({ connectionString: env().DATABASE_URL, connectionTimeoutMillis: 5_000 });
    client = c;
    const lost = () => {
      if (client !== c) return;
      listening = false;
      client = null;
      void c.end().catch(() => undefined);
      if (!stopped) retry = setTimeout(() => void connect(), 1_000);
    };
    c.on("error", lost);
    c.on("end", lost);
    c.on("notification", (msg) => {
      const kind = CHANNELS[msg.channel];
      if (kind) onChange(kind);
    });
    try {
      await c.connect();
      for (const channel of Object.keys(CHANNELS)) await c.query(`LISTEN ${channel}`);
      listening = true;
      onChange("auth");
      onChange("experiments");
    } catch {
      lost();
    }
  };
  void connect();

  return {
    live: () => listening,
    async stop() {
      stopped = true;
      offLocal();
      if (retry) clearTimeout(retry);
      listening = false;
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
