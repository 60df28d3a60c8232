import pg from "pg";
import { StartupError } from "./postgresHome";

/** How long `npm start` waits for the server named by DATABASE_URL to answer before saying it cannot reach it. */
const CONNECT_TIMEOUT_MS = 10_000;

/** The parts of a connection string worth naming on screen (never its password). */
function describe(url: string): { user: string; host: string; port: string; database: string; shown: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { user: "?", host: "?", port: "?", database: "?", shown: "postgresql://…" };
  }
  const host = parsed.hostname || "localhost";
  const port = parsed.port || "5432";
  const user = decodeURIComponent(parsed.username) || "(none)";
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, "")) || user;
  if (parsed.password) parsed.password = "***";
  return { user, host, port, database, shown: parsed.toString() };
}

/**
 * What is wrong with DATABASE_URL, given the error of connecting to it, and what to do, in one line that never shows its
 * password: nothing listens at host:port, the host name is unknown, the user or password is wrong, the database is missing.
 */
export function databaseUrlProblem(err: unknown, url: string): string {
  const { user, host, port, database, shown } = describe(url);
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  const at = `${host}:${port}`;
  switch (code) {
    case "ECONNREFUSED":
      return `DATABASE_URL points at ${at}, but no database server answers there: start PostgreSQL, or fix the host and port in DATABASE_URL (unset it to use the embedded database).`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `DATABASE_URL names the host "${host}", which is unknown (no such name in DNS): fix the host in DATABASE_URL.`;
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `DATABASE_URL points at ${at}, which cannot be reached from here: check the host and port in DATABASE_URL, and that a firewall lets this machine in.`;
    case "28P01":
      return `The database server at ${at} refused the user "${user}" or its password: fix the user and password in DATABASE_URL.`;
    case "28000":
      return `The database server at ${at} does not let the user "${user}" in (no such user, or not allowed from this address): fix the user in DATABASE_URL, or allow it in the server's pg_hba.conf.`;
    case "3D000":
      return `The database "${database}" does not exist on ${at}: create it (\`createdb ${database}\`), or fix the database name at the end of DATABASE_URL.`;
  }
  if (typeof message === "string" && /timeout/i.test(message)) {
    return `DATABASE_URL points at ${at}, which did not answer within ${CONNECT_TIMEOUT_MS / 1000} s: check the host and port in DATABASE_URL, and that the server is running.`;
  }
  const reason = typeof message === "string" && message ? message.split("\n")[0] : String(err);
  return `DATABASE_URL (${shown}) cannot be used: ${reason.replaceAll(url, shown)}. Fix DATABASE_URL, or unset it to use the embedded database.`;
}

/** Connects once to DATABASE_URL before anything else uses it; a failure is one StartupError line (databaseUrlProblem). */
export async function checkDatabaseUrl(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("select 1");
  } catch (err) {
    throw new StartupError(databaseUrlProblem(err, url));
  } finally {
    await client.end().catch(() => undefined);
  }
}
